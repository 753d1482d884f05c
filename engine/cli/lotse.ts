import path from 'node:path';
import { FormSchemaError } from '../../forms/schema.js';
import { FormTranslationError } from '../../forms/translate.js';
import { loadServiceFolder, ServiceDefinitionError } from '../services/service-definition.js';
import { BACKUP_USAGE, backupCommand, restoreCommand } from './backup.command.js';
import { DESIGNER_USAGE, exportCommand, importCommand, publishCommand } from './designer.command.js';
import { formCommand } from './form.command.js';
import { MESSAGE_USAGE, messageCommand } from './message.command.js';
import { SIGNAL_USAGE, signalCommand } from './signal.command.js';
import { TEST_USAGE, testCommand } from './test.command.js';

const USAGE = `Usage: lotse <command>

Commands:
  validate <dir…>   compile and check service folders (service.json, BPMN, forms); errors name the element
${TEST_USAGE}
  form <file.form>  render a form as HTML, or validate data against it (--validate); see lotse form --help
${MESSAGE_USAGE}
${SIGNAL_USAGE}
${BACKUP_USAGE}
${DESIGNER_USAGE}`;

async function validate(folders: string[]): Promise<number> {
  if (folders.length === 0) {
    console.error(USAGE);
    return 2;
  }
  let failed = 0;
  for (const folder of folders) {
    try {
      const definition = await loadServiceFolder(path.resolve(folder));
      const elements = Object.keys(definition.model.elements).length;
      console.log(
        `ok   ${folder}: ${definition.slug}, ${elements} elements, ${Object.keys(definition.forms).length} forms`,
      );
    } catch (error) {
      if (!(
        error instanceof ServiceDefinitionError ||
        error instanceof FormSchemaError ||
        error instanceof FormTranslationError ||
        error instanceof SyntaxError
      )) {
        throw error;
      }
      failed++;
      console.log(`FAIL ${folder}:\n  ${error.message.split('\n').join('\n  ')}`);
    }
  }
  return failed > 0 ? 1 : 0;
}

const [command, ...args] = process.argv.slice(2);
const exitCode =
  command === 'validate'
    ? await validate(args)
    : command === 'test'
      ? await testCommand(args)
      : command === 'form'
        ? await formCommand(args)
        : command === 'message'
          ? await messageCommand(args)
          : command === 'signal'
            ? await signalCommand(args)
            : command === 'backup'
              ? await backupCommand(args)
              : command === 'restore'
                ? await restoreCommand(args)
                : command === 'publish'
                  ? await publishCommand(args)
                  : command === 'import'
                    ? await importCommand(args)
                    : command === 'export'
                      ? await exportCommand(args)
                      : (console.error(USAGE), 2);
process.exit(exitCode);
