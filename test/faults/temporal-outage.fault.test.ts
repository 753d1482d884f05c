import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, eq, notLike } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../engine/config.js';
import { cases, outboxMails, tasks } from '../../engine/db/schema.js';
import { startSystem, type System } from '../../engine/main/system.js';
import { createAccountRepository } from '../../engine/repositories/account.repository.js';
import { createAuthService } from '../../engine/services/auth.service.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { loadServiceFolder } from '../../engine/services/service-definition.js';
import { newSubmissionToken } from '../../engine/web/http.js';
import { WebClient } from '../browserless-client.js';
import { generalInquiryWithMail, testServiceCopy } from '../service-versions.js';
import { eventually } from '../system.js';
import { dataFolder, environmentOf, freePorts, holdPort, killServer, type LotsePorts } from './lotse-process.js';

/** A case's mails from its service's model; the platform's notifications (ADR 0030) are counted apart. */
const serviceMailsOf = (caseId: string) =>
  and(eq(outboxMails.caseId, caseId), notLike(outboxMails.idempotencyKey, 'notification:%'));

/**
 * The Temporal dev server child dies (issue 7, defect 3): the supervisor restarts it, /healthz says so at once,
 * a submit during the outage answers 503 and keeps the input, and nothing waits for the next boot.
 * A whole Lotse in this process with its own embedded PostgreSQL and Temporal, as `npm start` runs them.
 */
