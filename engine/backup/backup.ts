/**
 * `lotse backup` and `lotse restore`: the shell around the manifest (pure) and the database dump.
 * One `.tar.gz` holds manifest.json first, then the database dump, the blobs, the session secret and
 * the Temporal dev server's SQLite file. With embedded servers both are taken with Lotse stopped, so the
 * read model and Temporal agree (ADR 0012).
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { embeddedDatabaseUrl, startEmbeddedPostgres } from '../infra/embedded-postgres.js';
import { claimDataFolder, isAlive, processesWithArguments } from '../infra/processes.js';
import { clearDatabase, databaseIsEmpty, dumpDatabase, readJournal, restoreDatabase } from './database-dump.js';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  BackupFormatError,
  MANIFEST_NAME,
  migrationLevel,
  parseManifest,
  partOf,
  serialiseManifest,
  summariseParts,
  verifyFiles,
  type FileEntry,
  type Manifest,
} from './manifest.js';
import { createTarWriter, readTar } from './tar.js';

export interface BackupSettings {
  dataDir: string;
  /** Set: the database is external (DATABASE_URL); unset: the embedded one in DATA_DIR/pg. */
  databaseUrl?: string;
  /** Set: Temporal is an external cluster (TEMPORAL_ADDRESS); unset: the dev server's SQLite file. */
  temporalAddress?: string;
  temporalNamespace: string;
  log: (line: string) => void;
}

/** A refusal with a message for the operator (exit code 1, no stack trace). */
export class BackupRefusedError extends Error {}

/** What a manifest can hold at most: a bigger first entry is not ours. */
const MANIFEST_MAX_BYTES = 64 * 1024 * 1024;
const LOTSE_VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

/** What the operator of an external Temporal cluster has to do: printed by both commands and in the README. */
export const EXTERNAL_TEMPORAL_NOTE =
  "Temporal runs as an external cluster: its state is not in this file. Back up the cluster's persistence " +
  '(its PostgreSQL/MySQL/Cassandra databases, or ask Temporal Cloud) at the same time, with the Lotse worker ' +
  'stopped, and restore both together: a read model and a Temporal state from different moments disagree.';

export interface BackupSummary {
  file: string;
  bytes: number;
  manifest: Manifest;
  elapsedMs: number;
}

