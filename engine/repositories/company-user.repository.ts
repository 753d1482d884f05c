import { and, eq, ne, sql } from 'drizzle-orm';
import { companies, memberships, sessions, users } from '../db/schema.js';
import type { Executor } from './executor.js';

export interface CompanyUserRow {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  emailVerifiedAt: Date | null;
}

/** A company user's own account: registration, verification, password, sessions and deletion. */
export function createCompanyUserRepository(db: Executor) {
  const ofUser = (userId: string) =>
    sql`${sessions.sess}->'principal'->>'kind' = 'applicant' and ${sessions.sess}->'principal'->>'userId' = ${userId}`;
  return {
    async findByEmail(email: string): Promise<CompanyUserRow | undefined> {
      const [row] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
      return row;
    },
    async find(userId: string): Promise<CompanyUserRow | undefined> {
      const [row] = await db.select().from(users).where(eq(users.id, userId));
      return row;
    },
    /**
     * A new company with its first user as owner, not yet verified; undefined when the e-mail address was taken
     * meanwhile (the unique index decides, so two registrations at once make one account).
     */
    async register(company: { name: string }, user: { email: string; name: string; passwordHash: string }) {
      return db.transaction(async (tx) => {
        const [userRow] = await tx
          .insert(users)
          .values({ ...user, email: user.email.toLowerCase(), emailVerifiedAt: null })
          .onConflictDoNothing()
          .returning({ id: users.id });
        if (!userRow) return undefined;
        const [companyRow] = await tx.insert(companies).values(company).returning({ id: companies.id });
        if (!companyRow) throw new Error('the company was not stored');
        await tx.insert(memberships).values({ userId: userRow.id, companyId: companyRow.id, role: 'owner' });
        return { userId: userRow.id, companyId: companyRow.id };
      });
    },
    async markVerified(userId: string, at: Date) {
      await db.update(users).set({ emailVerifiedAt: at }).where(eq(users.id, userId));
    },
    async setPasswordHash(userId: string, passwordHash: string) {
      await db.update(users).set({ passwordHash }).where(eq(users.id, userId));
    },
    /** Ends every session of the user, or every one but `exceptSessionId` (the browser changing its own password). */
    async endSessions(userId: string, exceptSessionId?: string): Promise<number> {
      const ended = await db
        .delete(sessions)
        .where(exceptSessionId ? and(ofUser(userId), ne(sessions.sid, exceptSessionId)) : ofUser(userId))
        .returning({ sid: sessions.sid });
      return ended.length;
    },
    /** The user's role in the company and how many other members and other owners it has. */
    async standing(userId: string, companyId: string) {
      const rows = await db
        .select({ userId: memberships.userId, role: memberships.role })
        .from(memberships)
        .where(eq(memberships.companyId, companyId));
      const own = rows.find((row) => row.userId === userId);
      const others = rows.filter((row) => row.userId !== userId);
      return (
        own && {
          role: own.role,
          otherMembers: others.length,
          otherOwners: others.filter((row) => row.role === 'owner').length,
        }
      );
    },
    /**
     * Deletes the person, not their traces: the membership goes, the user row is emptied of name, e-mail and
     * password (cases, documents and timeline entries refer to it and stay with the company).
     */
    async erase(userId: string, companyId: string) {
      await db.transaction(async (tx) => {
        await tx.delete(memberships).where(and(eq(memberships.userId, userId), eq(memberships.companyId, companyId)));
        await tx
          .update(users)
          .set({ email: `deleted-${userId}@invalid`, name: '—', passwordHash: '!deleted', emailVerifiedAt: null })
          .where(eq(users.id, userId));
        await tx.delete(sessions).where(ofUser(userId));
      });
    },
  };
}

export type CompanyUserRepository = ReturnType<typeof createCompanyUserRepository>;
