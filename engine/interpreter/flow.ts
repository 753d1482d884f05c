/**
 * Token flow: tokens take sequence flows, enter elements, complete them or are terminated, and scopes complete
 * when their last token is gone. Everything else (what an element does, events, gateways) plugs in here.
 *
 * A token is created when it takes a flow and queued to enter its element, so a scope is never empty while a
 * token is on its way; the queue is processed breadth-first, in the order the flows were taken.
 */
import { isActivity, jobOf, type ProcessElement } from '../model/process-model.js';
import { activateActivity, finishCalledProcess } from './activities.js';
import {
  childrenOf,
  elementOf,
  MAX_ENTRIES_PER_STEP,
  nextId,
  openIncidentOf,
  raiseIncident,
  record,
  removeToken,
  StepFailure,
  targetOf,
  tokenById,
  type Arrival,
  type PendingStep,
} from './pending-step.js';
import { activateCatchEvent, activateEndEvent, activateThrowEvent, closeListeners, openScopeEvents } from './events.js';
import { activateGateway, isJoiningGateway, joinArrived, releaseInclusiveJoin } from './gateways.js';
import { collectInstanceOutput, instanceCompleted, isInnerInstance } from './multi-instance.js';
import type { Incident, Token, Variables } from './types.js';
import { evaluateInputs, evaluateOutputs, propagateVariables, setLocalVariables } from './variables.js';

/** A new token on an element, inside a scope token (or on the process level); it has not entered yet. */
export function createToken(pending: PendingStep, elementId: string, parentId: string | undefined): Token {
  const token: Token = { id: nextId(pending, 't'), elementId, ...(parentId !== undefined && { parentId }) };
  pending.state.tokens.push(token);
  return token;
}

/** A token takes a sequence flow (`via`), or starts a path, and waits in the queue to enter its element. */
export function arrive(pending: PendingStep, elementId: string, parentId: string | undefined, via?: string): Token {
  const token = createToken(pending, elementId, parentId);
  pending.queue.push({ tokenId: token.id, ...(via !== undefined && { via }) });
  return token;
}

/** Processes the queue until every token waits or has ended; then inclusive joins that can go on, go on. */
export function run(pending: PendingStep): void {
  for (;;) {
    for (let arrival = pending.queue.shift(); arrival !== undefined; arrival = pending.queue.shift()) {
      enter(pending, arrival);
    }
    const released = releaseInclusiveJoin(pending);
    if (released === undefined) {
      return;
    }
    if (admit(pending, released)) {
      activate(pending, released);
    }
  }
}

function enter(pending: PendingStep, { tokenId, via }: Arrival): void {
  const token = tokenById(pending, tokenId);
  if (token === undefined) {
    // Its scope was terminated while it was on its way.
    return;
  }
  const element = elementOf(pending.model, token.elementId);
  if (isJoiningGateway(element) && !joinArrived(pending, token, element, via)) {
    return;
  }
  if (admit(pending, token)) {
    activate(pending, token);
  }
}

/** Records that a token entered its element; false (and an incident) when the step runs in circles. */
export function admit(pending: PendingStep, token: Token): boolean {
  const element = elementOf(pending.model, token.elementId);
  pending.entries += 1;
  if (pending.entries > MAX_ENTRIES_PER_STEP) {
    raiseIncident(
      pending,
      token,
      `The process entered ${MAX_ENTRIES_PER_STEP} elements in one step without waiting; ` +
        'check the gateway conditions for an endless loop',
      'activate',
    );
    return false;
  }
  record(pending, 'elementEntered', element);
  if (element.status !== undefined) {
    pending.state.publicStatus = element.status;
  }
  return true;
}

/** Runs `work` for a token; a StepFailure becomes an incident on the token, to be retried at `failedStep`. */
export function attempt(
  pending: PendingStep,
  token: Token,
  failedStep: NonNullable<Incident['failedStep']>,
  work: () => void,
): void {
  try {
    work();
  } catch (error) {
    if (!(error instanceof StepFailure) || tokenById(pending, token.id) === undefined) {
      throw error;
    }
    raiseIncident(pending, token, error.message, failedStep);
  }
}

/** What the element does with an entered (or retried) token: wait, or complete within the step. */
export function activate(pending: PendingStep, token: Token): void {
  const element = elementOf(pending.model, token.elementId);
  attempt(pending, token, 'activate', () => {
    if (isActivity(element)) {
      activateActivity(pending, token, element);
      return;
    }
    applyInputs(pending, token, element);
    switch (element.kind) {
      case 'startEvent':
        openScopeEvents(pending, token.parentId);
        complete(pending, token);
        return;
      case 'endEvent':
        activateEndEvent(pending, token, element);
        return;
      case 'intermediateCatchEvent':
        activateCatchEvent(pending, token, element);
        return;
      case 'intermediateThrowEvent':
        activateThrowEvent(pending, token, element);
        return;
      case 'boundaryEvent':
        // Only reached by retrying a boundary event that could not be entered: its trigger has happened.
        complete(pending, token);
        return;
      default:
        activateGateway(pending, token, element);
    }
  });
}