export async function createBackup(file: string, settings: BackupSettings): Promise<BackupSummary> {
  const started = Date.now();
  const target = path.resolve(file);
  const dataDir = path.resolve(settings.dataDir);
  if (existsSync(target)) throw new BackupRefusedError(`${target} exists already: choose another file name`);
  if (!existsSync(path.dirname(target)))
    throw new BackupRefusedError(`the folder ${path.dirname(target)} does not exist`);
  const embedded = !settings.databaseUrl || !settings.temporalAddress;
  let release = () => {};
  if (embedded) {
    if (!existsSync(dataDir))
      throw new BackupRefusedError(`${dataDir} does not exist: nothing to back up (is DATA_DIR right?)`);
    refuseWhileRunning(dataDir, 'before a backup');
    release = claimDataFolder(dataDir);
  }
  const staging = `${target}.staging-${process.pid}`;
  const partial = `${target}.partial-${process.pid}`;
  try {
    await removeStale(path.dirname(target), `${path.basename(target)}.staging-`);
    await removeStale(path.dirname(target), `${path.basename(target)}.partial-`);
    // The dump holds personal data: readable by us only while it waits to be packed.
    await mkdir(staging, { mode: 0o700 });
    await mkdir(path.join(staging, 'database'));
    const dump = await withDatabase(dataDir, settings, false, (url) =>
      dumpDatabase(url, path.join(staging, 'database')),
    );
    settings.log(
      `database: ${dump.tables.length} tables, ${dump.counts.cases} cases, ${dump.counts.openTasks} open tasks`,
    );

    // [name in the archive, path on disk]
    const sources: [string, string][] = dump.files.map((name) => [
      `database/${name}`,
      path.join(staging, 'database', name),
    ]);
    for (const blob of await listBlobs(path.join(dataDir, 'blobs')))
      sources.push([`blobs/${blob}`, path.join(dataDir, 'blobs', blob)]);
    const blobCount = sources.filter(([name]) => name.startsWith('blobs/')).length;
    const secret = path.join(dataDir, 'session-secret');
    if (existsSync(secret)) sources.push(['session-secret', secret]);
    if (!settings.temporalAddress) {
      const dbFile = path.join(dataDir, 'temporal.db');
      if (!existsSync(dbFile)) {
        throw new BackupRefusedError(`${dbFile} is missing: there is no Temporal state to back up with the database`);
      }
      for (const suffix of ['', '-wal', '-shm']) {
        if (existsSync(dbFile + suffix)) sources.push([`temporal/temporal.db${suffix}`, dbFile + suffix]);
      }
    }

    const files: FileEntry[] = [];
    for (const [name, source] of sources) {
      const { bytes, sha256 } = await hashFile(source);
      if (name.startsWith('blobs/') && !name.endsWith(sha256)) {
        settings.log(`warning: ${name} does not hold the content its name says (damaged on disk); backed up as it is`);
      }
      files.push({ path: name, bytes, sha256 });
    }
    const manifest: Manifest = {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      lotseVersion: LOTSE_VERSION,
      createdAt: new Date().toISOString(),
      database: {
        source: settings.databaseUrl ? 'external' : 'embedded',
        migrations: dump.migrations,
        tables: dump.tables,
      },
      temporal: settings.temporalAddress
        ? { source: 'external', address: settings.temporalAddress, namespace: settings.temporalNamespace }
        : { source: 'embedded', namespace: settings.temporalNamespace },
      counts: { ...dump.counts, blobs: blobCount },
      parts: summariseParts(files),
      files,
    };

    const gzip = createGzip({ level: 6 });
    const written = pipeline(gzip, createWriteStream(partial, { mode: 0o600 }));
    try {
      const tar = createTarWriter(gzip);
      const mtime = Math.floor(Date.now() / 1000);
      const manifestBytes = Buffer.from(serialiseManifest(manifest), 'utf8');
      await tar.add({ name: MANIFEST_NAME, size: manifestBytes.length, mtime, mode: 0o600 }, manifestBytes);
      for (const [index, [name, source]] of sources.entries()) {
        const entry = files[index];
        if (!entry) throw new Error(`no manifest entry for ${name}`);
        // Hashed again while written: a file that changed since it was listed fails the backup, not the restore.
        await tar.add({ name, size: entry.bytes, mtime, mode: 0o600 }, verifiedContent(source, entry));
      }
      await tar.finish();
      await written;
    } catch (error) {
      gzip.destroy();
      await written.catch(() => {});
      throw error;
    }
    await rename(partial, target);
    return { file: target, bytes: (await stat(target)).size, manifest, elapsedMs: Date.now() - started };
  } finally {
    await rm(staging, { recursive: true, force: true });
    await rm(partial, { force: true });
    release();
  }
}

export interface RestoreSummary {
  manifest: Manifest;
  rows: number;
  elapsedMs: number;
}

/**
 * Restores a backup into DATA_DIR (and DATABASE_URL when set). Nothing is touched before the whole file
 * has been read and every SHA-256 checked; existing data is replaced only with `force`, and only after
 * the new database has been built next to it.
 */
export async function restoreBackup(
  file: string,
  settings: BackupSettings & { force: boolean },
): Promise<RestoreSummary> {
  const started = Date.now();
  const source = path.resolve(file);
  const dataDir = path.resolve(settings.dataDir);
  if (!existsSync(source)) throw new BackupRefusedError(`${source} does not exist`);
  refuseWhileRunning(dataDir, 'before a restore into it');
  if (settings.databaseUrl && !settings.force && !(await databaseIsEmpty(settings.databaseUrl))) {
    throw new BackupRefusedError('the database at DATABASE_URL is not empty: pass --force to replace it');
  }
  const created = !existsSync(dataDir);
  await mkdir(dataDir, { recursive: true });
  const present = (await readdir(dataDir)).filter((name) => name !== 'lotse.pid' && !name.startsWith('.restore-'));
  if (present.length > 0 && !settings.force) {
    throw new BackupRefusedError(
      `${dataDir} is not empty (${present.slice(0, 5).join(', ')}${present.length > 5 ? ', …' : ''}): ` +
        'restore into an empty data folder, or pass --force to replace what is there',
    );
  }
  const release = claimDataFolder(dataDir);
  const staging = path.join(dataDir, `.restore-${process.pid}`);
  try {
    await removeStale(dataDir, '.restore-');
    await mkdir(staging, { recursive: true, mode: 0o755 });
    const { manifest, level } = await extract(source, staging, settings);

    if (settings.databaseUrl && settings.force) await clearDatabase(settings.databaseUrl);
    const { rows } = await withDatabase(staging, settings, true, (url) =>
      restoreDatabase(url, path.join(staging, 'database'), level),
    );

    // Everything is built: only now is what was there replaced.
    const parts = ['pg', 'blobs', 'session-secret', 'temporal.db', 'temporal.db-wal', 'temporal.db-shm'];
    for (const part of parts) await rm(path.join(dataDir, part), { recursive: true, force: true });
    if (!settings.databaseUrl) await rename(path.join(staging, 'pg'), path.join(dataDir, 'pg'));
    await mkdir(path.join(staging, 'blobs'), { recursive: true });
    await rename(path.join(staging, 'blobs'), path.join(dataDir, 'blobs'));
    if (existsSync(path.join(staging, 'session-secret'))) {
      await chmod(path.join(staging, 'session-secret'), 0o600);
      await rename(path.join(staging, 'session-secret'), path.join(dataDir, 'session-secret'));
    }
    for (const name of ['temporal.db', 'temporal.db-wal', 'temporal.db-shm']) {
      const extracted = path.join(staging, 'temporal', name);
      if (existsSync(extracted)) await rename(extracted, path.join(dataDir, name));
    }
    return { manifest, rows, elapsedMs: Date.now() - started };
  } catch (error) {
    // A failed restore leaves a folder it created as it found it: absent.
    if (created) await rm(dataDir, { recursive: true, force: true });
    throw error;
  } finally {
    await rm(staging, { recursive: true, force: true });
    release();
  }
}

