import { and, ne, sql } from 'drizzle-orm';
import { sessions } from '../db/schema.js';
import type { Executor } from './executor.js';

/**
 * The one place our code writes the `session` table, which the session store (connect-pg-simple) otherwise
 * owns: ending a staff member's or company user's sessions when they are disabled or removed, their roles change or their
 * password is reset. A deleted row is a logged-out browser: its next request finds no session and meets the login page.
 */
export function createSessionRepository(db: Executor) {
  const ofStaff = (staffId: string) =>
    sql`${sessions.sess}->'principal'->>'kind' = 'staff' and ${sessions.sess}->'principal'->>'staffId' = ${staffId}`;
  const ofUser = (userId: string) =>
    sql`${sessions.sess}->'principal'->>'kind' = 'applicant' and ${sessions.sess}->'principal'->>'userId' = ${userId}`;
  return {
    /** Ends every session of the company user, or every one but `exceptSessionId` (their own, changing the password). */
    async endSessionsOfUser(userId: string, exceptSessionId?: string): Promise<number> {
      const ended = await db
        .delete(sessions)
        .where(exceptSessionId ? and(ofUser(userId), ne(sessions.sid, exceptSessionId)) : ofUser(userId))
        .returning({ sid: sessions.sid });
      return ended.length;
    },
    /** Ends every session of the member, or every one but `exceptSessionId` (the browser changing its own password). */
    async endSessionsOfStaff(staffId: string, exceptSessionId?: string): Promise<number> {
      const ended = await db
        .delete(sessions)
        .where(exceptSessionId ? and(ofStaff(staffId), ne(sessions.sid, exceptSessionId)) : ofStaff(staffId))
        .returning({ sid: sessions.sid });
      return ended.length;
    },
  };
}

export type SessionRepository = ReturnType<typeof createSessionRepository>;
