import { and, asc, eq, inArray, isNull, notInArray } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { documents } from '../db/schema.js';

export type DocumentRow = typeof documents.$inferSelect;
export type NewDocument = typeof documents.$inferInsert;

export function createDocumentRepository(db: Database) {
  return {
    async insert(document: NewDocument): Promise<DocumentRow> {
      const [row] = await db.insert(documents).values(document).returning();
      if (!row) throw new Error('document insert returned nothing');
      return row;
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

    /** The draft's documents named in `documentIds` become the case's; repeating it changes nothing. */
    async attachToCase(draftId: string, documentIds: string[], caseId: string) {
      if (documentIds.length === 0) return;
      await db
        .update(documents)
        .set({ caseId })
        .where(and(eq(documents.draftId, draftId), inArray(documents.id, documentIds), isNull(documents.caseId)));
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
