import { rm } from 'node:fs/promises';
import path from 'node:path';
import { and, eq, notLike } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../engine/db/database.js';
import { caseEvents, cases, outboxMails, tasks } from '../../engine/db/schema.js';
import { startEmbeddedPostgres } from '../../engine/infra/embedded-postgres.js';
import { isAlive, stopProcess } from '../../engine/infra/processes.js';
import { resolveTemporalCli } from '../../engine/infra/temporal-cli.js';
import { startTemporalDevServer } from '../../engine/infra/temporal-dev-server.js';
import { PROJECT_ROOT } from '../../engine/main/system.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { WebClient } from '../browserless-client.js';
import { generalInquiryWithMail, testServiceCopy } from '../service-versions.js';
import { createServiceRepository } from '../../engine/repositories/service.repository.js';
import { createCatalogService } from '../../engine/services/catalog.service.js';
import { eventually } from '../system.js';
import {
  dataFolder,
  freePorts,
  serversGone,
  serversOf,
  spawnLotse,
  type LotsePorts,
  type LotseProcess,
} from './lotse-process.js';

/** A case's mails from its service's model; the platform's notifications (ADR 0030) are counted apart. */
const serviceMailsOf = (caseId: string) =>
  and(eq(outboxMails.caseId, caseId), notLike(outboxMails.idempotencyKey, 'notification:%'));

/** Ctrl-C in the terminal: npm itself ends by the signal, Lotse stops in order and says so. */
async function stoppedByCtrlC(lotse: LotseProcess) {
  lotse.interruptGroup();
  await lotse.exited;
  await eventually(async () => (lotse.output().includes('Stopped.') ? true : undefined), 30_000, 'Stopped.');
}

/**
 * Crashes of the whole `npm start` process group (issue 7, defect 2) and of the web+worker process mid-step,
 * on real embedded PostgreSQL and Temporal dev server processes with their own data folder and ports.
 */
