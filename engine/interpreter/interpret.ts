/**
 * The interpreter: (model, state, event) → (new state, commands, audit). Pure and deterministic, because
 * the Temporal workflow replays it: no clock (time comes with the event), no randomness (ids come from
 * state.nextId), no I/O, and the inputs are never mutated.
 *
 * Token flow as in BPMN (Camunda 8 semantics): a token enters an element, and the element either passes it on
 * within the same step (events, gateways, scripts) or keeps it waiting for an event (a task, a job, a timer, a
 * message, a joining gateway, an incident). Only waiting tokens and scopes are stored. Every visit of an element
 * gets a fresh token id, so a task id (= token id) names exactly one task, even when a loop leads back to the same
 * element.
 *
 * The parts: flow.ts (entering, completing, terminating, scopes), activities.ts, multi-instance.ts,
 * gateways.ts, events.ts (timers, messages, boundary events, event sub-processes), error-events.ts,
 * variables.ts (scopes and mappings), timers.ts (ISO-8601).
 */
import { jobOf, upgradeModel, type ProcessElement, type ProcessModel } from '../model/process-model.js';
import { startJob } from './activities.js';
import {
  copyJson,
  elementOf,
  raiseIncident,
  record,
  SYSTEM_ACTOR,
  tokenById,
  type PendingStep,
} from './pending-step.js';
import { throwError } from './error-events.js';
import { broadcastSignal, closeListeners, correlateMessage, fireTimer } from './events.js';
import { activate, arrive, attempt, complete, run } from './flow.js';
import {
  InvalidEventError,
  type CaseEvent,
  type CaseState,
  type StepResult,
  type Token,
  type Variables,
} from './types.js';

export { MAX_ENTRIES_PER_STEP, SYSTEM_ACTOR } from './pending-step.js';

export type StartCaseEvent = Extract<CaseEvent, { type: 'start' }>;

/** The state before the start event: no tokens, nothing happened yet. */
export function initialState(): CaseState {
  return {
    seq: 0,
    status: 'active',
    variables: {},
    tokens: [],
    incidents: [],
    nextId: 1,
    timers: [],
    subscriptions: [],
  };
}

export function startCase(model: ProcessModel, event: StartCaseEvent): StepResult {
  return step(model, initialState(), event);
}

/** Applies one event. Throws InvalidEventError, and changes nothing, if the event does not fit the state. */
export function step(givenModel: ProcessModel, state: CaseState, event: CaseEvent): StepResult {
  const model = upgradeModel(givenModel);
  checkAccepts(model, state, event);
  const copy = copyJson(state);
  const pending: PendingStep = {
    model,
    state: { ...copy, seq: state.seq + 1, timers: copy.timers ?? [], subscriptions: copy.subscriptions ?? [] },
    commands: [],
    audit: [],
    at: event.at,
    actor: ('actor' in event ? event.actor : undefined) ?? SYSTEM_ACTOR,
    queue: [],
    reportedJobs: new Set(),
    entries: 0,
  };

  switch (event.type) {
    case 'start':
      mergeVariables(pending, event.variables);
      arrive(pending, model.startEventId, undefined);
      break;
    case 'completeTask':
      completeTask(pending, waitingToken(pending, event.tokenId), event.variables);
      break;
    case 'completeJob':
      pending.reportedJobs.add(event.tokenId);
      complete(pending, waitingToken(pending, event.tokenId), { variables: event.variables });
      break;
    case 'failJob':
      raiseIncident(pending, waitingToken(pending, event.tokenId), event.message, 'job');
      break;
    case 'throwJobError':
      throwJobError(pending, event);
      break;
    case 'retryIncident':
      retryIncident(pending, event.incidentId, event.variables ?? {});
      break;
    case 'fireTimer':
      fireTimer(pending, event.timerId);
      break;
    case 'correlateMessage':
      correlateMessage(pending, event.subscriptionId, event.variables);
      break;
    case 'broadcastSignal':
      broadcastSignal(pending, event.signalName, event.variables);
      break;
  }
  run(pending);

  settleStatus(pending);
  return { state: pending.state, commands: pending.commands, audit: pending.audit };
}

