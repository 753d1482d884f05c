import type { ProcessModel } from '../model/process-model.js';

export type Variables = Record<string, unknown>;

/** A token sits on one element and waits there (user task, job) or moves on in the same step. */
export interface Token {
  id: string;
  elementId: string;
}

export interface Incident {
  id: string;
  elementId: string;
  tokenId: string;
  message: string;
  /** Event `at` of the step that raised it: the interpreter has no clock. */
  at: string;
  resolved: boolean;
}

export interface CaseState {
  /** Increments on every step; projections are idempotent on it (`… where seq < new seq`). */
  seq: number;
  status: 'active' | 'completed' | 'incident';
  /** Last public status label reached (from `zeebe:properties` `status`). */
  publicStatus?: string;
  variables: Variables;
  tokens: Token[];
  incidents: Incident[];
  /** Deterministic id source for tokens, tasks, jobs and incidents. */
  nextId: number;
  /** Timers that are started and not yet fired or cancelled; after continue-as-new the shell restarts them. */
  timers?: { id: string; elementId: string; dueAt: string }[];
  /** Open message subscriptions. */
  subscriptions?: { id: string; elementId: string; messageName: string; correlationKey: string }[];
}

/** Every event carries `at` (ISO time, supplied by the shell from workflow time) and the actor. */
export type CaseEvent =
  | { type: 'start'; at: string; actor: string; variables: Variables }
  | { type: 'completeTask'; at: string; actor: string; tokenId: string; variables: Variables }
  | { type: 'completeJob'; at: string; tokenId: string; variables: Variables }
  | { type: 'failJob'; at: string; tokenId: string; message: string }
  /** `variables` (optional) are merged before the retry, to fix the data a gateway condition failed on. */
  | { type: 'retryIncident'; at: string; actor: string; incidentId: string; variables?: Variables }
  /** A timer the shell started for a `startTimer` command is due. */
  | { type: 'fireTimer'; at: string; timerId: string }
  /** A published message matched an open subscription (name + correlation key). */
  | { type: 'correlateMessage'; at: string; subscriptionId: string; messageName: string; variables: Variables }
  /** A job (service/send task) threw a BPMN error instead of completing. */
  | { type: 'throwJobError'; at: string; tokenId: string; errorCode: string; message?: string; variables?: Variables };

/** What happened in a step, for the audit trail and the timeline. */
export interface AuditEntry {
  type: 'elementEntered' | 'elementCompleted' | 'incidentRaised' | 'incidentResolved' | 'caseCompleted';
  elementId?: string;
  elementName?: string;
  /** Public status label, if the element has one. */
  status?: string;
  actor: string;
  at: string;
  detail?: string;
}

export type Command =
  /** A user task became active: the shell projects it as an open task. Task id = token id. */
  | {
      type: 'openTask';
      tokenId: string;
      elementId: string;
      name?: string;
      formId?: string;
      candidateGroups: string[];
      assignee?: string;
    }
  /** A user task was completed, or left because its scope was interrupted: the shell closes it in the read model. */
  | { type: 'closeTask'; tokenId: string; elementId: string; actor: string; outcome?: 'completed' | 'cancelled' }
  /** Start a durable timer; `dueAt` is computed from the event's `at` (the interpreter has no clock). */
  | { type: 'startTimer'; timerId: string; elementId: string; dueAt: string }
  | { type: 'cancelTimer'; timerId: string }
  /** The case now waits for a message: the shell registers the subscription for routing. */
  | { type: 'openSubscription'; subscriptionId: string; elementId: string; messageName: string; correlationKey: string }
  | { type: 'closeSubscription'; subscriptionId: string }
  /** A running job's token left (interrupting boundary event, terminate): the shell cancels the activity. */
  | { type: 'cancelJob'; tokenId: string }
  /** A service task became active: the shell runs the activity for `taskType` and reports back. */
  | {
      type: 'runJob';
      tokenId: string;
      elementId: string;
      taskType: string;
      retries: number;
      headers: Record<string, string>;
      variables: Variables;
    };

export interface StepResult {
  state: CaseState;
  commands: Command[];
  audit: AuditEntry[];
}

/** Thrown for events that do not fit the state (unknown token, case not active): a caller error. */
export class InvalidEventError extends Error {
  override name = 'InvalidEventError';
}

export type { ProcessModel };
