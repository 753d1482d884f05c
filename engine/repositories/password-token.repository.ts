import { and, eq, gt, isNull } from 'drizzle-orm';
import { passwordTokens } from '../db/schema.js';
import type { Executor } from './executor.js';

export type PasswordTokenRow = typeof passwordTokens.$inferSelect;
export type NewPasswordToken = Omit<typeof passwordTokens.$inferInsert, 'id' | 'usedAt' | 'createdAt'>;

/** Set-password links (only the hash of their secret is stored). */
export function createPasswordTokenRepository(db: Executor) {
  return {
    /** Stores a new link and retires the person's earlier unused ones: only the latest mail works. */
    async issue(token: NewPasswordToken, now: Date): Promise<PasswordTokenRow> {
      return db.transaction(async (tx) => {
        await tx
          .update(passwordTokens)
          .set({ usedAt: now })
          .where(
            and(
              eq(passwordTokens.principalKind, token.principalKind),
              eq(passwordTokens.principalId, token.principalId),
              isNull(passwordTokens.usedAt),
            ),
          );
        const [row] = await tx.insert(passwordTokens).values(token).returning();
        if (!row) throw new Error('the password link was not stored');
        return row;
      });
    },
    async find(id: string): Promise<PasswordTokenRow | undefined> {
      const [row] = await db.select().from(passwordTokens).where(eq(passwordTokens.id, id));
      return row;
    },
    /** Marks the link used if it still was usable at `now`; false when another request used it first. */
    async consume(id: string, now: Date): Promise<boolean> {
      const used = await db
        .update(passwordTokens)
        .set({ usedAt: now })
        .where(and(eq(passwordTokens.id, id), isNull(passwordTokens.usedAt), gt(passwordTokens.expiresAt, now)))
        .returning({ id: passwordTokens.id });
      return used.length === 1;
    },
  };
}

export type PasswordTokenRepository = ReturnType<typeof createPasswordTokenRepository>;
