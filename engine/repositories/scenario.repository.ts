/** What `lotse test` reads of the read model: one consistent snapshot per case. Reads only; it owns no table. */
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { caseEvents, cases, messages, tasks } from '../db/schema.js';

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
  };
}

export type ScenarioRepository = ReturnType<typeof createScenarioRepository>;
