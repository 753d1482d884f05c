import { and, asc, eq, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import { cases, incidents } from '../db/schema.js';
import type { CaseStep } from './case.repository.js';
import type { Executor } from './executor.js';

/**
 * The incident id of a case whose workflow task keeps failing (engine/temporal/workflow-health.ts).
 * Interpreter incidents have ids of their own (`i<n>`); this one is never retried by an update:
 * Temporal retries the workflow task by itself, so it resolves when the code is fixed.
 */
export const WORKFLOW_TASK_INCIDENT = 'workflow-task';
const WORKFLOW_ELEMENT = '(Ablauf)';

export function createIncidentRepository(db: Executor) {
  return {
    /** Open incidents, oldest first, with the case number. */
    open() {
      return db
        .select({
          caseId: incidents.caseId,
          incidentId: incidents.incidentId,
          elementId: incidents.elementId,
          message: incidents.message,
          createdAt: incidents.createdAt,
          caseNumber: cases.number,
        })
        .from(incidents)
        .innerJoin(cases, eq(cases.id, incidents.caseId))
        .where(isNull(incidents.resolvedAt))
        .orderBy(asc(incidents.createdAt));
    },
    async find(caseId: string, incidentId: string) {
      const [row] = await db
        .select()
        .from(incidents)
        .where(and(eq(incidents.caseId, caseId), eq(incidents.incidentId, incidentId)));
      return row;
    },
    /** Writes the case's interpreter incidents as the step reports them (all of them, open and resolved). */
    async writeOfStep(step: Pick<CaseStep, 'caseId' | 'at' | 'incidents'>) {
      for (const incident of step.incidents) {
        const resolvedAt = incident.resolved ? new Date(step.at) : null;
        await db
          .insert(incidents)
          .values({
            caseId: step.caseId,
            incidentId: incident.incidentId,
            elementId: incident.elementId,
            message: incident.message,
            createdAt: new Date(incident.at),
            resolvedAt,
          })
          .onConflictDoUpdate({
            target: [incidents.caseId, incidents.incidentId],
            // Keep the first resolution time.
            set: { resolvedAt: sql`coalesce(${incidents.resolvedAt}, excluded.resolved_at)` },
          });
      }
    },
    /**
     * Makes the workflow-task incidents say what Temporal says: one open incident per case in
     * `failing` (case id → reason; ids that are not cases are skipped), none for any other case.
     */
    async mirrorWorkflowTaskFailures(failing: Map<string, string>, at: Date) {
      const caseIds = [...failing.keys()];
      await db.transaction(async (tx) => {
        const known =
          caseIds.length > 0 ? await tx.select({ id: cases.id }).from(cases).where(inArray(cases.id, caseIds)) : [];
        for (const { id } of known) {
          await tx
            .insert(incidents)
            .values({
              caseId: id,
              incidentId: WORKFLOW_TASK_INCIDENT,
              elementId: WORKFLOW_ELEMENT,
              message: failing.get(id) ?? '',
              createdAt: at,
            })
            .onConflictDoUpdate({
              target: [incidents.caseId, incidents.incidentId],
              // A resolved one that fails again opens again, from now.
              set: {
                message: sql`excluded.message`,
                createdAt: sql`case when ${incidents.resolvedAt} is null then ${incidents.createdAt} else excluded.created_at end`,
                resolvedAt: null,
              },
            });
        }
        await tx
          .update(incidents)
          .set({ resolvedAt: at })
          .where(
            and(
              eq(incidents.incidentId, WORKFLOW_TASK_INCIDENT),
              isNull(incidents.resolvedAt),
              ...(caseIds.length > 0 ? [notInArray(incidents.caseId, caseIds)] : []),
            ),
          );
      });
    },
    /** Retention: the case's incidents go with it. */
    async deleteOfCase(caseId: string) {
      await db.delete(incidents).where(eq(incidents.caseId, caseId));
    },
    ofCase: (caseId: string) =>
      db.select().from(incidents).where(eq(incidents.caseId, caseId)).orderBy(asc(incidents.createdAt)),
  };
}

export type IncidentRepository = ReturnType<typeof createIncidentRepository>;
