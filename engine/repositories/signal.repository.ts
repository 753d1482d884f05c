import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import { cases, signalSubscriptions } from '../db/schema.js';
import type { CaseStep } from './case.repository.js';
import type { Executor } from './executor.js';

/** Open signal subscriptions (ADR 0031): written by the projection, read by a broadcast. */
export function createSignalRepository(db: Executor) {
  return {
    /**
     * Every case waiting for the signal now, each once, the one that subscribed first first. `reach` narrows it:
     * to given cases (a scenario's own), or to the cases of the company a case belongs to (what a scenario case
     * throws stays among the scenario's cases).
     */
    async subscribers(signalName: string, reach?: SignalReach): Promise<string[]> {
      if (reach !== undefined && 'caseIds' in reach && reach.caseIds.length === 0) return [];
      const narrowed: SQL | undefined =
        reach === undefined
          ? undefined
          : 'caseIds' in reach
            ? inArray(signalSubscriptions.caseId, reach.caseIds)
            : inArray(
                signalSubscriptions.caseId,
                db
                  .select({ id: cases.id })
                  .from(cases)
                  .where(
                    eq(
                      cases.companyId,
                      db.select({ companyId: cases.companyId }).from(cases).where(eq(cases.id, reach.companyOfCase)),
                    ),
                  ),
              );
      const rows = await db
        .select({ caseId: signalSubscriptions.caseId, createdAt: signalSubscriptions.createdAt })
        .from(signalSubscriptions)
        .where(and(eq(signalSubscriptions.signalName, signalName), narrowed))
        .orderBy(asc(signalSubscriptions.createdAt), asc(signalSubscriptions.caseId));
      return [...new Set(rows.map((row) => row.caseId))];
    },
    /** The step's changes: closed ones go, an ended case keeps none, opened ones are added once. */
    async writeSubscriptions(
      step: Pick<CaseStep, 'caseId' | 'status' | 'openedSignalSubscriptions' | 'closedSignalSubscriptionIds'>,
      at: Date,
    ) {
      const closed = step.closedSignalSubscriptionIds ?? [];
      if (closed.length > 0) {
        await db
          .delete(signalSubscriptions)
          .where(and(eq(signalSubscriptions.caseId, step.caseId), inArray(signalSubscriptions.subscriptionId, closed)));
      }
      if (step.status === 'completed') {
        await db.delete(signalSubscriptions).where(eq(signalSubscriptions.caseId, step.caseId));
        return;
      }
      const opened = step.openedSignalSubscriptions ?? [];
      if (opened.length > 0) {
        await db
          .insert(signalSubscriptions)
          .values(opened.map((subscription) => ({ ...subscription, caseId: step.caseId, createdAt: at })))
          .onConflictDoNothing();
      }
    },
    /** Retention, and a scenario's cases after their test case: they wait for no signal any more. */
    async dropSubscriptionsOf(caseIds: string[]) {
      if (caseIds.length === 0) return;
      await db.delete(signalSubscriptions).where(inArray(signalSubscriptions.caseId, caseIds));
    },
  };
}

export type SignalReach = { caseIds: string[] } | { companyOfCase: string };

export type SignalRepository = ReturnType<typeof createSignalRepository>;
