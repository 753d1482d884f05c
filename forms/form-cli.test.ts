// `lotse form` (engine/cli/form.command.ts), run as users run it: a child process of bin/lotse.js.
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = new URL('../', import.meta.url).pathname;
const START_FORM = path.join(ROOT, 'workflows/catalog/general-inquiry/general-inquiry-start.form');

async function lotse(...args: string[]) {
  try {
    const { stdout, stderr } = await run('node', [path.join(ROOT, 'bin/lotse.js'), 'form', ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

async function jsonFile(content: unknown): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'lotse-form-')), 'data.json');
  await writeFile(file, JSON.stringify(content));
  return file;
}

describe('lotse form', () => {
  it('prints the rendered fields of a form', async () => {
    const result = await lotse(START_FORM);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('<label class="field__label" for="field-Field_Subject">Betreff');
    expect(result.stdout).toContain('value="email" checked');
  });

  it('renders English with the translation file next to the form', async () => {
    const result = await lotse(START_FORM, '--locale', 'en');

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Subject <span class="field__required">(required)</span>');
  });

  it('renders submitted data with its errors and the error summary', async () => {
    const result = await lotse(START_FORM, '--data', await jsonFile({ subject: 'ab', contactChannel: 'phone' }));

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('<section class="error-summary"');
    expect(result.stdout).toContain('value="ab"');
  });

  it('prints the validation result as JSON with messages, exit code 1 when the data has errors', async () => {
    const result = await lotse(START_FORM, '--validate', '--data', await jsonFile({ subject: 'ab' }));

    expect(result.code).toBe(1);
    const output = JSON.parse(result.stdout) as { values: unknown; errors: { key: string; message: string }[] };
    expect(output.values).toEqual({ subject: 'ab' });
    expect(output.errors.map((error) => [error.key, error.message])).toEqual([
      ['subject', '„Betreff“ muss mindestens 3 Zeichen lang sein.'],
      ['message', 'Bitte füllen Sie „Ihre Nachricht“ aus.'],
      ['contactChannel', 'Bitte wählen Sie bei „Bevorzugter Kontaktweg“ eine Möglichkeit aus.'],
    ]);
  });

  it('exits 0 for valid data', async () => {
    const data = await jsonFile({
      subject: 'Förderung',
      message: 'Welche Programme gibt es?',
      contactChannel: 'email',
    });

    const result = await lotse(START_FORM, '--validate', '--data', data);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ errors: [] });
  });

  it('exits 1 with the parse error for a component the engine cannot run', async () => {
    const result = await lotse(path.join(ROOT, 'forms/fixtures/unknown-type-with-key-invalid.form'));

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      'Form fixture-unknown-with-key, component Signature_1 (signature): component type not supported yet',
    );
  });

  it('renders a form with editor leftovers and prints what it left out as warnings on stderr', async () => {
    const result = await lotse(path.join(ROOT, 'forms/fixtures/unsupported-property-warning.form'));

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('name="phone"');
    expect(result.stderr).toContain(
      'warning: Form fixture-unsupported-property, component Field_Phone (textfield): property placeholder is ignored',
    );
  });

  it.each([[[]], [['a.form', 'b.form']], [[START_FORM, '--locale', 'fr']], [[START_FORM, '--colour']]])(
    'exits 2 with the usage for %j',
    async (args) => {
      const result = await lotse(...args);

      expect(result.code).toBe(2);
      expect(result.stderr).toContain('lotse form <file.form>');
    },
  );
});
