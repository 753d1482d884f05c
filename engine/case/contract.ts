/**
 * The case workflow's contract: what the workflow takes, the updates, signals and queries it
 * answers, and the failure types its updates reject with. Services, the scenario runner and tests
 * talk to a case through these names; the workflow file holds only the workflow.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CaseMessage } from '../activities/types.js';
import type { CaseState, Command, Variables } from '../interpreter/types.js';
import type { ProcessModel } from '../model/process-model.js';
import type { FormSchema } from '../../forms/schema.js';
import type { InformationRequestInput, WithdrawInformationRequestInput } from './information-request.js';
import type { CompleteTaskInput } from './task-completion.js';
import type { ElementMapping } from './migration.js';

/** The workflow type every case runs (workflows/case.workflow.ts); workflow id = case id. */
export const CASE_WORKFLOW_TYPE = 'caseWorkflow';

export interface CaseWorkflowInput {
  caseId: string;
  caseNumber: string;
  model: ProcessModel;
  /** The version's forms by id: task submissions are validated here too, never trusted. */
  forms: Record<string, FormSchema>;
  startedBy: string;
  variables: Variables;
  /**
   * Scenario runs (`lotse test`): jobs wait to be completed by the scenario instead of running
   * activities, and the scenario may move the case's clock forward.
   */
  scenario?: boolean;
  /** Set by continue-as-new: the state to go on from (the start event is not applied again). */
  resumeState?: CaseState;
  /** Set by continue-as-new: how far a scenario had moved the clock. */
  clockOffsetMs?: number;
  /**
   * Set by continue-as-new after a migration: the version the case now runs on (`model` and `forms` are then that
   * version's). Absent: the version the case started on, which the workflow does not need to know.
   */
  serviceVersionId?: string;
}

/**
 * Moves the case to a newer version of its service (engine/case/migration.ts, ADR 0020). The new model and forms
 * travel in the argument: the workflow loads nothing, and continue-as-new carries them on. Update id =
 * `migrate:<toVersionId>:<planned seq>`, so a repeated request is one migration.
 */
export interface MigrateCaseInput {
  /** Actor label (`staff:<id>`) for the trail. */
  actor: string;
  fromVersionId: string;
  fromVersion: number;
  toVersionId: string;
  toVersion: number;
  model: ProcessModel;
  forms: Record<string, FormSchema>;
  mapping: ElementMapping;
}

export interface CompleteTaskResult {
  seq: number;
  publicStatus?: string;
}

export type DeliverMessageInput = CaseMessage;

export interface DeliverSignalInput {
  signalName: string;
  variables: Variables;
}

export type ScenarioJobInput =
  | { tokenId: string; outcome: 'complete'; variables: Variables }
  | { tokenId: string; outcome: 'throwError'; errorCode: string; message?: string; variables?: Variables }
  | { tokenId: string; outcome: 'fail'; message: string };

/** Update id = the form's submission token, so a double submit is one completion. */
export const completeTaskUpdate = defineUpdate<CompleteTaskResult, [CompleteTaskInput]>('completeTask');
export const retryIncidentUpdate = defineUpdate<{ seq: number }, [{ incidentId: string; actor: string }]>(
  'retryIncident',
);
/** A published message for one of the case's open subscriptions; rejected if none matches. */
export const deliverMessageUpdate = defineUpdate<{ seq: number }, [DeliverMessageInput]>('deliverMessage');
/**
 * A broadcast signal (ADR 0031) for the case's open signal subscriptions with that name; rejected with
 * NO_SUBSCRIPTION if it has none. Update id `signal:<signal id>`: a retried broadcast reaches the case once.
 */
export const deliverSignalUpdate = defineUpdate<{ seq: number }, [DeliverSignalInput]>('deliverSignal');
/**
 * Rückfrage (engine/case/information-request.ts, ADR 0017): a caseworker who may complete an open staff task
 * asks the company; the company answers through `completeTaskUpdate` on the Rückfrage's task. Update id = the
 * form's submission token.
 */
export const requestInformationUpdate = defineUpdate<{ seq: number }, [InformationRequestInput]>('requestInformation');
/** Withdraws the open Rückfrage of a staff task: its company task closes, the staff task goes on. */
export const withdrawInformationRequestUpdate = defineUpdate<{ seq: number }, [WithdrawInformationRequestInput]>(
  'withdrawInformationRequest',
);
/** Rejected with MIGRATION_REFUSED (details: [MigrationReason[]]) when the case cannot move. */
export const migrateUpdate = defineUpdate<{ seq: number }, [MigrateCaseInput]>('migrate');
/** Scenario runs only: the scenario completes, fails or throws a BPMN error from a waiting job. */
export const scenarioJobUpdate = defineUpdate<{ seq: number }, [ScenarioJobInput]>('scenarioJob');
/** Scenario runs only: move the case's clock forward (CPT `INCREASE_TIME`). */
export const increaseTimeSignal = defineSignal<[{ ms: number }]>('increaseTime');
export const caseStateQuery = defineQuery<CaseState>('caseState');
/** Scenario runs only: the jobs waiting for the scenario. */
export const waitingJobsQuery = defineQuery<Extract<Command, { type: 'runJob' }>[]>('waitingJobs');

export const NO_SUBSCRIPTION = 'NoMatchingSubscription';
/** A migration the case's state does not allow (or a case no longer on the version it was planned from). */
export const MIGRATION_REFUSED = 'MigrationRefused';
/** An update whose event no longer fits the case when its turn came (e.g. a job the scenario no longer waits on). */
export const EVENT_NOT_ACCEPTED = 'EventNotAccepted';
