import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readJournal, restoreDatabase } from '../../engine/backup/database-dump.js';
import { connectDatabase, runMigrations } from '../../engine/db/database.js';
import { cases, tasks } from '../../engine/db/schema.js';
import { PROJECT_ROOT } from '../../engine/main/system.js';
import { createAccountRepository } from '../../engine/repositories/account.repository.js';
import { createAuthService } from '../../engine/services/auth.service.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { newSubmissionToken } from '../../engine/web/http.js';
import { WebClient } from '../browserless-client.js';
import { eventually, startTestSystem } from '../system.js';
import { dataFolder } from './lotse-process.js';

/**
 * Invariant (issue 7, backups with an external PostgreSQL and Temporal cluster): `lotse backup` takes what
 * Lotse owns — the database at DATABASE_URL, in one snapshot, and the blobs — says that the cluster's
 * persistence is the operator's to back up with it, and holds no Temporal part; `lotse restore` writes it
 * into an empty database only (a non-empty one needs --force), with every row as it was; together with the
 * cluster's state (here: the cluster itself, still running) the case goes on. A backup without Temporal state
 * is refused where the embedded dev server would need it.
 */

const TABLES_COMPARED = ['cases', 'tasks', 'case_events', 'companies', 'users', 'service_versions', 'session'];

