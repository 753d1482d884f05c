import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { retryIncidentUpdate } from '../case/contract.js';
import { WORKFLOW_TASK_INCIDENT, type IncidentRepository } from '../repositories/incident.repository.js';

type Retryable<T> = T & { retryable: boolean };

/** Failed steps (incidents) for administrators: list and retry once the cause is fixed. */
export interface IncidentService {
  /** Open incidents of all cases, oldest first, with the case number. */
  listOpen(): Promise<Retryable<Awaited<ReturnType<IncidentRepository['open']>>[number]>[]>;
  /** The incidents of one case, open and resolved. */
  ofCase(caseId: string): Promise<Retryable<Awaited<ReturnType<IncidentRepository['ofCase']>>[number]>[]>;
  /** Retries the failed step; false if the incident is unknown or already resolved. */
  retry(caseId: string, incidentId: string, actor: string): Promise<boolean>;
}

export interface IncidentServiceDeps {
  incidents: IncidentRepository;
  temporal: Client;
}

export function createIncidentService(deps: IncidentServiceDeps): IncidentService {
  const { incidents, temporal } = deps;
  return {
    listOpen: async () => (await incidents.open()).map(withRetryable),
    ofCase: async (caseId) => (await incidents.ofCase(caseId)).map(withRetryable),
    async retry(caseId, incidentId, actor) {
      const incident = await incidents.find(caseId, incidentId);
      if (!incident || incident.resolvedAt) return false;
      try {
        await temporal.workflow.getHandle(caseId).executeUpdate(retryIncidentUpdate, {
          args: [{ incidentId, actor }],
          updateId: randomUUID(),
        });
        return true;
      } catch (error) {
        // Rejected by the workflow: resolved meanwhile (a second click).
        if (error instanceof WorkflowUpdateFailedError) return false;
        throw error;
      }
    },
  };
}

/**
 * A failed step is retried by an administrator; a failing workflow task is retried by Temporal
 * itself and ends when the workflow code is fixed, so it has no retry button.
 */
function withRetryable<T extends { incidentId: string }>(incident: T): Retryable<T> {
  return { ...incident, retryable: incident.incidentId !== WORKFLOW_TASK_INCIDENT };
}
