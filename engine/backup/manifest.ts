/**
 * The manifest of a Lotse backup file and the checks a restore makes before it touches anything:
 * format version, entry names, SHA-256 of every file and part, schema migration level. Pure: no I/O.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const BACKUP_FORMAT = 'lotse-backup';
/** Raised when the layout or meaning of a backup file changes; a restore refuses other versions. */
export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST_NAME = 'manifest.json';

export type PartName = 'database' | 'blobs' | 'secret' | 'temporal';

const SHA256 = /^[0-9a-f]{64}$/;
const fileEntry = z.object({
  path: z.string(),
  bytes: z.number().int().min(0),
  sha256: z.string().regex(SHA256),
});
const partSummary = z.object({ files: z.number().int().min(0), bytes: z.number().int().min(0), sha256: z.string() });

const manifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  formatVersion: z.number().int(),
  lotseVersion: z.string(),
  createdAt: z.string(),
  database: z.object({
    source: z.enum(['embedded', 'external']),
    /** Applied migrations, oldest first: `when` of the journal entry and the SHA-256 of its SQL (drizzle's own). */
    migrations: z.array(z.object({ createdAt: z.number(), hash: z.string() })),
    tables: z.array(z.string()),
  }),
  temporal: z.discriminatedUnion('source', [
    z.object({ source: z.literal('embedded'), namespace: z.string() }),
    z.object({ source: z.literal('external'), address: z.string(), namespace: z.string() }),
  ]),
  counts: z.object({
    cases: z.number().int(),
    openTasks: z.number().int(),
    documents: z.number().int(),
    blobs: z.number().int(),
  }),
  parts: z.partialRecord(z.enum(['database', 'blobs', 'secret', 'temporal']), partSummary),
  files: z.array(fileEntry),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type FileEntry = z.infer<typeof fileEntry>;

export class BackupFormatError extends Error {}

/** Which part a file belongs to, by its name in the archive; undefined for a name no Lotse backup uses. */
export function partOf(name: string): PartName | undefined {
  if (/^database\/(public\.[a-z_][a-z0-9_]*\.jsonl|sequences\.json)$/.test(name)) return 'database';
  if (/^blobs\/([0-9a-f]{2})\/\1[0-9a-f]{62}$/.test(name)) return 'blobs';
  if (name === 'session-secret') return 'secret';
  if (/^temporal\/temporal\.db(-wal|-shm)?$/.test(name)) return 'temporal';
  return undefined;
}

/** The SHA-256 of a part: over its files' names and hashes in name order, so any change to any file changes it. */
export function partDigest(files: readonly FileEntry[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path)))
    hash.update(`${file.path} ${file.sha256}\n`);
  return hash.digest('hex');
}

export function summariseParts(files: readonly FileEntry[]): Manifest['parts'] {
  const parts: Manifest['parts'] = {};
  for (const name of ['database', 'blobs', 'secret', 'temporal'] as const) {
    const members = files.filter((file) => partOf(file.path) === name);
    if (members.length === 0) continue;
    parts[name] = {
      files: members.length,
      bytes: members.reduce((sum, file) => sum + file.bytes, 0),
      sha256: partDigest(members),
    };
  }
  return parts;
}

/** Reads and checks a manifest: a clear error for another file, another format version or a damaged list. */
export function parseManifest(text: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BackupFormatError('manifest.json is not JSON: this is not a Lotse backup file, or it is damaged');
  }
  const format = z.object({ format: z.literal(BACKUP_FORMAT), formatVersion: z.number() }).safeParse(json);
  if (!format.success) throw new BackupFormatError('manifest.json does not describe a Lotse backup');
  if (format.data.formatVersion !== BACKUP_FORMAT_VERSION) {
    throw new BackupFormatError(
      `backup format version ${format.data.formatVersion} is not supported by this Lotse (it reads version ` +
        `${BACKUP_FORMAT_VERSION}): restore it with the Lotse version that made it`,
    );
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new BackupFormatError(`manifest.json is damaged: ${parsed.error.issues[0]?.path.join('.')} is invalid`);
  }
  const manifest = parsed.data;
  const seen = new Set<string>();
  for (const file of manifest.files) {
    if (!partOf(file.path)) throw new BackupFormatError(`manifest.json lists an unexpected file: ${file.path}`);
    if (seen.has(file.path)) throw new BackupFormatError(`manifest.json lists ${file.path} twice`);
    seen.add(file.path);
  }
  const expected = summariseParts(manifest.files);
  for (const name of new Set([...Object.keys(expected), ...Object.keys(manifest.parts)]) as Set<PartName>) {
    if (expected[name]?.sha256 !== manifest.parts[name]?.sha256) {
      throw new BackupFormatError(`manifest.json is damaged: the ${name} part does not match its file list`);
    }
  }
  return manifest;
}

/**
 * Compares what was extracted with what the manifest lists: every listed file present with its size and
 * SHA-256, nothing else. Returns the problems, one line each (empty: the backup is intact).
 */
export function verifyFiles(
  manifest: Manifest,
  found: ReadonlyMap<string, { bytes: number; sha256: string }>,
): string[] {
  const problems: string[] = [];
  for (const file of manifest.files) {
    const actual = found.get(file.path);
    if (!actual) problems.push(`${file.path}: missing`);
    else if (actual.bytes !== file.bytes || actual.sha256 !== file.sha256) {
      problems.push(`${file.path}: content differs from the manifest (SHA-256 ${actual.sha256.slice(0, 12)}…)`);
    }
  }
  const listed = new Set(manifest.files.map((file) => file.path));
  for (const name of found.keys()) if (!listed.has(name)) problems.push(`${name}: not in the manifest`);
  return problems;
}

export interface JournalEntry {
  when: number;
  tag: string;
}

/**
 * How many of this Lotse's migrations the backup's database had applied. The backup's migrations must be
 * the first ones of ours (a restore recreates exactly that schema, `npm start` migrates on); a backup from
 * a newer Lotse, or from another line of migrations, cannot be restored here.
 */
export function migrationLevel(backup: Manifest['database']['migrations'], journal: readonly JournalEntry[]): number {
  if (backup.length > journal.length) {
    throw new BackupFormatError(
      `the backup's database has ${backup.length} migrations, this Lotse knows ${journal.length}: ` +
        'restore it with the Lotse version that made it (or a newer one)',
    );
  }
  backup.forEach((migration, index) => {
    const ours = journal[index];
    if (ours?.when !== migration.createdAt) {
      throw new BackupFormatError(
        `the backup's migration ${index + 1} is not this Lotse's ${ours?.tag ?? `migration ${index + 1}`}: ` +
          'the backup comes from another line of Lotse versions',
      );
    }
  });
  return backup.length;
}

export function serialiseManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
