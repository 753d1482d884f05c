import { inArray, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { loginFailures } from '../db/schema.js';

/** A key's failed logins: how many, and when the last one was (services/login-throttle.ts decides from it). */
export interface FailureRecord {
  failures: number;
  lastFailureAt: Date;
}

export function createLoginFailureRepository(db: Database) {
  return {
    async find(keys: string[]): Promise<Map<string, FailureRecord>> {
      if (keys.length === 0) return new Map();
      const rows = await db.select().from(loginFailures).where(inArray(loginFailures.key, keys));
      return new Map(rows.map((row) => [row.key, { failures: row.failures, lastFailureAt: row.lastFailureAt }]));
    },

    /** Counts one failure on each key in one statement; a count whose last failure is older than `forgetBefore` starts again at 1. */
    async recordFailure(keys: string[], at: Date, forgetBefore: Date) {
      if (keys.length === 0) return;
      await db
        .insert(loginFailures)
        .values(keys.map((key) => ({ key, failures: 1, lastFailureAt: at })))
        .onConflictDoUpdate({
          target: loginFailures.key,
          set: {
            failures: sql`case when ${loginFailures.lastFailureAt} < ${forgetBefore} then 1 else ${loginFailures.failures} + 1 end`,
            lastFailureAt: at,
          },
        });
    },

    async clear(keys: string[]) {
      if (keys.length === 0) return;
      await db.delete(loginFailures).where(inArray(loginFailures.key, keys));
    },

    /** Removes counts that are forgotten anyway; returns how many. */
    async deleteOlderThan(before: Date): Promise<number> {
      const removed = await db
        .delete(loginFailures)
        .where(lt(loginFailures.lastFailureAt, before))
        .returning({ key: loginFailures.key });
      return removed.length;
    },
  };
}

export type LoginFailureRepository = ReturnType<typeof createLoginFailureRepository>;
