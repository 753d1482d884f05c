import { randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidents, tasks } from '../../engine/db/schema.js';
import { createLogger } from '../../engine/log/logger.js';
import { createAccountRepository } from '../../engine/repositories/account.repository.js';
import { createAuthService } from '../../engine/services/auth.service.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { newSubmissionToken } from '../../engine/web/http.js';
import { WebClient } from '../browserless-client.js';
import { generalInquiryWithMail, testServiceCopy } from '../service-versions.js';
import { eventually, startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

// A marker only this file's mails carry: the fault below refuses exactly those, no other test's mail.
const MARKER = `FAULT${randomUUID().replaceAll('-', '')}`;
let system: System;
const logLines: string[] = [];

beforeAll(async () => {
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => logLines.push(line) } });
  system = await startTestSystem({}, logger);
  // The real PostgreSQL refuses the outbox insert of these mails, as a full disk or a broken constraint
  // would: drizzle's error then carries the query's parameters (recipient, subject, whole body).
  await system.pool.query(`
    create or replace function lotse_fault_refuse_mail() returns trigger language plpgsql as $$
    begin
      if new.body like '%${MARKER}%' then raise exception 'the outbox refused the mail (test fault)'; end if;
      return new;
    end $$;
    drop trigger if exists lotse_fault_refuse_mail on outbox_mails;
    create trigger lotse_fault_refuse_mail before insert on outbox_mails
      for each row execute function lotse_fault_refuse_mail();
  `);
});

afterAll(async () => {
  await system?.pool.query(
    'drop trigger if exists lotse_fault_refuse_mail on outbox_mails; drop function if exists lotse_fault_refuse_mail()',
  );
  await system?.stop();
});

describe('no personal data in incidents and logs (issue 7, defect 6)', () => {
  it('a mail job failing on a database error raises an incident that names the cause, not the recipient, subject or body', async () => {
    const auth = createAuthService({ accounts: createAccountRepository(system.db) });
    const company = await auth.loginCompanyUser(DEMO_ACCOUNTS.companyUser.email, DEMO_PASSWORD);
    const caseworker = await auth.loginStaff(DEMO_ACCOUNTS.caseworker.email, DEMO_PASSWORD);
    if (!company || !caseworker) throw new Error('demo accounts missing');
    const subject = `Vertraulicher Betreff ${MARKER}`;
    const answer = `Vertrauliche Antwort an Frau Schmidt ${MARKER}`;
    // The general inquiry as it shipped with its own answer mail: the shipped one leaves mails to the platform.
    const slug = `personal-data-${Date.now()}`;
    await system.services.catalog.publish(testServiceCopy(await generalInquiryWithMail(), slug));
    const started = await system.services.caseStarts.submit(company, slug, newSubmissionToken(), {
      subject,
      message: 'Bitte um Rückruf.',
      contactChannel: 'email',
    });
    if (!started?.ok) throw new Error(`case did not start: ${JSON.stringify(started)}`);
    const task = await eventually(
      async () =>
        (
          await system.db
            .select()
            .from(tasks)
            .where(and(eq(tasks.caseId, started.caseId), eq(tasks.status, 'open')))
        )[0],
      15_000,
      'the task',
    );
    await system.services.tasks.complete(caseworker, task.id, newSubmissionToken(), { answer, followUpCall: false });

    const incident = await eventually(
      async () =>
        (
          await system.db
            .select()
            .from(incidents)
            .where(and(eq(incidents.caseId, started.caseId), isNull(incidents.resolvedAt)))
        )[0],
      30_000,
      'the incident of the mail step',
    );
    expect(incident.elementId).toBe('Task_SendAnswer');
    expect(incident.message).toBe('Database query failed: the outbox refused the mail (test fault)');

    const admin = new WebClient(system.url);
    await admin.login(DEMO_ACCOUNTS.administrator.email, DEMO_PASSWORD, true);
    const pages = [
      (await admin.get('/staff/incidents')).html,
      (await admin.get(`/staff/cases/${started.caseId}`)).html,
    ];
    expect(pages[0]).toContain('the outbox refused the mail');
    const personal = [DEMO_ACCOUNTS.companyUser.email, answer, 'Vertrauliche Antwort', MARKER];
    for (const text of personal) {
      expect(incident.message).not.toContain(text);
      expect(pages[0]).not.toContain(text);
      // The incident list on the case page: the case's own data is shown there, but not inside the incident.
      expect(pages[1]?.split('</ul>')[0]).not.toContain(text);
    }
    // The worker logged the failed attempts (the SDK through Lotse's logger): none of it names anyone.
    expect(logLines.length).toBeGreaterThan(0);
    const logged = logLines.join('\n');
    for (const text of personal) expect(logged).not.toContain(text);
    console.log(`[personal-data] incident: "${incident.message}"; ${logLines.length} log line(s) checked`);
  });
});
