import { and, asc, eq, inArray, isNull, lt, notInArray, or, sql, type SQLWrapper } from 'drizzle-orm';
import { documents, tasks } from '../db/schema.js';
import type { Executor } from './executor.js';

export type DocumentRow = typeof documents.$inferSelect;
export type NewDocument = typeof documents.$inferInsert;

export function createDocumentRepository(db: Executor) {
  return {
    /** Inserts the document; a generated one that is already filed is returned instead (see the unique index). */
    async insert(document: NewDocument): Promise<DocumentRow> {
      const [row] = await db
        .insert(documents)
        .values(document)
        .onConflictDoNothing({
          target: [documents.caseId, documents.fieldKey],
          where: sql`${documents.fieldKey} like 'generated:%'`,
        })
        .returning();
      if (row) return row;
      // Only a generated document can conflict, and it always belongs to a case.
      const [filed] = document.caseId
        ? await db
            .select()
            .from(documents)
            .where(and(eq(documents.caseId, document.caseId), eq(documents.fieldKey, document.fieldKey)))
        : [];
      if (!filed) throw new Error('document insert returned nothing');
      return filed;
    },

    async findById(documentId: string) {
      const [row] = await db.select().from(documents).where(eq(documents.id, documentId));
      return row;
    },

    async listForDraft(draftId: string) {
      return db.select().from(documents).where(eq(documents.draftId, draftId)).orderBy(asc(documents.createdAt));
    },

    async listForCase(caseId: string) {
      return db.select().from(documents).where(eq(documents.caseId, caseId)).orderBy(asc(documents.createdAt));
    },

    /** Uploads of a task's form not yet handed to the case (a completion that has not gone through). */
    async listPendingForTask(taskId: string) {
      return db
        .select()
        .from(documents)
        .where(and(eq(documents.taskId, taskId), isNull(documents.caseId)))
        .orderBy(asc(documents.createdAt));
    },

    /** The task's uploads named in `documentIds` become the case's once its completion went through; repeatable. */
    async attachTaskDocuments(taskId: string, documentIds: string[], caseId: string) {
      if (documentIds.length === 0) return;
      await db
        .update(documents)
        .set({ caseId })
        .where(and(eq(documents.taskId, taskId), inArray(documents.id, documentIds), isNull(documents.caseId)));
    },

    /** The draft's documents named in `documentIds` become the case's; repeating it changes nothing. */
    /** A message's attachments join its case: only loose uploads of the message's author (no case, draft or task). */
    async attachLooseUploads(documentIds: string[], uploadedBy: string, caseId: string) {
      if (documentIds.length === 0) return;
      await db
        .update(documents)
        .set({ caseId })
        .where(
          and(
            inArray(documents.id, documentIds),
            eq(documents.uploadedBy, uploadedBy),
            isNull(documents.caseId),
            isNull(documents.draftId),
            isNull(documents.taskId),
          ),
        );
    },
    async attachToCase(draftId: string, documentIds: string[], caseId: string) {
      if (documentIds.length === 0) return;
      await db
        .update(documents)
        .set({ caseId })
        .where(and(eq(documents.draftId, draftId), inArray(documents.id, documentIds), isNull(documents.caseId)));
    },

    /** Documents of neither a draft nor a case (their draft was deleted), older than `before`: removed; returns how many. */
    /** Retention: the case's documents go with the case; their blobs go with the next clean-up once unreferenced. */
    async deleteOfCase(caseId: string): Promise<number> {
      // Uploads of a task form whose completion never went through belong to no case yet, but hold its task.
      const pendingOfTasks = inArray(
        documents.taskId,
        db.select({ id: tasks.id }).from(tasks).where(eq(tasks.caseId, caseId)),
      );
      const removed = await db
        .delete(documents)
        .where(or(eq(documents.caseId, caseId), pendingOfTasks))
        .returning({ id: documents.id });
      return removed.length;
    },
    async deleteDetached(before: Date): Promise<number> {
      const removed = await db
        .delete(documents)
        .where(and(isNull(documents.caseId), isNull(documents.draftId), lt(documents.createdAt, before)))
        .returning({ id: documents.id });
      return removed.length;
    },

    /** Removes the documents of the drafts `draftIds` selects that belong to no case (the blobs stay); returns how many. */
    async deleteCaselessOfDrafts(draftIds: SQLWrapper): Promise<number> {
      const removed = await db
        .delete(documents)
        .where(and(isNull(documents.caseId), inArray(documents.draftId, draftIds)))
        .returning({ id: documents.id });
      return removed.length;
    },

    /** Which of `hashes` some document (of a draft or a case) still refers to. */
    async referencedBlobs(hashes: string[]): Promise<Set<string>> {
      if (hashes.length === 0) return new Set();
      const rows = await db
        .selectDistinct({ sha256: documents.sha256 })
        .from(documents)
        .where(inArray(documents.sha256, hashes));
      return new Set(rows.map((row) => row.sha256));
    },

    /** Removes the draft's documents that are not in `keep` and belong to no case (the blobs stay). */
    async deleteDraftDocumentsExcept(draftId: string, keep: string[]) {
      await db
        .delete(documents)
        .where(
          and(
            eq(documents.draftId, draftId),
            isNull(documents.caseId),
            ...(keep.length > 0 ? [notInArray(documents.id, keep)] : []),
          ),
        );
    },
  };
}

export type DocumentRepository = ReturnType<typeof createDocumentRepository>;
