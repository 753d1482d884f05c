import { asc, eq } from 'drizzle-orm';
import { caseNotes } from '../db/schema.js';
import type { Executor } from './executor.js';

export type CaseNote = typeof caseNotes.$inferSelect;

/** Internal notes on a case (staff only). */
export function createCaseNoteRepository(db: Executor) {
  return {
    async add(note: { caseId: string; staffId: string; authorName: string; body: string }): Promise<CaseNote> {
      const [row] = await db.insert(caseNotes).values(note).returning();
      if (!row) throw new Error('the note was not written');
      return row;
    },
    /** A case's notes, oldest first (they read as a conversation in the timeline). */
    ofCase(caseId: string): Promise<CaseNote[]> {
      return db.select().from(caseNotes).where(eq(caseNotes.caseId, caseId)).orderBy(asc(caseNotes.createdAt));
    },
  };
}

export type CaseNoteRepository = ReturnType<typeof createCaseNoteRepository>;