function checkAccepts(model: ProcessModel, state: CaseState, event: CaseEvent): void {
  if (state.status === 'completed') {
    throw new InvalidEventError(`The case is completed; it accepts no ${event.type} event`);
  }
  const started = state.seq > 0;
  if (event.type === 'start') {
    if (started) {
      throw new InvalidEventError('The case has already started');
    }
    return;
  }
  if (!started) {
    throw new InvalidEventError(`The case has not started; it accepts no ${event.type} event`);
  }

  const elementOfToken = (tokenId: string): { token: Token; element: ProcessElement } | undefined => {
    const token = state.tokens.find((candidate) => candidate.id === tokenId);
    return token === undefined || token.role !== undefined
      ? undefined
      : { token, element: elementOf(model, token.elementId) };
  };
  const hasOpenIncident = (tokenId: string) =>
    state.incidents.some((incident) => incident.tokenId === tokenId && !incident.resolved);

  switch (event.type) {
    case 'completeTask': {
      const found = elementOfToken(event.tokenId);
      if (found?.element.kind !== 'userTask') {
        throw new InvalidEventError(`${event.tokenId} is not an open user task`);
      }
      if (hasOpenIncident(event.tokenId)) {
        throw new InvalidEventError(`The task ${event.tokenId} has an open incident; retry the incident first`);
      }
      return;
    }
    case 'completeJob':
    case 'failJob':
    case 'throwJobError': {
      const found = elementOfToken(event.tokenId);
      if (found === undefined || jobOf(found.element) === undefined) {
        throw new InvalidEventError(`${event.tokenId} is not a running job`);
      }
      if (hasOpenIncident(event.tokenId)) {
        // The job already failed for good; only a retry may start it again.
        throw new InvalidEventError(`The job ${event.tokenId} has an open incident; retry the incident first`);
      }
      return;
    }
    case 'retryIncident':
      if (!state.incidents.some((incident) => incident.id === event.incidentId && !incident.resolved)) {
        throw new InvalidEventError(`There is no open incident ${event.incidentId}`);
      }
      return;
    case 'fireTimer':
      if (!(state.timers ?? []).some((timer) => timer.id === event.timerId)) {
        throw new InvalidEventError(`There is no running timer ${event.timerId}; it fired or was cancelled`);
      }
      return;
    case 'correlateMessage': {
      const subscription = (state.subscriptions ?? []).find((candidate) => candidate.id === event.subscriptionId);
      if (subscription === undefined) {
        throw new InvalidEventError(`There is no open subscription ${event.subscriptionId}`);
      }
      if (subscription.messageName !== event.messageName) {
        throw new InvalidEventError(
          `The subscription ${event.subscriptionId} waits for "${subscription.messageName}", not "${event.messageName}"`,
        );
      }
      return;
    }
    case 'broadcastSignal':
      if (!(state.signalSubscriptions ?? []).some((candidate) => candidate.signalName === event.signalName)) {
        throw new InvalidEventError(`The case waits for no signal "${event.signalName}"`);
      }
      return;
  }
}

function completeTask(pending: PendingStep, token: Token, variables: Variables): void {
  pending.commands.push({
    type: 'closeTask',
    tokenId: token.id,
    elementId: token.elementId,
    actor: pending.actor,
    outcome: 'completed',
  });
  delete token.assignment;
  complete(pending, token, { variables });
}

function throwJobError(pending: PendingStep, event: Extract<CaseEvent, { type: 'throwJobError' }>): void {
  const token = waitingToken(pending, event.tokenId);
  pending.reportedJobs.add(token.id);
  const { errorCode, message, variables } = event;
  const caught = throwError(pending, token, errorCode, {
    ...(variables !== undefined && { variables }),
    ...(message !== undefined && { message }),
  });
  if (!caught) {
    raiseIncident(
      pending,
      token,
      `The job threw the error "${errorCode}"${message === undefined ? '' : ` (${message})`}, ` +
        'which no error event catches',
      'job',
    );
  }
}

function retryIncident(pending: PendingStep, incidentId: string, variables: Variables): void {
  const incident = pending.state.incidents.find((candidate) => candidate.id === incidentId);
  if (incident === undefined) {
    throw new InvalidEventError(`There is no open incident ${incidentId}`);
  }
  incident.resolved = true;
  mergeVariables(pending, variables);
  const element = elementOf(pending.model, incident.elementId);
  record(pending, 'incidentResolved', element, `${incident.id}: ${incident.message}`);

  // The token stays the same: it is still the same visit of the element, and for a job the same task id.
  const token = waitingToken(pending, incident.tokenId);
  const job = jobOf(element);
  const failedStep = incident.failedStep ?? (job === undefined ? 'activate' : 'job');
  switch (failedStep) {
    case 'activate':
      // Whatever the failed attempt opened before it failed is opened again.
      closeListeners(pending, token.id);
      activate(pending, token);
      return;
    case 'complete':
      complete(pending, token);
      return;
    case 'job':
      if (job !== undefined) {
        attempt(pending, token, 'job', () => startJob(pending, token, element, job));
      }
      return;
  }
}

function settleStatus(pending: PendingStep): void {
  const { state } = pending;
  if (state.tokens.length === 0) {
    // Event sub-processes on the process level end with the case.
    closeListeners(pending, undefined);
    state.status = 'completed';
    pending.audit.push({ type: 'caseCompleted', actor: pending.actor, at: pending.at });
    return;
  }
  state.status = state.incidents.some((incident) => !incident.resolved) ? 'incident' : 'active';
}

/** Shallow merge into the case's variables, as Zeebe does: top-level names are replaced, not deep-merged. */
function mergeVariables(pending: PendingStep, variables: Variables): void {
  Object.assign(pending.state.variables, copyJson(variables));
}

function waitingToken(pending: PendingStep, tokenId: string): Token {
  const token = tokenById(pending, tokenId);
  if (token === undefined) {
    throw new InvalidEventError(`There is no waiting token ${tokenId}`);
  }
  return token;
}
