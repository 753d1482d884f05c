import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { connectDatabase, runMigrations, type DatabaseHandle } from '../db/database.js';
import { zipToFiles } from '../designer/service-archive.js';
import { templateFiles } from '../designer/templates.js';
import { createServiceDraftRepository } from '../repositories/service-draft.repository.js';
import { readServiceFolder } from '../services/service-definition.js';

// Invariant: `lotse publish`, `export` and `import` go through the designer service: publishing refuses a
// service with errors and prints them one per line with the element's id, a published version exports to a zip
// of exactly its files, and an import becomes the service's draft.

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
let database: DatabaseHandle;
let work: string;

async function lotse(...args: string[]) {
  try {
    const { stdout } = await run('node', [path.join(ROOT, 'bin/lotse.js'), ...args], {
      cwd: work,
      env: { ...process.env, DATABASE_URL: inject('databaseUrl') },
    });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: `${failed.stdout}${failed.stderr}` };
  }
}

async function folderOf(slug: string, edit: (files: Record<string, string>) => void = () => {}) {
  const files = templateFiles('inquiry', { slug, title: { de: `CLI ${slug}`, en: `CLI ${slug}` } });
  edit(files);
  const folder = path.join(work, slug);
  await mkdir(folder, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(folder, name), text);
  return folder;
}

beforeAll(async () => {
  database = connectDatabase(inject('databaseUrl'), 2);
  await runMigrations(database.pool);
  work = await mkdtemp(path.join(tmpdir(), 'lotse-designer-cli-'));
});
afterAll(async () => {
  await database?.close();
});

describe('lotse publish, export, import', () => {
  it('refuses to publish a service with errors and prints each with its element id', async () => {
    const slug = `cli-broken-${Date.now().toString(36)}`;
    const folder = await folderOf(slug, (files) => {
      const bpmn = `${slug}.bpmn`;
      files[bpmn] = (files[bpmn] ?? '')
        .replace('<zeebe:assignmentDefinition candidateGroups="wirtschaftsfoerderung" />', '')
        .replace('type="email"', 'type="fax"');
    });
    const result = await lotse('publish', folder);
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^FAIL .*not published/);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^ERROR +${slug}\\.bpmn Task_Answer: .*assignee`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^ERROR +${slug}\\.bpmn Task_SendAnswer: .*"fax"`)));
  });

  it('publishes a folder, says when nothing changed, exports it byte for byte and imports the zip as the draft', async () => {
    const slug = `cli-ok-${Date.now().toString(36)}`;
    const folder = await folderOf(slug);
    const first = await lotse('publish', folder);
    expect(first.stdout).toContain(`ok   ${slug}: published version 1, live now`);
    expect(first.code).toBe(0);
    expect((await lotse('publish', folder)).stdout).toContain('nothing changed, version 1 stays current');

    const zipFile = path.join(work, `${slug}.zip`);
    const exported = await lotse('export', slug, '--version', '1', '-o', zipFile);
    expect(exported.code).toBe(0);
    const unpacked = zipToFiles(await readFile(zipFile));
    expect(unpacked).toEqual({ ok: true, files: await readServiceFolder(folder) });
    expect((await lotse('export', slug, '--version', '9')).code).toBe(1);

    const imported = await lotse('import', zipFile);
    expect(imported.stdout).toContain(`ok   ${slug}: imported as the draft`);
    const draft = await createServiceDraftRepository(database.db).findBySlug(slug);
    expect(draft?.files).toEqual(await readServiceFolder(folder));
    expect(draft?.basedOnVersionId).toBeTruthy();
  });
});
