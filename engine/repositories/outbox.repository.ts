import { and, asc, desc, eq, isNull, like, lt } from 'drizzle-orm';
import type { Executor } from './executor.js';
import { outboxMails } from '../db/schema.js';

export type OutboxMailRow = typeof outboxMails.$inferSelect;

export function createOutboxRepository(db: Executor) {
  return {
    latest: (limit = 100) => db.select().from(outboxMails).orderBy(desc(outboxMails.createdAt)).limit(limit),
    /** The mails a case's jobs sent, oldest first (the caller has checked that the case may be seen). */
    listForCase: (caseId: string) =>
      db.select().from(outboxMails).where(eq(outboxMails.caseId, caseId)).orderBy(asc(outboxMails.createdAt)),
    /** Stores the mail unless one with its idempotency key is there; returns the stored one either way. */
    async record(mail: {
      idempotencyKey: string;
      caseId: string | null;
      recipient: string;
      subject: string;
      body: string;
      /** The HTML part of a multipart mail; null: text only. */
      htmlBody?: string | null;
    }): Promise<OutboxMailRow | undefined> {
      await db.insert(outboxMails).values(mail).onConflictDoNothing();
      const [stored] = await db.select().from(outboxMails).where(eq(outboxMails.idempotencyKey, mail.idempotencyKey));
      return stored;
    },
    /** Retention: the case's mails go with the case. */
    async deleteOfCase(caseId: string): Promise<number> {
      return (await db.delete(outboxMails).where(eq(outboxMails.caseId, caseId)).returning({ id: outboxMails.id }))
        .length;
    },
    /** Notifications whose delivery failed (written before `before`, not sent), oldest first. */
    unsentNotifications: (before: Date, limit: number) =>
      db
        .select()
        .from(outboxMails)
        .where(
          and(
            like(outboxMails.idempotencyKey, 'notification:%'),
            isNull(outboxMails.sentAt),
            lt(outboxMails.createdAt, before),
          ),
        )
        .orderBy(asc(outboxMails.createdAt))
        .limit(limit),
    async markSent(mailId: string, at: Date) {
      await db.update(outboxMails).set({ sentAt: at }).where(eq(outboxMails.id, mailId));
    },
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
