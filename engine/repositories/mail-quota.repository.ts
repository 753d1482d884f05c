import { lt, sql } from 'drizzle-orm';
import type { Executor } from './executor.js';
import { mailQuotas } from '../db/schema.js';

/** Account mails counted per key and window (engine/services/mail-quota.ts decides from the counts). */
export function createMailQuotaRepository(db: Executor) {
  return {
    /**
     * Counts one request on each key in one statement and answers each key's count in its window; a window that
     * began before `windowStartedBefore` is over, and the count starts again at 1.
     */
    async count(keys: string[], now: Date, windowStartedBefore: Date): Promise<Map<string, number>> {
      if (keys.length === 0) return new Map();
      const over = sql`${mailQuotas.windowStartedAt} < ${windowStartedBefore}`;
      const rows = await db
        .insert(mailQuotas)
        .values(keys.map((key) => ({ key, sent: 1, windowStartedAt: now })))
        .onConflictDoUpdate({
          target: mailQuotas.key,
          set: {
            sent: sql`case when ${over} then 1 else ${mailQuotas.sent} + 1 end`,
            windowStartedAt: sql`case when ${over} then ${now} else ${mailQuotas.windowStartedAt} end`,
          },
        })
        .returning({ key: mailQuotas.key, sent: mailQuotas.sent });
      return new Map(rows.map((row) => [row.key, row.sent]));
    },

    /** Removes counts of windows long over; returns how many. */
    async deleteOlderThan(before: Date): Promise<number> {
      const removed = await db
        .delete(mailQuotas)
        .where(lt(mailQuotas.windowStartedAt, before))
        .returning({ key: mailQuotas.key });
      return removed.length;
    },
  };
}

export type MailQuotaRepository = ReturnType<typeof createMailQuotaRepository>;
