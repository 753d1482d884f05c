import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { CASE_WORKFLOW_TYPE, type CaseWorkflowInput } from '../case/contract.js';
import type { caseWorkflow } from '../../workflows/case.workflow.js';
import type { CaseRepository, CaseRow } from '../repositories/case.repository.js';
import type { CatalogService, PublishedService } from './catalog.service.js';
import { answeredWithin } from './unavailable.js';

/**
 * How long a submit waits for Temporal to accept the workflow start. The client's own retries would
 * wait ~20 s on a dead server; past this the page says "try again shortly" (503) and the sweep in the
 * worker process starts the case's workflow once Temporal is back (the row is already written).
 */
export const WORKFLOW_START_DEADLINE_MS = 5000;

/** The two steps every start of a case takes, in this order: its row, then its workflow. */
export interface CaseLauncher {
  /** Inserts the case unless its submission token already made one; either way returns that case. */
  insertCase(
    version: Pick<PublishedService, 'model'> & { id: string },
    owner: { companyId: string; userId: string },
    submissionToken: string,
    subject: string,
    variables: Record<string, unknown>,
  ): Promise<CaseRow>;
  /**
   * Starts the case's workflow with its version; safe to call again for the same case (the id is the
   * case id). A scenario run (`lotse test`) starts with the scenario's clock.
   */
  startWorkflow(row: CaseRow, scenario?: { clockOffsetMs: number }): Promise<void>;
}

export function createCaseLauncher(deps: {
  cases: CaseRepository;
  catalog: CatalogService;
  temporal: Client;
  taskQueue: string;
  clock: () => Date;
}): CaseLauncher {
  const { cases, catalog, temporal, taskQueue, clock } = deps;
  return {
    async insertCase(version, owner, submissionToken, subject, variables) {
      const start = version.model.elements[version.model.startEventId];
      const { row } = await cases.insertOnce({
        id: randomUUID(),
        year: clock().getFullYear(),
        serviceVersionId: version.id,
        companyId: owner.companyId,
        userId: owner.userId,
        submissionToken,
        subject,
        publicStatus: start?.status ?? null,
        variables,
      });
      return row;
    },

    async startWorkflow(row, scenario) {
      const version = await catalog.version(row.serviceVersionId);
      if (!version) throw new Error(`Case ${row.id}: service version ${row.serviceVersionId} is missing`);
      const input: CaseWorkflowInput = {
        caseId: row.id,
        caseNumber: row.number,
        model: version.model,
        forms: version.forms,
        startedBy: `applicant:${row.createdByUserId}`,
        variables: { ...row.variables, caseNumber: row.number },
        ...(scenario && { scenario: true, clockOffsetMs: scenario.clockOffsetMs }),
      };
      try {
        await answeredWithin(WORKFLOW_START_DEADLINE_MS, 'temporal', (deadline) =>
          temporal.withDeadline(deadline, () =>
            temporal.workflow.start<typeof caseWorkflow>(CASE_WORKFLOW_TYPE, {
              workflowId: row.id,
              taskQueue,
              args: [input],
              // A case id runs once, ever: a finished case is never started again by a late double submit.
              workflowIdReusePolicy: 'REJECT_DUPLICATE',
              workflowIdConflictPolicy: 'FAIL',
            }),
          ),
        );
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
    },
  };
}
