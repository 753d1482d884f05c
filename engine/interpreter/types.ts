import type { ProcessModel } from '../model/process-model.js';

export type { Variables } from '../feel/feel.js';
import type { Variables } from '../feel/feel.js';

/**
 * A token is one active element instance: it waits at a task, an event or a joining gateway, or it is a scope
 * that holds other tokens (a sub-process, the body of a multi-instance activity, a called process). A token that
 * moves on within a step is never stored.
 */
export interface Token {
  id: string;
  elementId: string;
  /** The scope token this one runs inside; absent on the level of the case's own process. */
  parentId?: string;
  /**
   * `multiInstanceBody`: holds the instances of a multi-instance activity (its children are tokens of the same
   * element). `calledProcess`: the instance of the process a call activity started; `elementId` is the call
   * activity, its `variables` are the called process's variables and nothing outside is visible from inside.
   * Absent for every other token.
   */
  role?: 'multiInstanceBody' | 'calledProcess';
  /** Local variables (input mappings, inputElement, loopCounter, a scope's own variables). */
  variables?: Variables;
  /** Waiting at a joining gateway: the sequence flow the token arrived on. */
  arrivedVia?: string;
  /** An open user task's evaluated assignment, as in its openTask command: who may complete it. */
  assignment?: { candidateGroups: string[]; candidateUsers: string[]; assignee?: string };
  /** A multi-instance body: the items, and how many instances have been started. */
  loop?: { items: unknown[]; started: number };
}

export interface Incident {
  id: string;
  elementId: string;
  tokenId: string;
  message: string;
  /** Event `at` of the step that raised it: the interpreter has no clock. */
  at: string;
  resolved: boolean;
  /**
   * What a retry does again: `activate` the element (gateways, mappings, expressions, thrown errors), `complete`
   * it (output mappings after its work was done), or run its `job` again. Absent: `job` for elements with a job,
   * otherwise `activate`.
   */
  failedStep?: 'activate' | 'complete' | 'job';
}

/** A started timer; `tokenId` is the token it belongs to (absent: an event sub-process on the process level). */
export interface TimerState {
  id: string;
  /** The timer event: an intermediate catch, boundary or event sub-process start event. */
  elementId: string;
  dueAt: string;
  tokenId?: string;
  /** A `timeCycle` timer: fires again after `interval`; `remaining` repetitions after this one (absent: no end). */
  cycle?: { interval: string; remaining?: number };
}

/** An open message subscription; `tokenId` as for timers. */
export interface SubscriptionState {
  id: string;
  /** The message event: an intermediate catch, boundary or event sub-process start event, or a receive task. */
  elementId: string;
  messageName: string;
  correlationKey: string;
  tokenId?: string;
}

/** An open signal subscription (a catch, boundary or event sub-process start event); `tokenId` as for timers. */
export interface SignalSubscriptionState {
  id: string;
  elementId: string;
  /** Evaluated when the subscription opened. */
  signalName: string;
  tokenId?: string;
}

export interface CaseState {
  /** Increments on every step; projections are idempotent on it (`… where seq < new seq`). */
  seq: number;
  status: 'active' | 'completed' | 'incident';
  /** Last public status label reached (from `zeebe:properties` `status`). */
  publicStatus?: string;
  /** Variables of the case's process (the root scope); local variables live on their tokens. */
  variables: Variables;
  tokens: Token[];
  incidents: Incident[];
  /** Deterministic id source for tokens, tasks, jobs, timers, subscriptions and incidents. */
  nextId: number;
  /** Timers that are started and not yet fired or cancelled; after continue-as-new the shell restarts them. */
  timers?: TimerState[];
  /** Open message subscriptions. */
  subscriptions?: SubscriptionState[];
  /** Open signal subscriptions; absent while there are none (cases without signals keep their old state shape). */
  signalSubscriptions?: SignalSubscriptionState[];
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
  /**
   * A published message matched an open subscription (name + correlation key). `actor`: who published it, when a
   * person did (a company withdrawing its case); otherwise the system.
   */
  | {
      type: 'correlateMessage';
      at: string;
      subscriptionId: string;
      messageName: string;
      variables: Variables;
      actor?: string;
    }
  /** A broadcast signal: every open subscription of the case with that name is triggered, each once. */
  | { type: 'broadcastSignal'; at: string; signalName: string; variables: Variables }
  /** A job (service/send task) threw a BPMN error instead of completing. */
  | { type: 'throwJobError'; at: string; tokenId: string; errorCode: string; message?: string; variables?: Variables };

/** What happened in a step, for the audit trail and the timeline. */
export interface AuditEntry {
  type:
    | 'elementEntered'
    | 'elementCompleted'
    /** The element was left without completing: an interrupting event, a terminate end event, a thrown error. */
    | 'elementTerminated'
    | 'incidentRaised'
    | 'incidentResolved'
    | 'caseCompleted';
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
      candidateUsers?: string[];
      /** ISO-8601 date-times with offset. */
      dueDate?: string;
      followUpDate?: string;
      /** 0–100; Camunda's default is 50. */
      priority?: number;
    }
  /** A user task was completed, or left because its scope was interrupted: the shell closes it in the read model. */
  | { type: 'closeTask'; tokenId: string; elementId: string; actor: string; outcome?: 'completed' | 'cancelled' }
  /** Start a durable timer; `dueAt` is computed from the event's `at` (the interpreter has no clock). */
  | { type: 'startTimer'; timerId: string; elementId: string; dueAt: string }
  | { type: 'cancelTimer'; timerId: string }
  /** The case now waits for a message: the shell registers the subscription for routing. */
  | { type: 'openSubscription'; subscriptionId: string; elementId: string; messageName: string; correlationKey: string }
  | { type: 'closeSubscription'; subscriptionId: string }
  /** The case now waits for a signal: the shell registers the subscription, so a broadcast finds the case. */
  | { type: 'openSignalSubscription'; subscriptionId: string; elementId: string; signalName: string }
  | { type: 'closeSignalSubscription'; subscriptionId: string }
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
