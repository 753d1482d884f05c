/**
 * The activity contract between the case workflow and the worker. The workflow imports only
 * these types (Temporal replays workflow code; the implementations do I/O).
 */
import type { AuditEntry, CaseState, Variables } from '../interpreter/types.js';

export interface OpenedTask {
  tokenId: string;
  /** Set on the company task of a Rückfrage (engine/case/information-request.ts): what was asked. */
  informationRequest?: InformationRequestProjection;
  elementId: string;
  name?: string;
  formId?: string;
  candidateGroups: string[];
  candidateUsers: string[];
  assignee?: string;
  dueDate?: string;
  followUpDate?: string;
  priority?: number;
}

export interface ClosedTask {
  tokenId: string;
  actor: string;
  outcome: 'completed' | 'cancelled';
}

export interface OpenedSubscription {
  subscriptionId: string;
  elementId: string;
  messageName: string;
  correlationKey: string;
}

export interface ProjectedIncident {
  incidentId: string;
  elementId: string;
  message: string;
  at: string;
  resolved: boolean;
}

/** A message as it reaches a case. */
export interface CaseMessage {
  messageName: string;
  correlationKey: string;
  variables: Variables;
  /** Who published it (`applicant:<id>`), when a person did; the trail names them. */
  actor?: string;
}

/** A Rückfrage as its company task's row keeps it (`tasks.information_request`). */
export interface InformationRequestProjection {
  number: number;
  staffTokenId: string;
  staffTaskName: string | null;
  questions: string[];
  documents: string[];
  message: string;
  deadline: string;
  requestedBy: string;
  requestedAt: string;
}

/** Trail entries of the workflow shell's own steps (Rückfrage), beside the interpreter's. */
export type RequestAuditType =
  | 'informationRequested'
  | 'informationAnswered'
  | 'informationRequestWithdrawn'
  | 'informationRequestExpired'
  | 'informationRequestCancelled';

/** The trail entry of a migration to a newer version (engine/case/migration.ts); detail "Version 1 → 2". */
export type MigrationAuditType = 'caseMigrated';

/** The trail entry of a withdrawal (engine/case/withdrawal.ts); detail: the name of the person who withdrew. */
export type WithdrawalAuditType = 'caseWithdrawn';

export type ProjectedAuditEntry = Omit<AuditEntry, 'type'> & {
  type: AuditEntry['type'] | RequestAuditType | MigrationAuditType | WithdrawalAuditType;
};

/** A migration step: the case now runs on another version; its open tasks follow their moved elements. */
export interface CaseMigrationProjection {
  serviceVersionId: string;
  tasks: { tokenId: string; elementId: string; name?: string; formId?: string }[];
}

/** Everything one interpreter step changed, written in one transaction, idempotent by `seq`. */
export interface CaseProjection {
  caseId: string;
  seq: number;
  at: string;
  status: CaseState['status'];
  publicStatus?: string;
  activeElementIds: string[];
  variables: Variables;
  openedTasks: OpenedTask[];
  closedTasks: ClosedTask[];
  openedSubscriptions: OpenedSubscription[];
  closedSubscriptionIds: string[];
  /** Signal subscriptions (ADR 0031); absent on steps that open or close none. */
  openedSignalSubscriptions?: { subscriptionId: string; elementId: string; signalName: string }[];
  closedSignalSubscriptionIds?: string[];
  /** All incidents of the case, open and resolved (few; written as a whole). */
  incidents: ProjectedIncident[];
  audit: ProjectedAuditEntry[];
  /** Staff tasks that wait for a Rückfrage's answer from this step on: their due date pauses. */
  waitingTasks?: string[];
  /** Staff tasks whose Rückfrage ended in this step: their due date moves by the time they waited. */
  resumedTasks?: string[];
  /** Only a migration step (the workflow's `migrate` update) carries this. */
  migration?: CaseMigrationProjection;
}

export interface ProjectionResult {
  /** Buffered messages the new subscriptions claimed: the workflow correlates them next. */
  messages: CaseMessage[];
}

/** Set by the workflow on a scenario case's signal broadcast job: the signal stays among scenario cases. */
export const SCENARIO_HEADER = 'lotse:scenario';

export interface JobRequest {
  caseId: string;
  caseNumber: string;
  elementId: string;
  tokenId: string;
  taskType: string;
  /** `caseId:elementId:seq`: what the job's side effects are deduplicated by. */
  idempotencyKey: string;
  headers: Record<string, string>;
  variables: Variables;
}

export interface JobResult {
  variables: Variables;
}

/** Error type of a job whose task type has no implementation: never retried, becomes an incident. */
export const NO_IMPLEMENTATION_ERROR = 'NoJobImplementation';
/** Error type of a job that throws a BPMN error: `details` = [errorCode, variables?]; caught by the model. */
export const BPMN_ERROR = 'BpmnError';

export interface CaseActivities {
  projectCase(projection: CaseProjection): Promise<ProjectionResult>;
  runJob(job: JobRequest): Promise<JobResult>;
}
