import { and, asc, eq, gt, inArray, isNull } from 'drizzle-orm';
import { messages, messageSubscriptions } from '../db/schema.js';
import type { CaseStep } from './case.repository.js';
import type { Executor } from './executor.js';

export type MessageRow = typeof messages.$inferSelect;

/** A message as it reaches a case (the activity contract's `CaseMessage`). */
export interface ClaimedMessage {
  messageName: string;
  correlationKey: string;
  variables: Record<string, unknown>;
}

export function createMessageRepository(db: Executor) {
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
    /** Whether the case waits now for the message under that correlation key (withdrawal: the case page's button). */
    async isSubscribed(caseId: string, name: string, correlationKey: string): Promise<boolean> {
      const rows = await db
        .select({ caseId: messageSubscriptions.caseId })
        .from(messageSubscriptions)
        .where(
          and(
            eq(messageSubscriptions.caseId, caseId),
            eq(messageSubscriptions.messageName, name),
            eq(messageSubscriptions.correlationKey, correlationKey),
          ),
        )
        .limit(1);
      return rows.length > 0;
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
    /** The step's subscription changes: closed ones go, an ended case keeps none, opened ones are added once. */
    async writeSubscriptions(
      step: Pick<CaseStep, 'caseId' | 'status' | 'openedSubscriptions' | 'closedSubscriptionIds'>,
      at: Date,
    ) {
      if (step.closedSubscriptionIds.length > 0) {
        await db
          .delete(messageSubscriptions)
          .where(
            and(
              eq(messageSubscriptions.caseId, step.caseId),
              inArray(messageSubscriptions.subscriptionId, step.closedSubscriptionIds),
            ),
          );
      }
      if (step.status === 'completed') {
        await db.delete(messageSubscriptions).where(eq(messageSubscriptions.caseId, step.caseId));
        return;
      }
      if (step.openedSubscriptions.length > 0) {
        await db
          .insert(messageSubscriptions)
          .values(
            step.openedSubscriptions.map((subscription) => ({ ...subscription, caseId: step.caseId, createdAt: at })),
          )
          .onConflictDoNothing();
      }
    },
    /** Each new subscription of the step takes the oldest live buffered message for it, if any (Zeebe buffering). */
    async claimBuffered(step: Pick<CaseStep, 'caseId' | 'seq' | 'openedSubscriptions'>, at: Date) {
      const claimed: ClaimedMessage[] = [];
      for (const subscription of step.openedSubscriptions) {
        const [candidate] = await db
          .select({ id: messages.id })
          .from(messages)
          .where(
            and(
              eq(messages.name, subscription.messageName),
              eq(messages.correlationKey, subscription.correlationKey),
              isNull(messages.correlatedCaseId),
              gt(messages.expiresAt, at),
            ),
          )
          .orderBy(asc(messages.publishedAt))
          .limit(1)
          .for('update', { skipLocked: true });
        if (!candidate) continue;
        const [taken] = await db
          .update(messages)
          .set({ correlatedCaseId: step.caseId, correlatedSeq: step.seq, correlatedAt: at })
          .where(and(eq(messages.id, candidate.id), isNull(messages.correlatedCaseId)))
          .returning();
        if (taken)
          claimed.push({ messageName: taken.name, correlationKey: taken.correlationKey, variables: taken.variables });
      }
      return claimed;
    },
    /** The buffered messages the case's step `seq` claimed before (what a retried projection returns again). */
    async claimedAt(caseId: string, seq: number): Promise<ClaimedMessage[]> {
      const rows = await db
        .select()
        .from(messages)
        .where(and(eq(messages.correlatedCaseId, caseId), eq(messages.correlatedSeq, seq)))
        .orderBy(asc(messages.publishedAt));
      return rows.map((row) => ({
        messageName: row.name,
        correlationKey: row.correlationKey,
        variables: row.variables,
      }));
    },
    /** Retention: the case's subscriptions and the messages it took (they carry variables) go with it. */
    async deleteOfCase(caseId: string) {
      await db.delete(messageSubscriptions).where(eq(messageSubscriptions.caseId, caseId));
      await db.delete(messages).where(eq(messages.correlatedCaseId, caseId));
    },
    /** The cases stop waiting for any message (`lotse test`, after a test case). */
    async dropSubscriptionsOf(caseIds: string[]) {
      if (caseIds.length === 0) return;
      await db.delete(messageSubscriptions).where(inArray(messageSubscriptions.caseId, caseIds));
    },
    /** The messages no case took yet expire now (`lotse test`, after a test case). */
    async expireUnclaimed(messageRowIds: string[], at: Date) {
      if (messageRowIds.length === 0) return;
      await db
        .update(messages)
        .set({ expiresAt: at })
        .where(and(inArray(messages.id, messageRowIds), isNull(messages.correlatedCaseId)));
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
