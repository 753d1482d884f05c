import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../engine/config.js';
import { cases, outboxMails, tasks } from '../../engine/db/schema.js';
import { startSystem, type System } from '../../engine/main/system.js';
import { createAccountRepository } from '../../engine/repositories/account.repository.js';
import { createAuthService } from '../../engine/services/auth.service.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { newSubmissionToken } from '../../engine/web/http.js';
import { generalInquiryWithMail, testServiceCopy } from '../service-versions.js';
import { eventually, startTestSystem } from '../system.js';

const inquiry = {
  subject: 'Gewerbeanmeldung',
  message: 'Wie melde ich ein zweites Gewerbe an?',
  contactChannel: 'email',
};

async function principals(system: System) {
  const auth = createAuthService({ accounts: createAccountRepository(system.db) });
  const company = await auth.loginCompanyUser(DEMO_ACCOUNTS.companyUser.email, DEMO_PASSWORD);
  const caseworker = await auth.loginStaff(DEMO_ACCOUNTS.caseworker.email, DEMO_PASSWORD);
  if (!company || !caseworker) throw new Error('demo accounts missing');
  return { company, caseworker };
}

/** The general inquiry as it shipped with its own answer mail: the job that must run once (ADR 0029). */
const MAIL_INQUIRY = 'durability-mail-inquiry';

async function startInquiry(system: System) {
  const { company } = await principals(system);
  await system.services.catalog.publish(testServiceCopy(await generalInquiryWithMail(), MAIL_INQUIRY));
  const started = await system.services.caseStarts.submit(company, MAIL_INQUIRY, newSubmissionToken(), inquiry);
  if (!started?.ok) throw new Error('case did not start');
  return started.caseId;
}

const openTaskOf = (system: System, caseId: string) =>
  eventually(
    async () => {
      const [task] = await system.db
        .select()
        .from(tasks)
        .where(and(eq(tasks.caseId, caseId), eq(tasks.status, 'open')));
      return task;
    },
    15_000,
    'an open task',
  );

const completedCase = (system: System, caseId: string) =>
  eventually(
    async () => {
      const [row] = await system.db.select().from(cases).where(eq(cases.id, caseId));
      return row?.status === 'completed' ? row : undefined;
    },
    15_000,
    'the case to complete',
  );

describe('durability', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('a worker stopped mid-case and started again goes on with nothing lost', async () => {
    const system = await startTestSystem();
    cleanups.push(system.stop);
    const { caseworker } = await principals(system);
    const caseId = await startInquiry(system);
    const task = await openTaskOf(system, caseId);

    // Given no worker is running
    await system.stopWorker();
    // When the caseworker completes the task, the completion waits for a worker
    const completion = system.services.tasks.complete(caseworker, task.id, newSubmissionToken(), {
      answer: 'Sie können ein zweites Gewerbe formlos anmelden.',
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const [waiting] = await system.db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(waiting?.status).toBe('open');

    // Then, once a worker runs again, the completion lands and the case finishes, mail sent once (the service's
    // answer; the platform's end notification once per member of the company, ADR 0030)
    await system.startWorker();
    await expect(completion).resolves.toMatchObject({ ok: true });
    await completedCase(system, caseId);
    const mails = await system.db.select().from(outboxMails).where(eq(outboxMails.caseId, caseId));
    expect(mails.filter((mail) => !mail.idempotencyKey.startsWith('notification:'))).toHaveLength(1);
    const ended = mails.filter((mail) => mail.idempotencyKey.startsWith(`notification:ended:${caseId}:`));
    expect(ended.length).toBeGreaterThan(0);
    expect(new Set(ended.map((mail) => mail.recipient)).size).toBe(ended.length);
  });

  it('a whole system stopped and started again on its data folder keeps the waiting case', async () => {
    // Its own embedded PostgreSQL and Temporal dev server (SQLite file), as `npm start` runs them.
    const dataDir = await mkdtemp(path.join(tmpdir(), 'lotse-restart-'));
    await chmod(dataDir, 0o755);
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const base = 20_000 + Math.floor(Math.random() * 2000);
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(base),
      TEMPORAL_DEV_PORT: String(base + 1),
      TEMPORAL_UI_PORT: String(base + 2),
      SESSION_SECRET: 'test-secret-test-secret-test-secret-42',
    });

    const first = await startSystem(config, () => {});
    let caseId: string;
    try {
      caseId = await startInquiry(first);
      await openTaskOf(first, caseId);
    } finally {
      await first.stop();
    }

    const second = await startSystem(config, () => {});
    cleanups.push(second.stop);
    const task = await openTaskOf(second, caseId);
    expect(task.elementId).toBe('Task_Answer');
    const { caseworker } = await principals(second);
    const done = await second.services.tasks.complete(caseworker, task.id, newSubmissionToken(), {
      answer: 'Auch nach dem Neustart beantwortet.',
    });
    expect(done).toMatchObject({ ok: true });
    const row = await completedCase(second, caseId);
    expect(row.publicStatus).toBe('Beantwortet');
    // Published once: the restart found the same content and made no second version.
    const versions = await second.services.catalog.current('general-inquiry');
    expect(versions?.version).toBe(1);
  });
});