export function applyInputs(pending: PendingStep, token: Token, element: ProcessElement): void {
  const inputs = element.ioMapping?.inputs ?? [];
  if (inputs.length > 0) {
    setLocalVariables(token, evaluateInputs(pending, token, inputs, element.id));
  }
}

export interface Completion {
  /** What the element's work produced: form data, a job result, a message, a called process's variables. */
  variables?: Variables;
  /** Local variables only the output mappings see (`errorCode`, `errorMessage` of a caught error). */
  locals?: Variables;
  /** The sequence flows to take; default: every outgoing flow. */
  flows?: string[];
  /** For the audit entry, e.g. the flow a gateway took. */
  detail?: string;
}

/**
 * The element did its work: its variables go where Zeebe puts them, its events close, and the token takes the
 * flows. An output mapping that fails leaves the token with an incident; a retry completes it again.
 */
export function complete(pending: PendingStep, token: Token, completion: Completion = {}): void {
  const element = elementOf(pending.model, token.elementId);
  const body = isInnerInstance(pending, token) ? tokenById(pending, token.parentId) : undefined;
  let loopDone = false;
  try {
    applyCompletionVariables(pending, token, element, completion);
    if (body !== undefined) {
      loopDone = collectInstanceOutput(pending, token, body, element);
    }
  } catch (error) {
    if (!(error instanceof StepFailure)) {
      throw error;
    }
    raiseIncident(pending, token, error.message, 'complete');
    return;
  }
  closeListeners(pending, token.id);
  record(pending, 'elementCompleted', element, completion.detail);
  removeToken(pending, token);
  if (body !== undefined) {
    instanceCompleted(pending, body, element, loopDone);
    return;
  }
  const flows = completion.flows ?? element.outgoing;
  for (const flowId of flows) {
    arrive(pending, targetOf(pending, flowId), token.parentId, flowId);
  }
  if (flows.length === 0) {
    scopeMayComplete(pending, token.parentId);
  }
}

/**
 * Zeebe's rules: with output mappings, the element's variables become its local variables and only the mapped
 * values reach the enclosing scope; without, the variables propagate from the element outwards. A multi-instance
 * body hands its output collection to the enclosing scope.
 */
function applyCompletionVariables(
  pending: PendingStep,
  token: Token,
  element: ProcessElement,
  completion: Completion,
): void {
  const { variables, locals } = completion;
  if (token.role === 'multiInstanceBody') {
    if (variables !== undefined) {
      propagateVariables(pending, token.parentId, variables);
    }
    return;
  }
  const outputs = element.ioMapping?.outputs ?? [];
  if (outputs.length > 0) {
    setLocalVariables(token, { ...variables, ...locals });
    propagateVariables(pending, token.parentId, evaluateOutputs(pending, token, outputs, element.id));
  } else if (variables !== undefined) {
    propagateVariables(pending, token.id, variables);
  }
}

/** A scope whose last token is gone completes: a sub-process takes its outgoing flows, a called process returns. */
export function scopeMayComplete(pending: PendingStep, scopeId: string | undefined): void {
  // The case's own process completes when no token is left at all (see settleStatus).
  if (scopeId === undefined || childrenOf(pending, scopeId).length > 0) {
    return;
  }
  const scope = tokenById(pending, scopeId);
  // A multi-instance body counts its instances itself (instanceCompleted).
  if (scope === undefined || scope.role === 'multiInstanceBody') {
    return;
  }
  if (scope.role === 'calledProcess') {
    finishCalledProcess(pending, scope);
  } else {
    complete(pending, scope);
  }
}

/**
 * Ends a token without completing it, and everything inside it: its tasks close as cancelled, its job is
 * cancelled, its timers and subscriptions end, its incidents are resolved. No flow is taken.
 */
export function terminate(pending: PendingStep, token: Token): void {
  for (const child of childrenOf(pending, token.id)) {
    terminate(pending, child);
  }
  closeListeners(pending, token.id);
  const element = elementOf(pending.model, token.elementId);
  const entered = token.arrivedVia === undefined && !pending.queue.some((arrival) => arrival.tokenId === token.id);
  const incident = openIncidentOf(pending, token.id);
  if (entered && token.role === undefined) {
    if (token.assignment !== undefined) {
      pending.commands.push({
        type: 'closeTask',
        tokenId: token.id,
        elementId: element.id,
        actor: pending.actor,
        outcome: 'cancelled',
      });
    } else if (jobOf(element) !== undefined && incident === undefined && !pending.reportedJobs.has(token.id)) {
      pending.commands.push({ type: 'cancelJob', tokenId: token.id });
    }
  }
  if (incident !== undefined) {
    incident.resolved = true;
    record(pending, 'incidentResolved', element, `${incident.id}: the element was terminated`);
  }
  if (entered && token.role !== 'calledProcess') {
    record(pending, 'elementTerminated', element);
  }
  removeToken(pending, token);
}
