import { and, eq, lt } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { caseEvents, cases, tasks } from '../db/schema.js';
import type { CaseProjection } from './types.js';

/**
 * Writes one interpreter step into the read model. Idempotent: the case row moves only forward
 * (`where seq < new seq`), tasks and events are keyed by case and token / seq, so a retried or
 * replayed activity changes nothing.
 */
export function createProjectionActivities(db: Database) {
  return {
    async projectCase(projection: CaseProjection): Promise<void> {
      const at = new Date(projection.at);
      await db.transaction(async (tx) => {
        const moved = await tx
          .update(cases)
          .set({
            seq: projection.seq,
            status: projection.status,
            publicStatus: projection.publicStatus ?? null,
            activeElementIds: projection.activeElementIds,
            variables: projection.variables,
            updatedAt: at,
            completedAt: projection.status === 'completed' ? at : null,
          })
          .where(and(eq(cases.id, projection.caseId), lt(cases.seq, projection.seq)))
          .returning({ id: cases.id });
        if (moved.length === 0) return; // this step was projected before

        if (projection.openedTasks.length > 0) {
          await tx
            .insert(tasks)
            .values(
              projection.openedTasks.map((task) => ({
                caseId: projection.caseId,
                tokenId: task.tokenId,
                elementId: task.elementId,
                name: task.name ?? null,
                formId: task.formId ?? null,
                candidateGroups: task.candidateGroups,
                assignee: task.assignee ?? null,
                createdAt: at,
              })),
            )
            .onConflictDoNothing();
        }
        for (const task of projection.closedTasks) {
          await tx
            .update(tasks)
            .set({ status: 'completed', completedAt: at, completedBy: task.actor })
            .where(and(eq(tasks.caseId, projection.caseId), eq(tasks.tokenId, task.tokenId), eq(tasks.status, 'open')));
        }
        if (projection.audit.length > 0) {
          await tx
            .insert(caseEvents)
            .values(
              projection.audit.map((entry, position) => ({
                caseId: projection.caseId,
                seq: projection.seq,
                position,
                type: entry.type,
                elementId: entry.elementId ?? null,
                elementName: entry.elementName ?? null,
                publicStatus: entry.status ?? null,
                actor: entry.actor,
                at: new Date(entry.at),
                detail: entry.detail ?? null,
              })),
            )
            .onConflictDoNothing();
        }
        if (projection.status === 'completed') {
          // A case that ends leaves no open task behind (e.g. a future terminate end event).
          await tx
            .update(tasks)
            .set({ status: 'cancelled', completedAt: at })
            .where(and(eq(tasks.caseId, projection.caseId), eq(tasks.status, 'open')));
        }
      });
    },
  };
}
