import { randomUUID } from 'node:crypto';
import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxMails } from '../../engine/db/schema.js';
import { createLogger } from '../../engine/log/logger.js';
import { NOTIFICATION_SWEEP_WORKFLOW } from '../../engine/temporal/notification-schedule.js';
import { newApplicant, submitGeneralInquiry } from '../journeys.js';
import { eventually, startTestSystem } from '../system.js';
import { startMailCatcher } from '../mail-catcher.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

let system: System;
let catcher: Awaited<ReturnType<typeof startMailCatcher>> | undefined;
let smtpPort: number;
const logLines: string[] = [];

beforeAll(async () => {
  // The mail server's address is known, but nothing answers there yet.
  const placeholder = await startMailCatcher();
  smtpPort = placeholder.port;
  await placeholder.stop();
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => logLines.push(line) } });
  system = await startTestSystem({ SMTP_URL: `smtp://127.0.0.1:${smtpPort}` }, logger);
});

afterAll(async () => {
  await system?.stop();
  await catcher?.stop();
});

describe('notifications while the mail server is down', () => {
  it('the case goes on, the mails wait in the outbox, and the sweep delivers them with the receipt once it is back', async () => {
    // Given a company submits while the mail server refuses connections
    const applicant = await newApplicant(system);
    const caseId = await submitGeneralInquiry(applicant.client, 'Anfrage bei Mailausfall');
    const submitted = () =>
      system.db
        .select()
        .from(outboxMails)
        .where(and(eq(outboxMails.caseId, caseId), like(outboxMails.idempotencyKey, 'notification:submitted:%')));

    // Then the case page answers and the notification is written, unsent
    expect((await applicant.client.get(`/cases/${caseId}`)).status).toBe(200);
    const [waiting] = await eventually(async () => {
      const rows = await submitted();
      return rows.length === 1 ? rows : undefined;
    });
    expect(waiting?.recipient).toBe(applicant.email);
    // The background delivery tries once and fails: only then may the mail server come back, or that try would
    // deliver too (in production the sweep waits 5 minutes before it tries again; here the row is made older).
    await eventually(async () =>
      logLines.some(
        (line) => line.includes('a notification was not delivered') && line.includes(waiting?.idempotencyKey ?? '?'),
      )
        ? true
        : undefined,
    );
    await system.db
      .update(outboxMails)
      .set({ createdAt: new Date(Date.now() - 10 * 60_000) })
      .where(eq(outboxMails.id, waiting?.id ?? ''));
    expect((await submitted())[0]?.sentAt).toBeNull();

    // When the mail server is back and the hourly sweep runs
    catcher = await startMailCatcher(smtpPort);
    const sweep = () =>
      system.temporalClient.workflow.execute(NOTIFICATION_SWEEP_WORKFLOW, {
        taskQueue: system.taskQueue,
        workflowId: `notification-sweep-${randomUUID()}`,
        args: [],
      });
    await sweep();

    // Then the mail is delivered once, multipart, with the receipt made again, and marked sent
    const [sent] = await submitted();
    expect(sent?.sentAt).not.toBeNull();
    const deliveries = () => (catcher?.received ?? []).filter((message) => message.to.includes(applicant.email));
    expect(deliveries()).toHaveLength(1);
    expect(deliveries()[0]?.raw).toMatch(/Content-Type: multipart\/alternative/i);
    expect(deliveries()[0]?.raw).toMatch(/Content-Type: application\/pdf; name=Eingangsbestaetigung-WF-/i);
    // And a second sweep sends nothing more
    await sweep();
    expect(deliveries()).toHaveLength(1);
  });
});
