import type { Database } from '../db/database.js';
import { createCaseProjectionRepository } from '../repositories/case-projection.repository.js';
import type { CaseProjection, ProjectionResult } from './types.js';

/**
 * Writes one interpreter step into the read model, in one transaction and idempotently: a retried or
 * replayed activity changes nothing and returns the same claimed messages
 * (engine/repositories/case-projection.repository.ts).
 */
export function createProjectionActivities(db: Database) {
  const projection = createCaseProjectionRepository(db);
  return {
    projectCase: (step: CaseProjection): Promise<ProjectionResult> => projection.project(step),
  };
}
