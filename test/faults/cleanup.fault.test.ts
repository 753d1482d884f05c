import { createHash, randomUUID } from 'node:crypto';
import { mkdir, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documents, drafts, serviceVersions } from '../../engine/db/schema.js';
import { createLogger } from '../../engine/log/logger.js';
import { createCompanyWithUser } from '../../engine/services/seed.js';
import { cleanupScheduleId } from '../../engine/temporal/cleanup-schedule.js';
import { eventually, startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

// The DATA_DIR of startTestSystem: the blob store the system's clean-up job sweeps.
const BLOBS = '/tmp/lotse-test-data/blobs';
const DAY_MS = 24 * 60 * 60_000;

let system: System;
const logLines: string[] = [];

beforeAll(async () => {
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => logLines.push(line) } });
  system = await startTestSystem({}, logger);
});

afterAll(async () => {
  await system?.stop();
});

/** A blob file as the store keeps it, stored `ageMs` ago. */
async function storeBlob(content: string, ageMs: number) {
  const sha256 = createHash('sha256').update(content).digest('hex');
  const file = path.join(BLOBS, sha256.slice(0, 2), sha256);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
  const then = new Date(Date.now() - ageMs);
  await utimes(file, then, then);
  return { sha256, file, size: Buffer.byteLength(content) };
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

describe('the daily clean-up job (issue 7, defect 12)', () => {
  it('removes expired drafts with their uploads and unreferenced blobs, keeps what a draft or case still uses, and says how much', async () => {
    const { companyId, userId } = await createCompanyWithUser(system.db, {
      company: 'Aufräum GmbH',
      email: `cleanup-${randomUUID()}@example.org`,
      name: 'Clara Clean',
      password: 'Aufraeumen-2026-lang',
    });
    const [version] = await system.db.select({ id: serviceVersions.id }).from(serviceVersions).limit(1);
    if (!version) throw new Error('no published service');
    const draftRow = (expiresAt: Date) => ({
      userId,
      companyId,
      serviceVersionId: version.id,
      submissionToken: randomUUID(),
      expiresAt,
    });
    const [expired] = await system.db
      .insert(drafts)
      .values(draftRow(new Date(Date.now() - DAY_MS)))
      .returning();
    const [open] = await system.db
      .insert(drafts)
      .values(draftRow(new Date(Date.now() + 10 * DAY_MS)))
      .returning();
    if (!expired || !open) throw new Error('drafts not created');

    const expiredUpload = await storeBlob(`Lageplan ${randomUUID()}`, 3 * DAY_MS);
    const orphan = await storeBlob(`verwaist ${randomUUID()}`, 3 * DAY_MS);
    const kept = await storeBlob(`noch im Entwurf ${randomUUID()}`, 3 * DAY_MS);
    const fresh = await storeBlob(`gerade hochgeladen ${randomUUID()}`, 60_000);
    const document = (draftId: string, blob: { sha256: string; size: number }) => ({
      companyId,
      draftId,
      fieldKey: 'sitePlan',
      fileName: 'plan.pdf',
      mediaType: 'application/pdf',
      size: blob.size,
      sha256: blob.sha256,
      uploadedBy: `user:${userId}`,
    });
    await system.db.insert(documents).values([document(expired.id, expiredUpload), document(open.id, kept)]);

    // The schedule exists (created at worker start) and runs the job when triggered.
    const schedule = system.temporalClient.schedule.getHandle(cleanupScheduleId(system.taskQueue));
    const described = await schedule.describe();
    expect(described.spec.calendars?.length).toBe(1);
    await schedule.trigger();

    await eventually(async () => ((await exists(orphan.file)) ? undefined : true), 30_000, 'the orphan blob removed');
    await eventually(
      async () => (logLines.some((line) => line.includes('clean-up removed')) ? true : undefined),
      10_000,
      'the clean-up log line',
    );
    expect(await exists(expiredUpload.file)).toBe(false);
    expect(await exists(kept.file)).toBe(true);
    expect(await exists(fresh.file)).toBe(true);
    expect(await system.db.select().from(drafts).where(eq(drafts.id, expired.id))).toHaveLength(0);
    expect(await system.db.select().from(drafts).where(eq(drafts.id, open.id))).toHaveLength(1);
    expect(await system.db.select().from(documents).where(eq(documents.draftId, open.id))).toHaveLength(1);

    const line = JSON.parse(logLines.find((entry) => entry.includes('clean-up removed')) ?? '{}') as {
      cleanup?: { drafts: number; documents: number; blobs: number; bytes: number };
    };
    expect(line.cleanup?.drafts).toBeGreaterThanOrEqual(1);
    expect(line.cleanup?.documents).toBeGreaterThanOrEqual(1);
    expect(line.cleanup?.blobs).toBeGreaterThanOrEqual(2);
    expect(line.cleanup?.bytes).toBeGreaterThanOrEqual(expiredUpload.size + orphan.size);
    console.log(`[cleanup] ${JSON.stringify(line.cleanup)}`);
  });
});