/** Reads the whole file into `staging`, checking the manifest first and every file's SHA-256 at the end. */
async function extract(source: string, staging: string, settings: BackupSettings) {
  let manifest: Manifest | undefined;
  let manifestText = '';
  let level = 0;
  const journal = await readJournal();
  const found = new Map<string, { bytes: number; sha256: string }>();
  const checkManifest = () => {
    manifest = parseManifest(manifestText);
    level = migrationLevel(manifest.database.migrations, journal);
    if (manifest.temporal.source === 'embedded' && settings.temporalAddress) {
      throw new BackupRefusedError(
        "this backup holds the embedded Temporal dev server's state: unset TEMPORAL_ADDRESS to restore it",
      );
    }
    if (manifest.temporal.source === 'embedded' && manifest.temporal.namespace !== settings.temporalNamespace) {
      throw new BackupRefusedError(
        `this backup's cases run in the Temporal namespace '${manifest.temporal.namespace}': set ` +
          `TEMPORAL_NAMESPACE=${manifest.temporal.namespace} to restore it (it is '${settings.temporalNamespace}')`,
      );
    }
    if (manifest.temporal.source === 'external' && !settings.temporalAddress) {
      throw new BackupRefusedError(
        `this backup was taken with an external Temporal cluster (${manifest.temporal.address}) and holds no ` +
          'Temporal state: set TEMPORAL_ADDRESS to that cluster, restored from its backup of the same moment',
      );
    }
    return manifest;
  };
  try {
    await readTar(createReadStream(source).pipe(createGunzip()), async (header) => {
      if (manifest === undefined && manifestText !== '') checkManifest();
      if (manifest === undefined) {
        if (header.name !== MANIFEST_NAME || header.size > MANIFEST_MAX_BYTES) {
          throw new BackupFormatError('the file does not start with manifest.json: it is not a Lotse backup');
        }
        const chunks: Buffer[] = [];
        return new Writable({
          write(chunk: Buffer, _encoding, done) {
            chunks.push(chunk);
            done();
          },
          final(done) {
            manifestText = Buffer.concat(chunks).toString('utf8') || ' ';
            done();
          },
        });
      }
      // Names decide where a file lands: only the names a Lotse backup uses, never a path out of staging.
      if (!partOf(header.name) || found.has(header.name)) {
        throw new BackupFormatError(`unexpected entry in the backup file: ${header.name}`);
      }
      const target = path.join(staging, header.name);
      await mkdir(path.dirname(target), { recursive: true });
      return hashingFile(target, (result) => found.set(header.name, result));
    });
  } catch (error) {
    if (error instanceof BackupFormatError || error instanceof BackupRefusedError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new BackupFormatError(`the backup file cannot be read (${message}): it is damaged or not a Lotse backup`);
  }
  if (manifest === undefined && manifestText !== '') checkManifest();
  if (manifest === undefined) throw new BackupFormatError('the backup file has no manifest.json');
  const problems = verifyFiles(manifest, found);
  if (problems.length > 0) {
    throw new BackupFormatError(
      `the backup file is damaged, nothing was restored:\n  ${problems.slice(0, 20).join('\n  ')}` +
        (problems.length > 20 ? `\n  … and ${problems.length - 20} more` : ''),
    );
  }
  return { manifest, level };
}

/**
 * Refuses while a Lotse, or a PostgreSQL or Temporal dev server of this data folder, runs: a copy taken
 * from under running servers would not be consistent, and a restore under them would corrupt them.
 */
function refuseWhileRunning(dataDir: string, action: string) {
  const pidFile = path.join(dataDir, 'lotse.pid');
  const recorded = existsSync(pidFile) ? Number.parseInt(readFileSync(pidFile, 'utf8'), 10) : NaN;
  const running: string[] = [];
  if (Number.isInteger(recorded) && recorded !== process.pid && isAlive(recorded) && isNodeProcess(recorded)) {
    running.push(`Lotse (pid ${recorded})`);
  }
  for (const pid of processesWithArguments(['-D', path.join(dataDir, 'pg')])) running.push(`PostgreSQL (pid ${pid})`);
  for (const pid of processesWithArguments(['--db-filename', path.join(dataDir, 'temporal.db')])) {
    running.push(`the Temporal dev server (pid ${pid})`);
  }
  if (running.length > 0) {
    throw new BackupRefusedError(
      `${running.join(', ')} ${running.length > 1 ? 'are' : 'is'} running on ${dataDir}: stop Lotse (Ctrl-C) ` +
        `${action}. A backup of running embedded servers would not be consistent.`,
    );
  }
}

/** What an interrupted backup or restore (Ctrl-C, kill) left behind: `<prefix><pid>` of a process that is gone. */
async function removeStale(folder: string, prefix: string) {
  for (const name of await readdir(folder).catch(() => [])) {
    const pid = Number(name.slice(prefix.length));
    if (name.startsWith(prefix) && Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) {
      await rm(path.join(folder, name), { recursive: true, force: true });
    }
  }
}

function isNodeProcess(pid: number): boolean {
  try {
    return (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '').includes('node');
  } catch {
    return false;
  }
}

/**
 * Runs `work` against the database: the external one, or the embedded one of `folder/pg` started for the
 * moment on a free port (`create`: a new, empty one for a restore).
 */
async function withDatabase<T>(
  folder: string,
  settings: BackupSettings,
  create: boolean,
  work: (url: string) => Promise<T>,
): Promise<T> {
  if (settings.databaseUrl) return work(settings.databaseUrl);
  const pgDir = path.join(folder, 'pg');
  if (!create && !existsSync(path.join(pgDir, 'PG_VERSION'))) {
    throw new BackupRefusedError(`${pgDir} holds no database: nothing to back up (is DATA_DIR right?)`);
  }
  const port = await freePort();
  const postgres = await startEmbeddedPostgres(pgDir, port, () => {});
  try {
    return await work(embeddedDatabaseUrl(port));
  } finally {
    await postgres.stop();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** `<xx>/<sha256>` of every blob; uploads in flight (`incoming/`) and stray files are not backed up. */
async function listBlobs(root: string): Promise<string[]> {
  const blobs: string[] = [];
  const folders = await readdir(root).catch(() => []);
  for (const folder of folders.sort()) {
    for (const name of (await readdir(path.join(root, folder)).catch(() => [])).sort()) {
      const relative = `${folder}/${name}`;
      if (partOf(`blobs/${relative}`) && (await stat(path.join(root, relative))).isFile()) blobs.push(relative);
    }
  }
  return blobs;
}

async function hashFile(file: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    hash.update(buffer);
    bytes += buffer.length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

async function* verifiedContent(file: string, entry: FileEntry): AsyncIterable<Buffer> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    hash.update(buffer);
    yield buffer;
  }
  if (hash.digest('hex') !== entry.sha256) {
    throw new BackupRefusedError(`${entry.path} changed while the backup was written: is Lotse running?`);
  }
}

/** A file writer that reports the size and SHA-256 of what it wrote once it is closed. */
function hashingFile(target: string, done: (result: { bytes: number; sha256: string }) => void): Writable {
  const out = createWriteStream(target, { mode: 0o600 });
  const hash = createHash('sha256');
  let bytes = 0;
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      out.write(chunk, callback);
    },
    final(callback) {
      out.end((error?: Error | null) => {
        if (!error) done({ bytes, sha256: hash.digest('hex') });
        callback(error);
      });
    },
    destroy(error, callback) {
      out.destroy();
      callback(error);
    },
  });
}
