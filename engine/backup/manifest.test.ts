import { describe, expect, it } from 'vitest';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  BackupFormatError,
  migrationLevel,
  parseManifest,
  partOf,
  serialiseManifest,
  summariseParts,
  verifyFiles,
  type FileEntry,
  type Manifest,
} from './manifest.js';

const sha = (digit: string) => digit.repeat(64);
const BLOB = `ab${'c'.repeat(62)}`;
const files: FileEntry[] = [
  { path: 'database/public.cases.jsonl', bytes: 120, sha256: sha('1') },
  { path: 'database/sequences.json', bytes: 40, sha256: sha('2') },
  { path: `blobs/ab/${BLOB}`, bytes: 2048, sha256: BLOB },
  { path: 'session-secret', bytes: 43, sha256: sha('3') },
  { path: 'temporal/temporal.db', bytes: 675_840, sha256: sha('4') },
];

function manifest(overrides: Partial<Manifest> = {}): Manifest {
  return {
    format: BACKUP_FORMAT,
    formatVersion: BACKUP_FORMAT_VERSION,
    lotseVersion: '0.1.0',
    createdAt: '2026-12-07T18:00:00.000Z',
    database: {
      source: 'embedded',
      migrations: [
        { createdAt: 100, hash: 'h0' },
        { createdAt: 200, hash: 'h1' },
      ],
      tables: ['cases'],
    },
    temporal: { source: 'embedded', namespace: 'default' },
    counts: { cases: 1, openTasks: 1, documents: 1, blobs: 1 },
    parts: summariseParts(files),
    files,
    ...overrides,
  };
}

const found = (entries: readonly FileEntry[]) =>
  new Map(entries.map((file) => [file.path, { bytes: file.bytes, sha256: file.sha256 }]));

describe('backup manifest', () => {
  it('round-trips through its JSON', () => {
    // Invariant: what `lotse backup` writes, `lotse restore` reads back unchanged.
    expect(parseManifest(serialiseManifest(manifest()))).toEqual(manifest());
  });

  it.each([
    ['not JSON', 'PK\u0003\u0004 a zip file', 'not JSON'],
    ['another JSON file', '{"name":"lotse"}', 'does not describe a Lotse backup'],
    [
      'a newer format version',
      JSON.stringify({ ...manifest(), formatVersion: BACKUP_FORMAT_VERSION + 1 }),
      `format version ${BACKUP_FORMAT_VERSION + 1} is not supported`,
    ],
    ['a missing field', JSON.stringify({ ...manifest(), counts: undefined }), 'counts is invalid'],
    [
      'a file name no backup uses',
      JSON.stringify(manifest({ files: [...files, { path: '../etc/passwd', bytes: 1, sha256: sha('5') }] })),
      'unexpected file: ../etc/passwd',
    ],
    [
      'a part digest that does not match its files',
      JSON.stringify(
        manifest({ parts: { ...summariseParts(files), blobs: { files: 1, bytes: 2048, sha256: sha('9') } } }),
      ),
      'the blobs part does not match',
    ],
  ])('refuses %s with a clear message', (_, text, message) => {
    // Invariant: a restore stops before touching anything when the manifest is not one it understands.
    expect(() => parseManifest(text)).toThrow(BackupFormatError);
    expect(() => parseManifest(text)).toThrow(message);
  });

  it('a part digest changes when any file of the part changes', () => {
    // Invariant: the per-part SHA-256 covers every file's content and name.
    const before = summariseParts(files).database?.sha256;
    const changed = files.map((file) =>
      file.path === 'database/sequences.json' ? { ...file, sha256: sha('7') } : file,
    );
    expect(summariseParts(changed).database?.sha256).not.toBe(before);
    expect(summariseParts(changed).blobs?.sha256).toBe(summariseParts(files).blobs?.sha256);
  });
});

describe('verifying extracted files', () => {
  it('accepts exactly the listed files with their sizes and hashes', () => {
    expect(verifyFiles(manifest(), found(files))).toEqual([]);
  });

  it('names each missing, changed or unlisted file', () => {
    // Invariant: one flipped byte anywhere (a different SHA-256), a lost file or a smuggled one fails the restore.
    const extracted = found(files.filter((file) => file.path !== 'session-secret'));
    extracted.set('database/public.cases.jsonl', { bytes: 120, sha256: sha('8') });
    extracted.set('database/public.users.jsonl', { bytes: 10, sha256: sha('6') });
    expect(verifyFiles(manifest(), extracted)).toEqual([
      `database/public.cases.jsonl: content differs from the manifest (SHA-256 ${'8'.repeat(12)}…)`,
      'session-secret: missing',
      'database/public.users.jsonl: not in the manifest',
    ]);
  });
});

describe('archive entry names', () => {
  it.each([
    ['database/public.cases.jsonl', 'database'],
    ['database/sequences.json', 'database'],
    [`blobs/ab/${BLOB}`, 'blobs'],
    ['session-secret', 'secret'],
    ['temporal/temporal.db', 'temporal'],
    ['temporal/temporal.db-wal', 'temporal'],
    ['../session-secret', undefined],
    ['/etc/passwd', undefined],
    [`blobs/cd/${BLOB}`, undefined],
    ['blobs/incoming/upload', undefined],
    ['database/public.x"; drop table cases.jsonl', undefined],
    ['temporal/../../temporal.db', undefined],
  ])('%s belongs to %s', (name, part) => {
    // Invariant: only the names a Lotse backup writes are extracted; nothing lands outside the staging folder.
    expect(partOf(name)).toBe(part);
  });
});

describe('migration level', () => {
  const journal = [
    { when: 100, tag: '0000_init' },
    { when: 200, tag: '0001_engine' },
    { when: 300, tag: '0002_sites' },
  ];

  it('is the number of our migrations the backup had applied', () => {
    // Invariant: an older backup restores at its own schema level; npm start then migrates forward.
    expect(migrationLevel(manifest().database.migrations, journal)).toBe(2);
    expect(migrationLevel([], journal)).toBe(0);
  });

  it('refuses a backup from a newer Lotse', () => {
    const newer = [...manifest().database.migrations, { createdAt: 300, hash: 'h2' }, { createdAt: 400, hash: 'h3' }];
    expect(() => migrationLevel(newer, journal)).toThrow('this Lotse knows 3');
  });

  it('refuses a backup whose migrations are not ours', () => {
    expect(() =>
      migrationLevel(
        [
          { createdAt: 100, hash: 'h0' },
          { createdAt: 250, hash: 'x' },
        ],
        journal,
      ),
    ).toThrow("not this Lotse's 0001_engine");
  });
});