function lotseCli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number; output: string }>((resolve) => {
    const { DATABASE_URL: _url, TEMPORAL_ADDRESS: _address, ...inherited } = process.env;
    execFile(
      process.execPath,
      [path.join(PROJECT_ROOT, 'bin', 'lotse.js'), ...args],
      { cwd: PROJECT_ROOT, env: { ...inherited, NODE_ENV: 'test', ...env }, timeout: 120_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}${stderr}` });
      },
    );
  });
}

/** Every row of the table as PostgreSQL prints it, in a stable order. */
async function rowsOf(url: string, table: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ row: string }>(`select row_to_json(t)::text as row from public.${table} t`);
    return rows.map((row) => row.row).sort();
  } finally {
    await client.end();
  }
}

describe('lotse backup and restore with an external database and Temporal cluster', () => {
  const serverUrl = new URL(inject('databaseUrl'));
  const temporalAddress = inject('temporalAddress');
  const suffix = randomUUID().slice(0, 8);
  const databaseUrl = (name: string) => Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString();
  const source = databaseUrl(`lotse_backup_source_${suffix}`);
  const target = databaseUrl(`lotse_backup_target_${suffix}`);
  const taskQueue = `lotse-backup-${suffix}`;
  let workDir: string;
  const cleanups: (() => Promise<void>)[] = [];

  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    workDir = await dataFolder();
    await admin(`create database lotse_backup_source_${suffix}`);
    await admin(`create database lotse_backup_target_${suffix}`);
  });

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await admin(`drop database if exists lotse_backup_source_${suffix} with (force)`);
    await admin(`drop database if exists lotse_backup_target_${suffix} with (force)`);
    await rm(workDir, { recursive: true, force: true });
  });

  it('backs up the database and blobs, restores into an empty database only, and the case goes on', async () => {
    // Given a Lotse on its own database with a case waiting for a caseworker
    const sourceDir = path.join(workDir, 'source');
    const system = await startTestSystem({ DATABASE_URL: source, DATA_DIR: sourceDir, TEMPORAL_TASK_QUEUE: taskQueue });
    let stopped = false;
    cleanups.push(async () => {
      if (!stopped) await system.stop();
    });
    const auth = createAuthService({ accounts: createAccountRepository(system.db) });
    const company = await auth.loginCompanyUser(DEMO_ACCOUNTS.companyUser.email, DEMO_PASSWORD);
    if (!company) throw new Error('no demo company user');
    const started = await system.services.caseStarts.submit(company, 'general-inquiry', newSubmissionToken(), {
      subject: 'Über einen Cluster gesichert',
      message: 'Geht dieser Vorgang nach der Wiederherstellung weiter?',
      contactChannel: 'email',
    });
    if (!started?.ok) throw new Error('the case did not start');
    const task = await eventually(
      async () =>
        (
          await system.db
            .select()
            .from(tasks)
            .where(and(eq(tasks.caseId, started.caseId), eq(tasks.status, 'open')))
        )[0],
      15_000,
      'the open task',
    );
    // Workers stopped, as the operator does for a backup taken together with the cluster's.
    await system.stop();
    stopped = true;

    // When it is backed up (external mode: no stop of anything on the data folder is required)
    const env = { DATABASE_URL: source, TEMPORAL_ADDRESS: temporalAddress, DATA_DIR: sourceDir };
    const file = path.join(workDir, 'external.tar.gz');
    const backup = await lotseCli(['backup', file], env);
    expect(backup.output).toContain('backup written');
    expect(backup.code).toBe(0);
    // Then it says what the operator must back up, and holds no Temporal part
    expect(backup.output).toContain("Back up the cluster's persistence");
    expect(backup.output).not.toMatch(/parts: .*temporal/);

    // And it is refused where the embedded dev server would need Temporal's state
    const embeddedDir = path.join(workDir, 'embedded');
    const refused = await lotseCli(['restore', file], { DATA_DIR: embeddedDir });
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('holds no Temporal state');
    expect(existsSync(embeddedDir)).toBe(false);

    // And it restores into the empty target database with every row as it was
    const targetDir = path.join(workDir, 'target');
    const targetEnv = { DATABASE_URL: target, TEMPORAL_ADDRESS: temporalAddress, DATA_DIR: targetDir };
    const restore = await lotseCli(['restore', file], targetEnv);
    expect(restore.output).toContain('restored the backup');
    expect(restore.code).toBe(0);
    for (const table of TABLES_COMPARED) expect(await rowsOf(target, table)).toEqual(await rowsOf(source, table));

    // And a second restore into the now filled database is refused without --force, and allowed with it
    await rm(targetDir, { recursive: true, force: true });
    const again = await lotseCli(['restore', file], targetEnv);
    expect(again.code).toBe(1);
    expect(again.output).toContain('DATABASE_URL is not empty');
    await mkdir(targetDir, { recursive: true });
    const forced = await lotseCli(['restore', file, '--force'], targetEnv);
    expect(forced.code).toBe(0);
    for (const table of TABLES_COMPARED) expect(await rowsOf(target, table)).toEqual(await rowsOf(source, table));

    // And a Lotse on the restored database, with the cluster's state of the same moment, completes the case
    const restored = await startTestSystem({
      DATABASE_URL: target,
      DATA_DIR: targetDir,
      TEMPORAL_TASK_QUEUE: taskQueue,
    });
    cleanups.push(restored.stop);
    const caseworker = new WebClient(restored.url);
    await caseworker.login(DEMO_ACCOUNTS.caseworker.email, DEMO_PASSWORD, true);
    await caseworker.get(`/staff/tasks/${task.id}`);
    const answered = await caseworker.submit(`/staff/tasks/${task.id}`, { answer: 'Ja, er geht weiter.' });
    expect(answered.status).toBe(303);
    const database = connectDatabase(target, 2);
    cleanups.push(database.close);
    await eventually(
      async () => {
        const [row] = await database.db.select().from(cases).where(eq(cases.id, started.caseId));
        return row?.status === 'completed' ? row : undefined;
      },
      30_000,
      'the case to complete on the restored database',
    );
  }, 180_000);

  it('a backup from an older schema restores at its own migration level, and the start migrates it on', async () => {
    // Invariant: restore recreates exactly the backup's schema (its first N of our migrations), so its rows fit;
    // the migrations after N are what npm start runs, as on any upgrade.
    const older = databaseUrl(`lotse_backup_older_${suffix}`);
    await admin(`create database lotse_backup_older_${suffix}`);
    cleanups.push(() => admin(`drop database if exists lotse_backup_older_${suffix} with (force)`));
    const emptyDump = path.join(workDir, 'older-dump');
    await mkdir(emptyDump, { recursive: true });
    await writeFile(path.join(emptyDump, 'sequences.json'), '[]\n');
    const journal = await readJournal();
    expect(journal.length).toBeGreaterThan(2);

    await restoreDatabase(older, emptyDump, 2);
    const applied = async () =>
      Number((await rowsOfQuery(older, 'select count(*)::text as n from drizzle.__drizzle_migrations'))[0]);
    expect(await applied()).toBe(2);

    const database = connectDatabase(older, 1);
    cleanups.push(database.close);
    await runMigrations(database.pool);
    expect(await applied()).toBe(journal.length);
  });
});

async function rowsOfQuery(url: string, sql: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ n: string }>(sql)).rows.map((row) => row.n);
  } finally {
    await client.end();
  }
}
