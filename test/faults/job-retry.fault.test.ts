import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobActivities, emailJob } from '../../engine/activities/jobs.activities.js';
import { outboxMails } from '../../engine/db/schema.js';
import { createMailer } from '../../engine/mail/mailer.js';
import { createOutboxRepository } from '../../engine/repositories/outbox.repository.js';
import { DEMO_ACCOUNTS } from '../../engine/services/seed.js';
import { answeredInquiry } from '../journeys.js';
import { generalInquiryWithMail, testServiceCopy } from '../service-versions.js';
import { eventually, startTestSystem } from '../system.js';
import { startMailCatcher } from '../mail-catcher.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

let catcher: Awaited<ReturnType<typeof startMailCatcher>>;
let system: System;

beforeAll(async () => {
  catcher = await startMailCatcher();
  system = await startTestSystem({ SMTP_URL: catcher.url });
});

afterAll(async () => {
  await system?.stop();
  await catcher?.stop();
});

describe('a job that runs again after its side effect (a worker crash before the completion reached Temporal)', () => {
  it('sends the mail once: same outbox row, one SMTP delivery, a stable Message-ID', async () => {
    // Given a case whose answer mail went out through real SMTP (the general inquiry as it shipped with its own
    // answer mail: the shipped one leaves mails to the platform)
    const slug = `job-retry-${Date.now()}`;
    await system.services.catalog.publish(testServiceCopy(await generalInquiryWithMail(), slug));
    const { id: caseId } = await answeredInquiry(system, 'Wiederholter Auftrag', slug);
    // The service's own mail, not the platform's notifications to the company (ADR 0030).
    const mail = (await system.db.select().from(outboxMails).where(eq(outboxMails.caseId, caseId))).find(
      (row) => !row.idempotencyKey.startsWith('notification:'),
    );
    if (!mail) throw new Error('no answer mail');
    expect(mail.sentAt).not.toBeNull();
    const deliveries = () => catcher.received.filter((message) => message.raw.includes(mail.subject));
    await eventually(async () => (deliveries().length === 1 ? true : undefined));

    // When Temporal runs the same job again, as it does when the worker died after the side effect
    // and before reporting the result: same idempotency key, same request
    const activities = createJobActivities({
      email: emailJob(createMailer(createOutboxRepository(system.db), catcher.url, 'Lotse <noreply@example.org>')),
    });
    const elementId = mail.idempotencyKey.split(':')[1] ?? '';
    const retry = {
      caseId,
      caseNumber: 'WF-retry',
      elementId,
      tokenId: 'retry',
      taskType: 'email',
      idempotencyKey: mail.idempotencyKey,
      headers: { to: 'someone-else@example.org', subject: 'anders', body: 'anders' },
      variables: {},
    };
    await activities.runJob(retry);
    await activities.runJob(retry);

    // Then — invariant: at-least-once execution is made exactly-once by the key: still one row, one delivery
    const rows = await system.db.select().from(outboxMails).where(eq(outboxMails.idempotencyKey, mail.idempotencyKey));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.recipient).toBe(DEMO_ACCOUNTS.companyUser.email);
    expect(deliveries()).toHaveLength(1);
    expect(catcher.received.filter((message) => message.to.includes('someone-else@example.org'))).toHaveLength(0);
    // A resend in the one window left (SMTP accepted, not yet marked sent) carries the same Message-ID,
    // so mail systems recognise the duplicate.
    expect(deliveries()[0]?.raw).toMatch(/^Message-ID: <[^>]+@lotse>$/im);
  });
});
