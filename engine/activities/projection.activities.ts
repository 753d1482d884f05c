import { and, asc, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { caseEvents, cases, incidents, messages, messageSubscriptions, tasks } from '../db/schema.js';
import type { CaseMessage, CaseProjection, ProjectionResult } from './types.js';

type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/**
 * Writes one interpreter step into the read model. Idempotent: the case row moves only forward
 * (`where seq < new seq`), tasks, events and incidents are keyed by case and token / seq / id, so
 * a retried or replayed activity changes nothing — and returns the same claimed messages.
 */
export function createProjectionActivities(db: Database) {
  return {
    async projectCase(projection: CaseProjection): Promise<ProjectionResult> {
      const at = new Date(projection.at);
      return db.transaction(async (tx) => {
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
        if (moved.length === 0) return { messages: await claimedBefore(tx, projection) };

        await writeTasks(tx, projection, at);
        await writeEvents(tx, projection);
        await writeIncidents(tx, projection);
        await writeSubscriptions(tx, projection, at);
        return { messages: await claimBufferedMessages(tx, projection, at) };
      });
    },
  };
}

async function writeTasks(tx: Transaction, projection: CaseProjection, at: Date) {
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
          candidateUsers: task.candidateUsers,
          assignee: task.assignee ?? null,
          dueDate: task.dueDate ? new Date(task.dueDate) : null,
          followUpDate: task.followUpDate ? new Date(task.followUpDate) : null,
          priority: task.priority ?? 50,
          createdAt: at,
        })),
      )
      .onConflictDoNothing();
  }
  for (const task of projection.closedTasks) {
    await tx
      .update(tasks)
      .set({ status: task.outcome, completedAt: at, completedBy: task.actor })
      .where(and(eq(tasks.caseId, projection.caseId), eq(tasks.tokenId, task.tokenId), eq(tasks.status, 'open')));
  }
  if (projection.status === 'completed') {
    // A case that ends leaves no open task behind (e.g. a terminate end event).
    await tx
      .update(tasks)
      .set({ status: 'cancelled', completedAt: at })
      .where(and(eq(tasks.caseId, projection.caseId), eq(tasks.status, 'open')));
  }
}

async function writeEvents(tx: Transaction, projection: CaseProjection) {
  if (projection.audit.length === 0) return;
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

async function writeIncidents(tx: Transaction, projection: CaseProjection) {
  for (const incident of projection.incidents) {
    const resolvedAt = incident.resolved ? new Date(projection.at) : null;
    await tx
      .insert(incidents)
      .values({
        caseId: projection.caseId,
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
}

async function writeSubscriptions(tx: Transaction, projection: CaseProjection, at: Date) {
  if (projection.closedSubscriptionIds.length > 0) {
    await tx
      .delete(messageSubscriptions)
      .where(
        and(
          eq(messageSubscriptions.caseId, projection.caseId),
          inArray(messageSubscriptions.subscriptionId, projection.closedSubscriptionIds),
        ),
      );
  }
  if (projection.status === 'completed') {
    await tx.delete(messageSubscriptions).where(eq(messageSubscriptions.caseId, projection.caseId));
    return;
  }
  if (projection.openedSubscriptions.length > 0) {
    await tx
      .insert(messageSubscriptions)
      .values(
        projection.openedSubscriptions.map((subscription) => ({
          ...subscription,
          caseId: projection.caseId,
          createdAt: at,
        })),
      )
      .onConflictDoNothing();
  }
}

/** Each new subscription takes the oldest live buffered message for it, if any (Zeebe buffering). */
async function claimBufferedMessages(tx: Transaction, projection: CaseProjection, at: Date): Promise<CaseMessage[]> {
  const claimed: CaseMessage[] = [];
  for (const subscription of projection.openedSubscriptions) {
    const [candidate] = await tx
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
    const [taken] = await tx
      .update(messages)
      .set({ correlatedCaseId: projection.caseId, correlatedSeq: projection.seq, correlatedAt: at })
      .where(and(eq(messages.id, candidate.id), isNull(messages.correlatedCaseId)))
      .returning();
    if (taken)
      claimed.push({ messageName: taken.name, correlationKey: taken.correlationKey, variables: taken.variables });
  }
  return claimed;
}

async function claimedBefore(tx: Transaction, projection: CaseProjection): Promise<CaseMessage[]> {
  const rows = await tx
    .select()
    .from(messages)
    .where(and(eq(messages.correlatedCaseId, projection.caseId), eq(messages.correlatedSeq, projection.seq)))
    .orderBy(asc(messages.publishedAt));
  return rows.map((row) => ({ messageName: row.name, correlationKey: row.correlationKey, variables: row.variables }));
}
