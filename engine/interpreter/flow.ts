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
  type Draft,
} from './draft.js';
import { activateCatchEvent, activateEndEvent, activateThrowEvent, closeListeners, openScopeEvents } from './events.js';
import { activateGateway, isJoiningGateway, joinArrived, releaseInclusiveJoin } from './gateways.js';
import { collectInstanceOutput, instanceCompleted, isInnerInstance } from './multi-instance.js';
import type { Incident, Token, Variables } from './types.js';
import { evaluateInputs, evaluateOutputs, propagateVariables, setLocalVariables } from './variables.js';

/** A new token on an element, inside a scope token (or on the process level); it has not entered yet. */
export function createToken(draft: Draft, elementId: string, parentId: string | undefined): Token {
  const token: Token = { id: nextId(draft, 't'), elementId, ...(parentId !== undefined && { parentId }) };
  draft.state.tokens.push(token);
  return token;
}

/** A token takes a sequence flow (`via`), or starts a path, and waits in the queue to enter its element. */
export function arrive(draft: Draft, elementId: string, parentId: string | undefined, via?: string): Token {
  const token = createToken(draft, elementId, parentId);
  draft.queue.push({ tokenId: token.id, ...(via !== undefined && { via }) });
  return token;
}

/** Processes the queue until every token waits or has ended; then inclusive joins that can go on, go on. */
export function run(draft: Draft): void {
  for (;;) {
    for (let arrival = draft.queue.shift(); arrival !== undefined; arrival = draft.queue.shift()) {
      enter(draft, arrival);
    }
    const released = releaseInclusiveJoin(draft);
    if (released === undefined) {
      return;
    }
    if (admit(draft, released)) {
      activate(draft, released);
    }
  }
}

function enter(draft: Draft, { tokenId, via }: Arrival): void {
  const token = tokenById(draft, tokenId);
  if (token === undefined) {
    // Its scope was terminated while it was on its way.
    return;
  }
  const element = elementOf(draft.model, token.elementId);
  if (isJoiningGateway(element) && !joinArrived(draft, token, element, via)) {
    return;
  }
  if (admit(draft, token)) {
    activate(draft, token);
  }
}

/** Records that a token entered its element; false (and an incident) when the step runs in circles. */
export function admit(draft: Draft, token: Token): boolean {
  const element = elementOf(draft.model, token.elementId);
  draft.entries += 1;
  if (draft.entries > MAX_ENTRIES_PER_STEP) {
    raiseIncident(
      draft,
      token,
      `The process entered ${MAX_ENTRIES_PER_STEP} elements in one step without waiting; ` +
        'check the gateway conditions for an endless loop',
      'activate',
    );
    return false;
  }
  record(draft, 'elementEntered', element);
  if (element.status !== undefined) {
    draft.state.publicStatus = element.status;
  }
  return true;
}

/** Runs `work` for a token; a StepFailure becomes an incident on the token, to be retried at `failedStep`. */
export function attempt(
  draft: Draft,
  token: Token,
  failedStep: NonNullable<Incident['failedStep']>,
  work: () => void,
): void {
  try {
    work();
  } catch (error) {
    if (!(error instanceof StepFailure) || tokenById(draft, token.id) === undefined) {
      throw error;
    }
    raiseIncident(draft, token, error.message, failedStep);
  }
}

/** What the element does with an entered (or retried) token: wait, or complete within the step. */
export function activate(draft: Draft, token: Token): void {
  const element = elementOf(draft.model, token.elementId);
  attempt(draft, token, 'activate', () => {
    if (isActivity(element)) {
      activateActivity(draft, token, element);
      return;
    }
    applyInputs(draft, token, element);
    switch (element.kind) {
      case 'startEvent':
        openScopeEvents(draft, token.parentId);
        complete(draft, token);
        return;
      case 'endEvent':
        activateEndEvent(draft, token, element);
        return;
      case 'intermediateCatchEvent':
        activateCatchEvent(draft, token, element);
        return;
      case 'intermediateThrowEvent':
        activateThrowEvent(draft, token, element);
        return;
      case 'boundaryEvent':
        // Only reached by retrying a boundary event that could not be entered: its trigger has happened.
        complete(draft, token);
        return;
      default:
        activateGateway(draft, token, element);
    }
  });
}

