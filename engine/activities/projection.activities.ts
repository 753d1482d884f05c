import { notificationsOfStep, type CaseNotification } from '../case/notifications.js';
import type { Database } from '../db/database.js';
import { createCaseProjectionRepository } from '../repositories/case-projection.repository.js';
import type { CaseProjection, ProjectionResult } from './types.js';

/** Hands the company notifications a step causes on (engine/activities/notifications.activities.ts); never throws. */
export type StepNotifier = (caseId: string, notifications: readonly CaseNotification[]) => Promise<void>;

/**
 * Writes one interpreter step into the read model, in one transaction and idempotently: a retried or
 * replayed activity changes nothing and returns the same claimed messages
 * (engine/repositories/case-projection.repository.ts). Then the step's notifications to the company are written:
 * after the projection, so a mail never announces what the read model does not show yet; a retried step writes
 * them again, which their idempotency keys make a no-op.
 */
export function createProjectionActivities(db: Database, notify?: StepNotifier) {
  const projection = createCaseProjectionRepository(db);
  return {
    async projectCase(step: CaseProjection): Promise<ProjectionResult> {
      const result = await projection.project(step);
      await notify?.(step.caseId, notificationsOfStep(step));
      return result;
    },
  };
}
