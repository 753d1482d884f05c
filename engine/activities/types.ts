/**
 * The activity contract between the case workflow and the worker. The workflow imports only
 * these types (Temporal replays workflow code; the implementations do I/O).
 */
import type { AuditEntry, CaseState, Variables } from '../interpreter/types.js';

export interface OpenedTask {
  tokenId: string;
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
  /** All incidents of the case, open and resolved (few; written as a whole). */
  incidents: ProjectedIncident[];
  audit: AuditEntry[];
}

export interface ProjectionResult {
  /** Buffered messages the new subscriptions claimed: the workflow correlates them next. */
  messages: CaseMessage[];
}

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
