import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VIEW_FOLDERS = ['portal/views', 'admin/views'];

/** Views whose <form> holds fields from forms/render.ts (`{{{fields}}}`). */
const formPages = VIEW_FOLDERS.flatMap((folder) =>
  readdirSync(path.join(ROOT, folder))
    .filter((file) => file.endsWith('.hbs'))
    .map((file) => ({ name: `${folder}/${file}`, source: readFileSync(path.join(ROOT, folder, file), 'utf8') }))
    .filter(({ source }) => /<form\b[^>]*>[\s\S]*\{\{\{fields\}\}\}[\s\S]*<\/form>/.test(source)),
);

describe('pages with rendered form fields', () => {
  it('exist (the check below checks something)', () => {
    expect(formPages.map(({ name }) => name)).toEqual(
      expect.arrayContaining(['portal/views/start.hbs', 'portal/views/draft-step.hbs', 'admin/views/task.hbs']),
    );
  });

  // Components hidden by a condition keep `required` on their controls; the server decides what is required.
  it.each(formPages)(
    '$name: the form has novalidate, so a hidden required control cannot block submitting',
    ({ source }) => {
      const form = /<form\b[^>]*>(?=[\s\S]*\{\{\{fields\}\}\})/.exec(source)?.[0] ?? '';

      expect(form).toMatch(/\snovalidate[\s>]/);
    },
  );

  it.each(formPages)('$name: loads the one form script, deferred', ({ source }) => {
    const scripts = [...source.matchAll(/<script\b[^>]*>/g)].map(([tag]) => tag);

    expect(scripts).toEqual(['<script src="/static/forms-live.js" defer>']);
  });
});