describe('kill -9 of npm start', () => {
  let dataDir: string;
  let ports: LotsePorts;
  const running: LotseProcess[] = [];
  const start = () => {
    const lotse = spawnLotse(dataDir, ports);
    running.push(lotse);
    return lotse;
  };

  beforeAll(async () => {
    dataDir = await dataFolder();
    ports = await freePorts();
  });

  afterAll(async () => {
    for (const lotse of running) {
      try {
        lotse.killGroup();
      } catch {
        // already gone
      }
    }
    for (const pid of serversOf(dataDir)) await stopProcess(pid, 'SIGKILL', 1000);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('mid-step: no server outlives it, the next start is healthy, no case is lost and its mail job ran once', async () => {
    // Invariant: after kill -9 of the whole group, no PostgreSQL or Temporal of the data folder keeps running;
    // npm start on the same folder is healthy with nothing done by hand; the case is there once, its step ran
    // once (one entry into the mail step) and its job sent one mail.
    const first = start();
    await first.healthy();
    const database = connectDatabase(first.databaseUrl, 2);
    // The general inquiry as it shipped with its own answer mail (the shipped one leaves mails to the platform)
    const slug = 'crash-mail-inquiry';
    await createCatalogService({ services: createServiceRepository(database.db) }).publish(
      testServiceCopy(await generalInquiryWithMail(), slug),
    );
    const company = new WebClient(first.url);
    await company.login(DEMO_ACCOUNTS.companyUser.email, DEMO_PASSWORD);
    await company.get(`/services/${slug}/start?new=1`);
    await company.get(`/services/${slug}/start`);
    const submitted = await company.submit(`/services/${slug}/start`, {
      subject: 'Absturz mitten im Schritt',
      message: 'Was passiert, wenn der Server mitten in der Arbeit abstürzt?',
      contactChannel: 'email',
    });
    expect(submitted.status).toBe(303);
    const caseId = /\/cases\/([0-9a-f-]{36})/.exec(submitted.headers.get('location') ?? '')?.[1] ?? '';
    const openTask = () =>
      eventually(
        async () => {
          const [task] = await database.db
            .select()
            .from(tasks)
            .where(and(eq(tasks.caseId, caseId), eq(tasks.status, 'open')));
          return task;
        },
        30_000,
        'the open task',
      );
    const task = await openTask();
    const caseworker = new WebClient(first.url);
    await caseworker.login(DEMO_ACCOUNTS.caseworker.email, DEMO_PASSWORD, true);
    await caseworker.get(`/staff/tasks/${task.id}`);

    // When the caseworker's answer lands and the whole group is killed right after: the mail step is about to
    // run or running.
    const answered = await caseworker.submit(`/staff/tasks/${task.id}`, { answer: 'Dann geht es danach weiter.' });
    first.killGroup();
    expect(answered.status).toBe(303);
    await database.close().catch(() => undefined);

    // Then no server of the data folder is left running
    const killedAt = Date.now();
    expect(await serversGone(dataDir, 10_000)).toEqual([]);
    console.log(`[fault] servers gone ${Date.now() - killedAt} ms after kill -9 of the group`);

    // And npm start on the same folder is healthy again
    const second = start();
    console.log(`[fault] healthy again ${await second.healthy()} ms after the second npm start`);
    const after = connectDatabase(second.databaseUrl, 2);
    try {
      const done = await eventually(
        async () => {
          const [row] = await after.db.select().from(cases).where(eq(cases.id, caseId));
          return row?.status === 'completed' ? row : undefined;
        },
        60_000,
        'the case to complete after the restart',
      );
      expect(done.publicStatus).toBe('Beantwortet');
      const mails = await after.db.select().from(outboxMails).where(serviceMailsOf(caseId));
      expect(mails).toHaveLength(1);
      const entries = await after.db
        .select()
        .from(caseEvents)
        .where(
          and(
            eq(caseEvents.caseId, caseId),
            eq(caseEvents.type, 'elementEntered'),
            eq(caseEvents.elementId, 'Task_SendAnswer'),
          ),
        );
      expect(entries).toHaveLength(1);
      const caseTasks = await after.db.select().from(tasks).where(eq(tasks.caseId, caseId));
      expect(caseTasks.map((row) => [row.elementId, row.status])).toEqual([['Task_Answer', 'completed']]);
    } finally {
      await after.close();
    }
  });

  it('Ctrl-C stops web, worker, Temporal and PostgreSQL and leaves nothing running', async () => {
    // Invariant: the ordered shutdown still works with die-with-parent children and supervision (no restart on stop).
    const lotse = running.at(-1) ?? start();
    await lotse.healthy();
    await stoppedByCtrlC(lotse);
    expect(lotse.output()).not.toContain('restarting in');
    expect(await serversGone(dataDir, 5_000)).toEqual([]);
  });

  it('servers still running on the data folder without their Lotse are stopped at the next start', async () => {
    // Invariant: leftovers that did not die with their parent (no setpriv, an older Lotse) block no start: they
    // are found by their data folder and stopped; the start is healthy.
    const leftoverPostgres = await startEmbeddedPostgres(path.join(dataDir, 'pg'), ports.postgres, () => {});
    const leftoverTemporal = await startTemporalDevServer({
      cli: resolveTemporalCli(PROJECT_ROOT, process.env.TEMPORAL_CLI),
      dbFile: path.join(dataDir, 'temporal.db'),
      port: ports.temporal,
      uiPort: ports.temporalUi,
      namespace: 'default',
      log: () => {},
    });
    const leftovers = serversOf(dataDir);
    expect(leftovers).toHaveLength(2);

    const lotse = start();
    await lotse.healthy();
    expect(leftovers.filter(isAlive)).toEqual([]);
    expect(lotse.output()).toContain('an earlier Lotse left running');
    await Promise.all([leftoverPostgres.ended, leftoverTemporal.ended]);

    await stoppedByCtrlC(lotse);
  });

  it('a second npm start on a data folder in use is refused and stops nothing', async () => {
    // Invariant: stopping leftovers never takes the servers of a Lotse that is still running.
    const first = start();
    await first.healthy();
    const second = start();
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain('is running on the data folder');
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    await stoppedByCtrlC(first);
  });
});
