import { createHash, randomUUID } from 'node:crypto';
import { mkdir, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import { and, eq, notLike } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseDeletions, caseEvents, cases, documents, outboxMails, services, tasks } from '../../engine/db/schema.js';
import { DEMO_ACCOUNTS } from '../../engine/services/seed.js';
import { cleanupScheduleId } from '../../engine/temporal/cleanup-schedule.js';
import { answeredInquiry } from '../journeys.js';
import { generalInquiryWithMail, testServiceCopy } from '../service-versions.js';
import { eventually, startTestSystem } from '../system.js';

/** A case's mails from its service's model; the platform's notifications (ADR 0030) are counted apart. */
const serviceMailsOf = (caseId: string) =>
  and(eq(outboxMails.caseId, caseId), notLike(outboxMails.idempotencyKey, 'notification:%'));

type System = Awaited<ReturnType<typeof startTestSystem>>;

// The DATA_DIR of startTestSystem: the blob store the clean-up sweeps.
const BLOBS = '/tmp/lotse-test-data/blobs';
const DAY_MS = 24 * 60 * 60_000;
const RETENTION_DAYS = 30;

let system: System;

/** The general inquiry as it shipped with its own answer mail: the case's mails must go with it (ADR 0029). */
const MAIL_INQUIRY = 'retention-mail-inquiry';

beforeAll(async () => {
  system = await startTestSystem();
  await system.services.catalog.publish(testServiceCopy(await generalInquiryWithMail(), MAIL_INQUIRY));
  // The general inquiry's service.json would say `"retentionDays": 30`; set as publishing it would.
  await system.db.update(services).set({ retentionDays: RETENTION_DAYS }).where(eq(services.slug, MAIL_INQUIRY));
});

afterAll(async () => {
  await system?.db.update(services).set({ retentionDays: null }).where(eq(services.slug, MAIL_INQUIRY));
  await system?.stop();
});

/** A general inquiry, answered so that it finishes, then dated as finished `daysAgo`. */
async function finishedInquiry(subject: string, daysAgo: number) {
  const finished = await answeredInquiry(system, subject, MAIL_INQUIRY);
  // The workflow closes right after the case completes (no job left in flight).
  await system.temporalClient.workflow.getHandle(finished.id).result();
  await system.db
    .update(cases)
    .set({ completedAt: new Date(Date.now() - daysAgo * DAY_MS) })
    .where(eq(cases.id, finished.id));
  return finished;
}

/** An uploaded file of the case, stored long ago, as the blob store keeps it. */
async function oldDocumentOf(caseRow: { id: string; companyId: string }) {
  const content = `Lageplan ${randomUUID()}`;
  const sha256 = createHash('sha256').update(content).digest('hex');
  const file = path.join(BLOBS, sha256.slice(0, 2), sha256);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
  const then = new Date(Date.now() - 60 * DAY_MS);
  await utimes(file, then, then);
  await system.db.insert(documents).values({
    companyId: caseRow.companyId,
    caseId: caseRow.id,
    fieldKey: 'sitePlan',
    fileName: 'Lageplan.pdf',
    mediaType: 'application/pdf',
    size: content.length,
    sha256,
    uploadedBy: 'applicant:test',
  });
  return file;
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

describe('retention of finished cases (GDPR)', () => {
  it('deletes a case past its service retention — rows, mails, files, workflow history — and keeps a record without personal data', async () => {
    // Given one finished case past the service's 30 days and one within them
    const expired = await finishedInquiry(`Alte Anfrage ${randomUUID()}`, RETENTION_DAYS + 10);
    const recent = await finishedInquiry(`Neue Anfrage ${randomUUID()}`, RETENTION_DAYS - 10);
    const expiredFile = await oldDocumentOf(expired);
    expect(await system.db.select().from(outboxMails).where(serviceMailsOf(expired.id))).toHaveLength(1);

    // When the daily clean-up runs
    await system.temporalClient.schedule.getHandle(cleanupScheduleId(system.taskQueue)).trigger();

    // Then the expired case is gone from the read model, the outbox, the files and Temporal
    await eventually(
      async () =>
        (await system.db.select().from(cases).where(eq(cases.id, expired.id))).length === 0 ? true : undefined,
      30_000,
      'the expired case deleted',
    );
    for (const table of [tasks, caseEvents, documents, outboxMails]) {
      expect(await system.db.select().from(table).where(eq(table.caseId, expired.id))).toHaveLength(0);
    }
    await eventually(async () => ((await exists(expiredFile)) ? undefined : true), 30_000, 'its file removed');
    // Temporal deletes a history in the background, seconds after the request.
    await eventually(
      () =>
        system.temporalClient.workflow
          .getHandle(expired.id)
          .describe()
          .then(
            () => undefined,
            (error: unknown) => (error instanceof WorkflowNotFoundError ? true : undefined),
          ),
      // Deletion is a background task of the server: seconds on a quiet machine, longer under load.
      90_000,
      'its workflow history deleted',
    );

    // And a deletion record says which case went and when, and nothing personal
    const [record] = await system.db.select().from(caseDeletions).where(eq(caseDeletions.caseNumber, expired.number));
    expect(record).toMatchObject({ serviceSlug: MAIL_INQUIRY, retentionDays: RETENTION_DAYS });
    const written = JSON.stringify(record);
    for (const personal of [expired.subject ?? '', DEMO_ACCOUNTS.companyUser.email, 'Schmidt']) {
      expect(written).not.toContain(personal);
    }

    // Invariant: a case within its retention is untouched, its history too
    expect(await system.db.select().from(cases).where(eq(cases.id, recent.id))).toHaveLength(1);
    expect(await system.db.select().from(outboxMails).where(serviceMailsOf(recent.id))).toHaveLength(1);
    expect((await system.temporalClient.workflow.getHandle(recent.id).describe()).status.name).toBe('COMPLETED');
  }, 180_000);
});