describe('Temporal dev server killed', () => {
  let dataDir: string;
  let ports: LotsePorts;
  let system: System;
  let dbFile: string;

  beforeAll(async () => {
    dataDir = await dataFolder();
    ports = await freePorts();
    dbFile = path.join(dataDir, 'temporal.db');
    system = await startSystem(loadConfig({ ...environmentOf(dataDir, ports), PORT: '0' }), () => {});
  });

  afterAll(async () => {
    await system?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const health = async () => {
    const started = Date.now();
    const response = await fetch(`${system.url}/healthz`);
    const body: unknown = await response.json();
    return { status: response.status, body, ms: Date.now() - started };
  };
  const healthyAgain = () =>
    eventually(async () => ((await health()).status === 200 ? true : undefined), 60_000, 'a healthy system');

  it('is restarted by the supervisor, and /healthz reports it down within 2 s meanwhile', async () => {
    // Invariant: a dead Temporal shows in /healthz within 2 s (503, temporal down) and comes back by itself.
    const killedAt = Date.now();
    await killServer(['--db-filename', dbFile]);
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ temporal: 'down', database: 'up' });
    expect(Date.now() - killedAt).toBeLessThan(2000);
    await healthyAgain();
    console.log(`[fault] /healthz 503 after ${down.ms} ms; healthy again ${Date.now() - killedAt} ms after the kill`);
  });

  it('a submit during an outage answers 503 with the input kept, and the case starts once Temporal is back', async () => {
    // Invariant: no submission is lost and none is made twice: the form comes back with what was typed and the same
    // token, a second send with it makes no second case, and the case's workflow starts without a restart of Lotse.
    const company = new WebClient(system.url);
    await company.login(DEMO_ACCOUNTS.companyUser.email, DEMO_PASSWORD);
    await company.get('/services/general-inquiry/start');
    const token = company.hidden('_token') ?? '';
    const fields = {
      subject: 'Anfrage während der Störung',
      message: 'Diese Nachricht darf beim Ausfall nicht verloren gehen.',
      contactChannel: 'email',
    };

    await killServer(['--db-filename', dbFile]);
    const port = await holdPort(ports.temporal);
    let released = false;
    try {
      const sentAt = Date.now();
      const during = await company.submit('/services/general-inquiry/start', fields);
      const answeredMs = Date.now() - sentAt;
      expect(during.status).toBe(503);
      expect(during.html).toContain('bitte in einigen Minuten erneut senden');
      expect(during.html).toContain(fields.subject);
      expect(during.html).toContain(fields.message);
      expect(company.hidden('_token')).toBe(token);
      expect(answeredMs).toBeLessThan(8000);
      console.log(`[fault] submit during the Temporal outage answered 503 after ${answeredMs} ms`);

      // Sending again with the same token during the outage: still one case row, still no workflow.
      expect((await company.submit('/services/general-inquiry/start', fields)).status).toBe(503);
      const rows = await system.db.select().from(cases).where(eq(cases.submissionToken, token));
      expect(rows).toHaveLength(1);
      expect(rows[0]?.seq).toBe(0);
      // The company already sees the case it sent, with the start status (docs/RELIABILITY.md).
      expect((await company.get('/cases')).html).toContain(rows[0]?.number ?? 'missing');

      await port.release();
      released = true;
      const releasedAt = Date.now();
      const [row] = rows;
      const task = await eventually(
        async () => {
          const [open] = await system.db
            .select()
            .from(tasks)
            .where(and(eq(tasks.caseId, row?.id ?? ''), eq(tasks.status, 'open')));
          return open;
        },
        60_000,
        'the workflow of the case sent during the outage',
      );
      expect(task.elementId).toBe('Task_Answer');
      console.log(`[fault] the case sent during the outage started ${Date.now() - releasedAt} ms after Temporal could`);
      // Sending again now lands on the same case.
      const again = await company.submit('/services/general-inquiry/start', fields, { token });
      expect(again.status).toBe(303);
      expect(again.headers.get('location')).toContain(row?.id ?? 'missing');
    } finally {
      if (!released) await port.release();
    }
  });

  it('a draft sent during an outage answers 503 with a way back, and its one case starts once Temporal is back', async () => {
    // Invariant: the answers of a start in steps are not lost (the draft keeps them, then the case row does), and
    // sending the draft again makes no second case.
    await healthyAgain();
    await system.services.catalog.publish(
      await loadServiceFolder(fileURLToPath(new URL('./fixtures/two-steps', import.meta.url))),
    );
    const company = new WebClient(system.url);
    await company.login(DEMO_ACCOUNTS.companyUser.email, DEMO_PASSWORD);
    const begun = await company.get('/services/fault-two-steps/start');
    expect(begun.status).toBe(303);
    const draftId = /\/drafts\/([0-9a-f-]{36})\//.exec(begun.headers.get('location') ?? '')?.[1] ?? '';
    const subject = `Zweistufig im Ausfall ${draftId.slice(0, 8)}`;
    for (const [step, fields] of [
      [1, { subject }],
      [2, { details: 'Alles Weitere steht hier.' }],
    ] as const) {
      await company.get(`/drafts/${draftId}/steps/${step}`);
      expect((await company.submit(`/drafts/${draftId}/steps/${step}`, { ...fields, _action: 'next' })).status).toBe(
        303,
      );
    }
    await company.get(`/drafts/${draftId}/review`);

    await killServer(['--db-filename', dbFile]);
    const port = await holdPort(ports.temporal);
    let released = false;
    try {
      const during = await company.submit(`/drafts/${draftId}/submit`, {});
      expect(during.status).toBe(503);
      expect(during.html).toContain('Der Dienst ist kurz nicht erreichbar');
      expect(during.html).toContain(`href="/drafts/${draftId}/review"`);
      const rows = await system.db.select().from(cases).where(eq(cases.subject, subject));
      expect(rows.map((row) => row.seq)).toEqual([0]);
      // Sending again (from the review page, kept by Back) lands on the one case.
      const again = await company.submit(`/drafts/${draftId}/submit`, {}, { csrf: company.hidden('_csrf') });
      expect([303, 503]).toContain(again.status);
      expect(await system.db.select().from(cases).where(eq(cases.subject, subject))).toHaveLength(1);
      await port.release();
      released = true;
      const [row] = rows;
      const task = await eventually(
        async () => {
          const [open] = await system.db
            .select()
            .from(tasks)
            .where(and(eq(tasks.caseId, row?.id ?? ''), eq(tasks.status, 'open')));
          return open;
        },
        60_000,
        'the workflow of the draft sent during the outage',
      );
      expect(task.elementId).toBe('Task_Check');
      expect(await system.db.select().from(cases).where(eq(cases.subject, subject))).toHaveLength(1);
    } finally {
      if (!released) await port.release();
    }
  });

  it('cases waiting at a timer and at a task during an outage go on once: late timers fire, jobs run once', async () => {
    // Invariant: a timer due while Temporal is down fires after the restart, once (one mail per case); a case
    // waiting at a task is still waiting and completes once.
    await healthyAgain();
    const published = await system.services.catalog.publish(
      await loadServiceFolder(fileURLToPath(new URL('./fixtures/timer-reminder', import.meta.url))),
    );
    expect(published.created).toBe(true);
    const auth = createAuthService({ accounts: createAccountRepository(system.db) });
    const company = await auth.loginCompanyUser(DEMO_ACCOUNTS.companyUser.email, DEMO_PASSWORD);
    const caseworker = await auth.loginStaff(DEMO_ACCOUNTS.caseworker.email, DEMO_PASSWORD);
    if (!company || !caseworker) throw new Error('demo accounts missing');
    const started = await Promise.all(
      [1, 2, 3].map(async (n) => {
        const result = await system.services.caseStarts.submit(company, 'fault-timer-reminder', newSubmissionToken(), {
          subject: `Frist ${n}`,
        });
        if (!result?.ok) throw new Error('case did not start');
        return result.caseId;
      }),
    );
    // The general inquiry as it shipped with its own answer mail (ADR 0029): its completion must mail once.
    await system.services.catalog.publish(testServiceCopy(await generalInquiryWithMail(), 'outage-mail-inquiry'));
    const inquiry = await system.services.caseStarts.submit(company, 'outage-mail-inquiry', newSubmissionToken(), {
      subject: 'Wartet auf Antwort',
      message: 'Dieser Fall wartet während des Ausfalls an einer Aufgabe.',
      contactChannel: 'email',
    });
    if (!inquiry?.ok) throw new Error('inquiry did not start');
    const openTaskOf = (caseId: string, timeoutMs = 30_000) =>
      eventually(
        async () => {
          const [open] = await system.db
            .select()
            .from(tasks)
            .where(and(eq(tasks.caseId, caseId), eq(tasks.status, 'open')));
          return open;
        },
        timeoutMs,
        `an open task of ${caseId}`,
      );
    await openTaskOf(inquiry.caseId);

    // When Temporal is killed before the timers (6 s) are due and stays away past their due time
    await killServer(['--db-filename', dbFile]);
    const port = await holdPort(ports.temporal);
    await new Promise((resolve) => setTimeout(resolve, 9000));
    expect(
      await system.db
        .select()
        .from(outboxMails)
        .where(serviceMailsOf(started[0] ?? '')),
    ).toHaveLength(0);
    await port.release();
    await healthyAgain();

    // Then every late timer fires, once
    for (const caseId of started) {
      const task = await openTaskOf(caseId, 60_000);
      expect(task.elementId).toBe('Task_Check');
      expect(await system.db.select().from(outboxMails).where(serviceMailsOf(caseId))).toHaveLength(1);
    }
    // And the case that waited at its task is completed once
    const task = await openTaskOf(inquiry.caseId);
    const done = await system.services.tasks.complete(caseworker, task.id, newSubmissionToken(), {
      answer: 'Auch nach dem Ausfall beantwortet.',
    });
    expect(done).toMatchObject({ ok: true });
    await eventually(
      async () => {
        const [row] = await system.db.select().from(cases).where(eq(cases.id, inquiry.caseId));
        return row?.status === 'completed' ? row : undefined;
      },
      30_000,
      'the inquiry to complete',
    );
    expect(await system.db.select().from(outboxMails).where(serviceMailsOf(inquiry.caseId))).toHaveLength(1);
  });
});
