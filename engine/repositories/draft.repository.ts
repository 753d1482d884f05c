import { and, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Executor } from './executor.js';
import { drafts, services, serviceVersions } from '../db/schema.js';
import { createDocumentRepository } from './document.repository.js';

export type DraftRow = typeof drafts.$inferSelect;

export function createDraftRepository(db: Executor) {
  return {
    /**
     * The user's open draft of this service version, or a new one with `create()`'s values. A lock
     * per user and version keeps two quick clicks on "start" from making two drafts.
     */
    async findOrCreateOpen(
      key: { userId: string; serviceVersionId: string; now: Date },
      create: () => Omit<typeof drafts.$inferInsert, 'userId' | 'serviceVersionId'>,
    ): Promise<{ row: DraftRow; created: boolean }> {
      return db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`draft:${key.userId}:${key.serviceVersionId}`}))`);
        const [open] = await tx
          .select()
          .from(drafts)
          .where(
            and(
              eq(drafts.userId, key.userId),
              eq(drafts.serviceVersionId, key.serviceVersionId),
              isNull(drafts.submittedCaseId),
              gt(drafts.expiresAt, key.now),
            ),
          )
          .orderBy(desc(drafts.updatedAt))
          .limit(1);
        if (open) return { row: open, created: false };
        const [row] = await tx
          .insert(drafts)
          .values({ ...create(), userId: key.userId, serviceVersionId: key.serviceVersionId })
          .returning();
        if (!row) throw new Error('draft insert returned nothing');
        return { row, created: true };
      });
    },

    async findWithService(draftId: string) {
      const [row] = await db
        .select({
          draft: drafts,
          service: { slug: services.slug, titleDe: services.titleDe, titleEn: services.titleEn },
        })
        .from(drafts)
        .innerJoin(serviceVersions, eq(serviceVersions.id, drafts.serviceVersionId))
        .innerJoin(services, eq(services.id, serviceVersions.serviceId))
        .where(eq(drafts.id, draftId));
      return row;
    },

    /** Open drafts of the user (not submitted, not expired), most recently changed first, with their service. */
    async listOpen(userId: string, now: Date) {
      return db
        .select({
          id: drafts.id,
          companyId: drafts.companyId,
          step: drafts.step,
          updatedAt: drafts.updatedAt,
          expiresAt: drafts.expiresAt,
          serviceVersionId: drafts.serviceVersionId,
          serviceSlug: services.slug,
          serviceTitleDe: services.titleDe,
          serviceTitleEn: services.titleEn,
        })
        .from(drafts)
        .innerJoin(serviceVersions, eq(serviceVersions.id, drafts.serviceVersionId))
        .innerJoin(services, eq(services.id, serviceVersions.serviceId))
        .where(and(eq(drafts.userId, userId), isNull(drafts.submittedCaseId), gt(drafts.expiresAt, now)))
        .orderBy(desc(drafts.updatedAt));
    },

    /** Saves a step; a submitted draft is never changed again. Returns false when nothing was saved. */
    async save(
      draftId: string,
      change: { values: Record<string, unknown>; step: number; updatedAt: Date; expiresAt: Date },
    ): Promise<boolean> {
      const rows = await db
        .update(drafts)
        .set(change)
        .where(and(eq(drafts.id, draftId), isNull(drafts.submittedCaseId)))
        .returning({ id: drafts.id });
      return rows.length > 0;
    },

    async markSubmitted(draftId: string, caseId: string) {
      await db
        .update(drafts)
        .set({ submittedCaseId: caseId })
        .where(and(eq(drafts.id, draftId), isNull(drafts.submittedCaseId)));
    },

    /**
     * Removes the open drafts that expired before `now` together with their documents that belong to no
     * case (the blobs stay: the clean-up job removes those no row refers to). Submitted drafts stay: they
     * keep a double submit from making a second case. Returns how many drafts and documents went.
     */
    async deleteExpired(now: Date): Promise<{ drafts: number; documents: number }> {
      return db.transaction(async (tx) => {
        const expired = and(isNull(drafts.submittedCaseId), lt(drafts.expiresAt, now));
        // The documents are document.repository's: it deletes them within this transaction.
        const removedDocuments = await createDocumentRepository(tx).deleteCaselessOfDrafts(
          tx.select({ id: drafts.id }).from(drafts).where(expired),
        );
        const removedDrafts = await tx.delete(drafts).where(expired).returning({ id: drafts.id });
        return { drafts: removedDrafts.length, documents: removedDocuments };
      });
    },

    /** Retention: the submitted draft a case came from goes with the case (its documents are the case's). */
    async deleteSubmittedFor(caseId: string): Promise<number> {
      return (await db.delete(drafts).where(eq(drafts.submittedCaseId, caseId)).returning({ id: drafts.id })).length;
    },

    /** Deletes an open draft; its documents lose the link (`on delete set null`) unless removed first. */
    async deleteOpen(draftId: string) {
      await db.delete(drafts).where(and(eq(drafts.id, draftId), isNull(drafts.submittedCaseId)));
    },
  };
}

export type DraftRepository = ReturnType<typeof createDraftRepository>;
