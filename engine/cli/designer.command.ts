/**
 * The designer on the command line, through the same service as the browser (`engine/services/designer.service.ts`):
 *   lotse publish <dir|zip>                         publish a service folder or zip as a new version, live at once
 *   lotse import <dir|zip>                          make a folder or zip the service's draft (a new service if new)
 *   lotse export <slug> [--version N] [-o file]     write a published version (default: the latest) as zip
 * They need only the database (DATABASE_URL, else the embedded PostgreSQL of `npm start`): a case starts from a
 * version stored there, so a running system serves a published version at once.
 */
import { stat, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../config.js';
import type { DesignProblem, ServiceFiles } from '../designer/service-files.js';

export const DESIGNER_USAGE = `  publish <dir|zip> publish a service folder or zip as a new version, live at once; refused while it has errors
  import <dir|zip>  make a service folder or zip the service's draft in the designer (a new service if its slug is new)
  export <slug> [--version N] [-o file]
                    write a published version (default: the latest) as zip`;

/** `ERROR file element: message`, one problem per line: the element id is what a designer looks for. */
export function problemLine(problem: DesignProblem): string {
  const where = [problem.file, problem.elementId ?? problem.fieldKey].filter(Boolean).join(' ');
  return `${problem.severity === 'error' ? 'ERROR  ' : 'WARNING'} ${where}: ${problem.messageEn ?? problem.message}`;
}

async function readSource(
  source: string,
): Promise<{ ok: true; files: ServiceFiles } | { ok: false; problems: DesignProblem[] }> {
  const { readServiceFolder } = await import('../services/service-definition.js');
  const info = await stat(source).catch(() => undefined);
  if (!info) {
    return {
      ok: false,
      problems: [
        { severity: 'error', file: source, message: 'nicht gefunden', messageEn: 'not found', source: 'manifest' },
      ],
    };
  }
  if (info.isDirectory()) return { ok: true, files: await readServiceFolder(source) };
  const { zipToFiles } = await import('../designer/service-archive.js');
  return zipToFiles(await readFile(source));
}

/** The one `<dir|zip>` argument of publish and import, read; or the exit code when it is missing or unreadable. */
async function sourceArgument(args: string[]): Promise<{ files: ServiceFiles } | number> {
  const [source, ...rest] = args;
  if (!source || rest.length > 0) {
    console.error(`Usage: lotse\n${DESIGNER_USAGE}`);
    return 2;
  }
  const read = await readSource(path.resolve(source));
  if (read.ok) return read;
  for (const problem of read.problems) console.log(problemLine(problem));
  return 1;
}

async function withDesigner<T>(
  work: (designer: import('../services/designer.service.js').DesignerService) => Promise<T>,
): Promise<T> {
  // Loaded here, not at the top: `lotse validate` should not pay for the database.
  const [
    { connectDatabase },
    { embeddedDatabaseUrl },
    { createServiceRepository },
    { createServiceDraftRepository },
    { createCatalogService },
    { createDesignerService },
  ] = await Promise.all([
    import('../db/database.js'),
    import('../infra/embedded-postgres.js'),
    import('../repositories/service.repository.js'),
    import('../repositories/service-draft.repository.js'),
    import('../services/catalog.service.js'),
    import('../services/designer.service.js'),
  ]);
  const config = loadConfig();
  const database = connectDatabase(config.DATABASE_URL ?? embeddedDatabaseUrl(config.EMBEDDED_PG_PORT), 2);
  try {
    const services = createServiceRepository(database.db);
    return await work(
      createDesignerService({
        services,
        drafts: createServiceDraftRepository(database.db),
        catalog: createCatalogService({ services }),
      }),
    );
  } finally {
    await database.close();
  }
}

export async function publishCommand(args: string[]): Promise<number> {
  const read = await sourceArgument(args);
  if (typeof read === 'number') return read;
  const source = args[0];
  const result = await withDesigner((designer) => designer.publishFiles(undefined, read.files));
  if (!result.ok) {
    console.log(`FAIL ${source}: not published, ${result.problems.length} error(s)`);
    for (const problem of result.problems) console.log(problemLine(problem));
    return 1;
  }
  const slug = JSON.parse(read.files['service.json'] ?? '{}') as { slug?: string };
  console.log(
    result.created
      ? `ok   ${slug.slug}: published version ${result.version}, live now`
      : `ok   ${slug.slug}: nothing changed, version ${result.version} stays current`,
  );
  return 0;
}

export async function importCommand(args: string[]): Promise<number> {
  const read = await sourceArgument(args);
  if (typeof read === 'number') return read;
  return withDesigner(async (designer) => {
    const result = await designer.importFiles(undefined, read.files);
    if (!result.ok) {
      for (const problem of result.problems) console.log(problemLine(problem));
      return 1;
    }
    const problems = (await designer.validate(result.slug)) ?? [];
    console.log(`ok   ${result.slug}: imported as the draft, open /staff/designer/${result.slug}`);
    for (const problem of problems) console.log(problemLine(problem));
    return 0;
  });
}

export async function exportCommand(args: string[]): Promise<number> {
  const [slug, ...rest] = args;
  let version: number | undefined;
  let output: string | undefined;
  for (let index = 0; index < rest.length; index += 2) {
    const flag = rest[index];
    const value = rest[index + 1];
    if (flag === '--version' && value && /^\d+$/.test(value)) version = Number(value);
    else if ((flag === '-o' || flag === '--output') && value) output = value;
    else {
      console.error(`lotse export: unexpected ${flag ?? 'end of arguments'}\n\nUsage: lotse\n${DESIGNER_USAGE}`);
      return 2;
    }
  }
  if (!slug) {
    console.error(`Usage: lotse\n${DESIGNER_USAGE}`);
    return 2;
  }
  const exported = await withDesigner((designer) => designer.exportArchive(slug, version));
  if (!exported) {
    console.log(`FAIL ${slug}: no such service${version === undefined ? '' : ` or version ${version}`}`);
    return 1;
  }
  const file = path.resolve(output ?? exported.fileName);
  await writeFile(file, exported.zip);
  console.log(
    `ok   ${slug}: wrote ${file}${exported.reconstructed ? ' (files rebuilt: the version predates stored files)' : ''}`,
  );
  return 0;
}
