/**
 * `lotse form <file.form>`: renders a form the way the portal does, or validates data against it, so a
 * designer can check a form without starting the system.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createFormRenderer } from '../../forms/render.js';
import { describeProblem, FormSchemaError, parseForm, type FormSchema } from '../../forms/schema.js';
import {
  FormTranslationError,
  parseFormTranslation,
  translateForm,
  translationFileName,
} from '../../forms/translate.js';
import { inputComponents, labelOf } from '../../forms/components.js';
import { errorMessage, initialValues, validateSubmission } from '../../forms/validate.js';

export const FORM_USAGE = `lotse form <file.form> [--data file.json] [--context file.json] [--locale de|en] [--validate]

  Prints the rendered HTML fragment (error summary and fields). With --data, the data is validated
  first and rendered with its errors. --context holds FEEL variables (case, company).
  --locale en uses <file>.en.json next to the form. --validate prints the validation result as JSON
  instead (exit code 1 when the data has errors). A form the engine cannot run exits 1 with the reason.`;

/** Runs the command; returns the exit code. */
export async function formCommand(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        data: { type: 'string' },
        context: { type: 'string' },
        locale: { type: 'string', default: 'de' },
        validate: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\nUsage: ${FORM_USAGE}`);
    return 2;
  }
  const { positionals, values: options } = parsed;
  if (options.help) {
    console.log(`Usage: ${FORM_USAGE}`);
    return 0;
  }
  const [file, ...extra] = positionals;
  const locale = options.locale;
  if (file === undefined || extra.length > 0 || (locale !== 'de' && locale !== 'en')) {
    console.error(`Usage: ${FORM_USAGE}`);
    return 2;
  }

  try {
    const { form: original, warnings } = parseForm(await readJson(file));
    // Warnings go to stderr: the form still runs, and stdout stays the HTML or the validation result.
    for (const warning of warnings) console.error(`warning: ${describeProblem(original.id, warning)}`);
    const form = locale === 'en' ? await translated(original, file) : original;
    const data = options.data === undefined ? undefined : await readObject(options.data);
    const context = options.context === undefined ? undefined : await readObject(options.context);
    const today = new Date().toISOString().slice(0, 10);

    if (options.validate) {
      const result = validateSubmission(form, data ?? {}, { context, today });
      const labels = new Map(inputComponents(form).map((component) => [component.id, labelOf(component)]));
      const errors = result.errors.map((error) => ({
        ...error,
        message: errorMessage(error, locale, labels.get(error.componentId)),
      }));
      console.log(JSON.stringify({ values: result.values, errors }, null, 2));
      return errors.length > 0 ? 1 : 0;
    }

    const renderer = createFormRenderer();
    const state =
      data === undefined
        ? { values: initialValues(form), errors: [] }
        : validateSubmission(form, data, { context, today });
    process.stdout.write(
      renderer.renderErrorSummary(form, state.errors, locale) +
        renderer.renderFields(form, { ...state, locale, context, today }),
    );
    return 0;
  } catch (error) {
    if (error instanceof FormSchemaError || error instanceof FormTranslationError || error instanceof InputError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

class InputError extends Error {
  override name = 'InputError';
}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

async function readObject(file: string): Promise<Record<string, unknown>> {
  const json = await readJson(file);
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new InputError(`${file}: must be a JSON object`);
  return Object.fromEntries(Object.entries(json));
}

async function translated(form: FormSchema, file: string): Promise<FormSchema> {
  const translationFile = translationFileName(file, 'en');
  if (!existsSync(translationFile)) {
    console.error(`note: ${translationFile} not found, the form's texts stay German`);
    return form;
  }
  return translateForm(form, parseFormTranslation(await readJson(translationFile), form, translationFile));
}
