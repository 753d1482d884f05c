import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { messages, messageSubscriptions } from '../db/schema.js';

export type MessageRow = typeof messages.$inferSelect;

export function createMessageRepository(db: Database) {
  return {
    /** Stores a published message; with a message id, a second publish returns the first row and `created: false`. */
    async insert(message: {
      name: string;
      correlationKey: string;
      messageId?: string;
      variables: Record<string, unknown>;
      expiresAt: Date;
    }): Promise<{ row: MessageRow; created: boolean }> {
      const [row] = await db
        .insert(messages)
        .values({ ...message, messageId: message.messageId ?? null })
        .onConflictDoNothing({ target: [messages.name, messages.messageId] })
        .returning();
      if (row) return { row, created: true };
      const [existing] = await db
        .select()
        .from(messages)
        .where(and(eq(messages.name, message.name), eq(messages.messageId, message.messageId ?? '')));
      if (!existing) throw new Error(`message ${message.name}/${message.messageId} vanished`);
      return { row: existing, created: false };
    },
    /** Cases with an open subscription for the message, oldest subscription first. */
    subscribers(name: string, correlationKey: string) {
      return db
        .select({ caseId: messageSubscriptions.caseId })
        .from(messageSubscriptions)
        .where(and(eq(messageSubscriptions.messageName, name), eq(messageSubscriptions.correlationKey, correlationKey)))
        .orderBy(asc(messageSubscriptions.createdAt));
    },
    /** Marks the message taken by a case, unless another case (or a buffered claim) took it first. */
    async markCorrelated(messageRowId: string, caseId: string): Promise<boolean> {
      const taken = await db
        .update(messages)
        .set({ correlatedCaseId: caseId, correlatedAt: new Date() })
        .where(and(eq(messages.id, messageRowId), isNull(messages.correlatedCaseId)))
        .returning({ id: messages.id });
      return taken.length > 0;
    },
    async release(messageRowId: string, caseId: string): Promise<void> {
      await db
        .update(messages)
        .set({ correlatedCaseId: null, correlatedAt: null })
        .where(and(eq(messages.id, messageRowId), eq(messages.correlatedCaseId, caseId)));
    },
  };
}

export type MessageRepository = ReturnType<typeof createMessageRepository>;