export function applyInputs(draft: Draft, token: Token, element: ProcessElement): void {
  const inputs = element.ioMapping?.inputs ?? [];
  if (inputs.length > 0) {
    setLocalVariables(token, evaluateInputs(draft, token, inputs, element.id));
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
export function complete(draft: Draft, token: Token, completion: Completion = {}): void {
  const element = elementOf(draft.model, token.elementId);
  const body = isInnerInstance(draft, token) ? tokenById(draft, token.parentId) : undefined;
  let loopDone = false;
  try {
    applyCompletionVariables(draft, token, element, completion);
    if (body !== undefined) {
      loopDone = collectInstanceOutput(draft, token, body, element);
    }
  } catch (error) {
    if (!(error instanceof StepFailure)) {
      throw error;
    }
    raiseIncident(draft, token, error.message, 'complete');
    return;
  }
  closeListeners(draft, token.id);
  record(draft, 'elementCompleted', element, completion.detail);
  removeToken(draft, token);
  if (body !== undefined) {
    instanceCompleted(draft, body, element, loopDone);
    return;
  }
  const flows = completion.flows ?? element.outgoing;
  for (const flowId of flows) {
    arrive(draft, targetOf(draft, flowId), token.parentId, flowId);
  }
  if (flows.length === 0) {
    scopeMayComplete(draft, token.parentId);
  }
}

/**
 * Zeebe's rules: with output mappings, the element's variables become its local variables and only the mapped
 * values reach the enclosing scope; without, the variables propagate from the element outwards. A multi-instance
 * body hands its output collection to the enclosing scope.
 */
function applyCompletionVariables(draft: Draft, token: Token, element: ProcessElement, completion: Completion): void {
  const { variables, locals } = completion;
  if (token.role === 'multiInstanceBody') {
    if (variables !== undefined) {
      propagateVariables(draft, token.parentId, variables);
    }
    return;
  }
  const outputs = element.ioMapping?.outputs ?? [];
  if (outputs.length > 0) {
    setLocalVariables(token, { ...variables, ...locals });
    propagateVariables(draft, token.parentId, evaluateOutputs(draft, token, outputs, element.id));
  } else if (variables !== undefined) {
    propagateVariables(draft, token.id, variables);
  }
}

/** A scope whose last token is gone completes: a sub-process takes its outgoing flows, a called process returns. */
export function scopeMayComplete(draft: Draft, scopeId: string | undefined): void {
  // The case's own process completes when no token is left at all (see settleStatus).
  if (scopeId === undefined || childrenOf(draft, scopeId).length > 0) {
    return;
  }
  const scope = tokenById(draft, scopeId);
  // A multi-instance body counts its instances itself (instanceCompleted).
  if (scope === undefined || scope.role === 'multiInstanceBody') {
    return;
  }
  if (scope.role === 'calledProcess') {
    finishCalledProcess(draft, scope);
  } else {
    complete(draft, scope);
  }
}

/**
 * Ends a token without completing it, and everything inside it: its tasks close as cancelled, its job is
 * cancelled, its timers and subscriptions end, its incidents are resolved. No flow is taken.
 */
export function terminate(draft: Draft, token: Token): void {
  for (const child of childrenOf(draft, token.id)) {
    terminate(draft, child);
  }
  closeListeners(draft, token.id);
  const element = elementOf(draft.model, token.elementId);
  const entered = token.arrivedVia === undefined && !draft.queue.some((arrival) => arrival.tokenId === token.id);
  const incident = openIncidentOf(draft, token.id);
  if (entered && token.role === undefined) {
    if (token.assignment !== undefined) {
      draft.commands.push({
        type: 'closeTask',
        tokenId: token.id,
        elementId: element.id,
        actor: draft.actor,
        outcome: 'cancelled',
      });
    } else if (jobOf(element) !== undefined && incident === undefined && !draft.reportedJobs.has(token.id)) {
      draft.commands.push({ type: 'cancelJob', tokenId: token.id });
    }
  }
  if (incident !== undefined) {
    incident.resolved = true;
    record(draft, 'incidentResolved', element, `${incident.id}: the element was terminated`);
  }
  if (entered && token.role !== 'calledProcess') {
    record(draft, 'elementTerminated', element);
  }
  removeToken(draft, token);
}
