import { asc, desc, eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { outboxMails } from '../db/schema.js';

export function createOutboxRepository(db: Database) {
  return {
    latest: (limit = 100) => db.select().from(outboxMails).orderBy(desc(outboxMails.createdAt)).limit(limit),
    /** The mails a case's jobs sent, oldest first (the caller has checked that the case may be seen). */
    listForCase: (caseId: string) =>
      db.select().from(outboxMails).where(eq(outboxMails.caseId, caseId)).orderBy(asc(outboxMails.createdAt)),
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
