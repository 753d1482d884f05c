/** The read model as `lotse test` needs it: one consistent snapshot per case, the test applicant, clean-up. */
import { randomBytes } from 'node:crypto';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { caseEvents, cases, memberships, messages, messageSubscriptions, tasks, users } from '../db/schema.js';
import { createCompanyWithUser } from '../services/seed.js';

export const SCENARIO_COMPANY = 'Szenario-Test GmbH';
export const SCENARIO_USER_EMAIL = 'szenario-test@lotse.invalid';

export interface ReadModelSnapshot {
  seq: number;
  trail: { type: string; elementId: string | null }[];
  tasks: {
    tokenId: string;
    elementId: string;
    name: string | null;
    status: 'open' | 'completed' | 'cancelled';
    candidateGroups: string[];
    assignee: string | null;
  }[];
  correlatedMessages: { name: string; correlationKey: string }[];
}

export function createScenarioRepository(db: Database) {
  return {
    /** Case row, audit trail, tasks and taken messages, read in one snapshot (repeatable read). */
    async snapshot(caseId: string): Promise<ReadModelSnapshot | undefined> {
      return db.transaction(
        async (tx) => {
          const [row] = await tx.select({ seq: cases.seq }).from(cases).where(eq(cases.id, caseId));
          if (!row) return undefined;
          const trail = await tx
            .select({ type: caseEvents.type, elementId: caseEvents.elementId })
            .from(caseEvents)
            .where(eq(caseEvents.caseId, caseId))
            .orderBy(asc(caseEvents.seq), asc(caseEvents.position));
          const taskRows = await tx
            .select({
              tokenId: tasks.tokenId,
              elementId: tasks.elementId,
              name: tasks.name,
              status: tasks.status,
              candidateGroups: tasks.candidateGroups,
              assignee: tasks.assignee,
            })
            .from(tasks)
            .where(eq(tasks.caseId, caseId));
          const taken = await tx
            .select({ name: messages.name, correlationKey: messages.correlationKey })
            .from(messages)
            .where(eq(messages.correlatedCaseId, caseId));
          // Token ids count up within a case (`t7` before `t12`): the order tasks were opened in.
          const opened = (tokenId: string) => Number(tokenId.replace(/\D/g, ''));
          taskRows.sort((a, b) => opened(a.tokenId) - opened(b.tokenId));
          return { seq: row.seq, trail, tasks: taskRows, correlatedMessages: taken };
        },
        { isolationLevel: 'repeatable read', accessMode: 'read only' },
      );
    },

    /** The company and user scenario cases are filed under; created on first use. */
    async applicant(): Promise<{ companyId: string; userId: string }> {
      const existing = await findApplicant(db);
      if (existing) return existing;
      try {
        // Nobody logs in as this user: the password is random and thrown away.
        return await createCompanyWithUser(db, {
          company: SCENARIO_COMPANY,
          email: SCENARIO_USER_EMAIL,
          name: 'Szenario-Test',
          password: randomBytes(24).toString('base64url'),
        });
      } catch (error) {
        // A parallel run created it first (the e-mail is unique).
        const created = await findApplicant(db);
        if (created) return created;
        throw error;
      }
    },

    /**
     * After a test case: its cases stop waiting for messages and its unclaimed messages expire, so no later
     * test case (which starts fresh, as in CPT) correlates with what this one left behind.
     */
    async forget(caseIds: string[], messageKeys: string[]): Promise<void> {
      if (caseIds.length > 0) {
        await db.delete(messageSubscriptions).where(inArray(messageSubscriptions.caseId, caseIds));
      }
      if (messageKeys.length > 0) {
        await db
          .update(messages)
          .set({ expiresAt: new Date() })
          .where(and(inArray(messages.id, messageKeys), isNull(messages.correlatedCaseId)));
      }
    },
  };
}

async function findApplicant(db: Database) {
  const [row] = await db
    .select({ userId: users.id, companyId: memberships.companyId })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(eq(users.email, SCENARIO_USER_EMAIL));
  return row;
}

export type ScenarioRepository = ReturnType<typeof createScenarioRepository>;
