/**
 * Events: timers and message subscriptions ("listeners") that tokens wait on, the intermediate and end events,
 * and what happens when a timer fires or a message arrives: an intermediate catch event (or receive task)
 * completes, a boundary event leaves its activity (interrupting) or starts a path next to it, an event
 * sub-process starts (interrupting: after ending everything else in its scope), an event-based gateway picks the
 * event that came first.
 *
 * A listener belongs to a token (`tokenId`): the activity of a boundary event, the waiting catch event, the
 * event-based gateway, or the scope of an event sub-process (none for the case's process level). It ends with
 * its token.
 */
import type {
  BoundaryEventElement,
  EndEventElement,
  EventBasedGatewayElement,
  EventDefinition,
  IntermediateCatchEventElement,
  IntermediateThrowEventElement,
  MessageDefinition,
  ProcessElement,
  StartEventElement,
  ActivityElement,
} from '../model/process-model.js';
import { startJob } from './activities.js';
import { throwError, throwEscalation } from './error-events.js';
import { childrenOf, describeFlow, elementOf, nextId, StepFailure, targetOf, tokenById, type Draft } from './draft.js';
import { admit, arrive, attempt, complete, createToken, terminate, type Completion } from './flow.js';
import { nextInCycle, scheduleTimer } from '../model/timers.js';
import type { SubscriptionState, TimerState, Token, Variables } from './types.js';
import { evaluate, evaluateText } from './variables.js';

type TimerEvent = Extract<EventDefinition, { type: 'timer' }>;

// ——— Listeners ———

export function openBoundaryEvents(draft: Draft, activity: Token, element: ActivityElement): void {
  for (const boundaryId of element.boundaryEventIds ?? []) {
    const boundary = elementOf(draft.model, boundaryId);
    if (boundary.kind === 'boundaryEvent') {
      openListener(draft, activity.id, boundary, boundary.event, activity.id);
    }
  }
}

/** The event sub-processes directly inside a scope token (or on the process level). */
export function eventSubProcessIdsOf(draft: Draft, scopeId: string | undefined): string[] {
  const scope = tokenById(draft, scopeId);
  if (scope === undefined) {
    return draft.model.eventSubProcessIds ?? [];
  }
  const element = elementOf(draft.model, scope.elementId);
  if (scope.role === 'calledProcess' && element.kind === 'callActivity') {
    return draft.model.calledProcesses?.[element.calledProcessId]?.eventSubProcessIds ?? [];
  }
  return scope.role === undefined && element.kind === 'subProcess' ? element.eventSubProcessIds : [];
}

/** Opens the timers and subscriptions of a scope's event sub-processes; done when the scope's start event runs. */
export function openScopeEvents(draft: Draft, scopeId: string | undefined): void {
  // A retried start event must not open them twice.
  closeListeners(draft, scopeId, (element) => element.kind === 'startEvent');
  for (const subProcessId of eventSubProcessIdsOf(draft, scopeId)) {
    const subProcess = elementOf(draft.model, subProcessId);
    const start = subProcess.kind === 'subProcess' ? elementOf(draft.model, subProcess.startEventId) : undefined;
    if (start?.kind === 'startEvent' && start.event !== undefined) {
      openListener(draft, scopeId, start, start.event, scopeId);
    }
  }
}

export function openMessageCatch(draft: Draft, token: Token, elementId: string, message: MessageDefinition): void {
  openSubscription(draft, token.id, elementId, message, token.id);
}

/** Error and escalation events have nothing to open: thrown errors find their catch event (error-events.ts). */
function openListener(
  draft: Draft,
  ownerId: string | undefined,
  element: ProcessElement,
  event: EventDefinition,
  scopeTokenId: string | undefined,
): void {
  if (event.type === 'timer') {
    openTimer(draft, ownerId, element.id, event, scopeTokenId);
  } else if (event.type === 'message') {
    openSubscription(draft, ownerId, element.id, event, scopeTokenId);
  }
}

function openTimer(
  draft: Draft,
  ownerId: string | undefined,
  elementId: string,
  event: TimerEvent,
  scopeTokenId: string | undefined,
): void {
  const what = `The timer of ${elementId}`;
  const text = evaluateText(draft, scopeTokenId, event.value, what);
  const schedule = scheduleTimer(event.timerType, text, draft.at);
  if (!schedule.ok) {
    throw new StepFailure(`${what} is invalid: ${schedule.message}`);
  }
  addTimer(draft, ownerId, elementId, schedule.value);
}

function addTimer(
  draft: Draft,
  ownerId: string | undefined,
  elementId: string,
  schedule: Pick<TimerState, 'dueAt' | 'cycle'>,
): void {
  const timer: TimerState = {
    id: nextId(draft, 'tm'),
    elementId,
    dueAt: schedule.dueAt,
    ...(ownerId !== undefined && { tokenId: ownerId }),
    ...(schedule.cycle !== undefined && { cycle: schedule.cycle }),
  };
  draft.state.timers.push(timer);
  draft.commands.push({ type: 'startTimer', timerId: timer.id, elementId, dueAt: timer.dueAt });
}

function openSubscription(
  draft: Draft,
  ownerId: string | undefined,
  elementId: string,
  message: MessageDefinition,
  scopeTokenId: string | undefined,
): void {
  const messageName = evaluateText(draft, scopeTokenId, message.messageName, `The message name of ${elementId}`);
  const what = `The correlation key of ${elementId}`;
  const key = evaluate(draft, scopeTokenId, message.correlationKey, what);
  if (typeof key !== 'string' && typeof key !== 'number') {
    throw new StepFailure(
      `${what} must be text or a number, but "${message.correlationKey}" gave ${JSON.stringify(key)}`,
    );
  }
  const subscription: SubscriptionState = {
    id: nextId(draft, 's'),
    elementId,
    messageName,
    correlationKey: String(key),
    ...(ownerId !== undefined && { tokenId: ownerId }),
  };
  draft.state.subscriptions.push(subscription);
  const { id: subscriptionId, correlationKey } = subscription;
  draft.commands.push({ type: 'openSubscription', subscriptionId, elementId, messageName, correlationKey });
}

/** Cancels the timers and closes the subscriptions of a token (optionally only those of some events). */
export function closeListeners(
  draft: Draft,
  ownerId: string | undefined,
  only: (element: ProcessElement) => boolean = () => true,
): void {
  const state = draft.state;
  const matches = (listener: { tokenId?: string; elementId: string }) =>
    listener.tokenId === ownerId && only(elementOf(draft.model, listener.elementId));
  for (const timer of state.timers.filter(matches)) {
    draft.commands.push({ type: 'cancelTimer', timerId: timer.id });
  }
  for (const subscription of state.subscriptions.filter(matches)) {
    draft.commands.push({ type: 'closeSubscription', subscriptionId: subscription.id });
  }
  state.timers = state.timers.filter((timer) => !matches(timer));
  state.subscriptions = state.subscriptions.filter((subscription) => !matches(subscription));
}

// ——— Intermediate and end events ———

export function activateCatchEvent(draft: Draft, token: Token, element: IntermediateCatchEventElement): void {
  const { event } = element;
  if (event.type === 'link') {
    complete(draft, token);
  } else {
    openListener(draft, token.id, element, event, token.id);
  }
}

export function activateThrowEvent(draft: Draft, token: Token, element: IntermediateThrowEventElement): void {
  const { event } = element;
  if (element.job !== undefined) {
    startJob(draft, token, element, element.job);
  } else if (event?.type === 'escalation') {
    if (throwEscalation(draft, token, escalationCodeOf(draft, token, element, event.escalationCode)) === 'continued') {
      complete(draft, token);
    }
  } else if (event?.type === 'link' && event.targetId !== undefined) {
    // The catch event's token exists before this one leaves, so the scope is never empty in between.
    arrive(draft, event.targetId, token.parentId);
    complete(draft, token, { flows: [] });
  } else {
    complete(draft, token);
  }
}

export function activateEndEvent(draft: Draft, token: Token, element: EndEventElement): void {
  const { event } = element;
  if (element.job !== undefined) {
    startJob(draft, token, element, element.job);
    return;
  }
  switch (event?.type) {
    case 'terminate':
      for (const sibling of childrenOf(draft, token.parentId)) {
        if (sibling !== token) {
          terminate(draft, sibling);
        }
      }
      complete(draft, token);
      return;
    case 'error': {
      const code = evaluateText(draft, token.id, event.errorCode ?? '', `The error code of ${element.id}`);
      if (!throwError(draft, token, code, {})) {
        throw new StepFailure(`The error "${code}" thrown by ${element.id} is not caught by any error event`);
      }
      return;
    }
    case 'escalation':
      if (
        throwEscalation(draft, token, escalationCodeOf(draft, token, element, event.escalationCode)) === 'continued'
      ) {
        complete(draft, token);
      }
      return;
    default:
      complete(draft, token);
  }
}

function escalationCodeOf(draft: Draft, token: Token, element: ProcessElement, code: string | undefined): string {
  return evaluateText(draft, token.id, code ?? '', `The escalation code of ${element.id}`);
}

// ——— Triggers ———

/** A timer the shell started is due. Cycles of non-interrupting events start their next round first. */
export function fireTimer(draft: Draft, timerId: string): void {
  const timer = draft.state.timers.find((candidate) => candidate.id === timerId);
  if (timer === undefined) {
    throw new Error(`There is no timer ${timerId}`);
  }
  draft.state.timers = draft.state.timers.filter((candidate) => candidate !== timer);
  const element = elementOf(draft.model, timer.elementId);
  const next = timer.cycle !== undefined && !interrupts(element) ? nextInCycle(timer.cycle, draft.at) : undefined;
  if (next !== undefined) {
    addTimer(draft, timer.tokenId, timer.elementId, next);
  }
  trigger(draft, element, timer.tokenId, {});
}

/** A message matched a subscription. Subscriptions of non-interrupting events stay open for the next one. */
export function correlateMessage(draft: Draft, subscriptionId: string, variables: Variables): void {
  const subscription = draft.state.subscriptions.find((candidate) => candidate.id === subscriptionId);
  if (subscription === undefined) {
    throw new Error(`There is no subscription ${subscriptionId}`);
  }
  const element = elementOf(draft.model, subscription.elementId);
  if (interrupts(element)) {
    draft.state.subscriptions = draft.state.subscriptions.filter((candidate) => candidate !== subscription);
    draft.commands.push({ type: 'closeSubscription', subscriptionId });
  }
  trigger(draft, element, subscription.tokenId, { variables });
}

function interrupts(element: ProcessElement): boolean {
  if (element.kind === 'boundaryEvent') {
    return element.interrupting;
  }
  return element.kind !== 'startEvent' || element.interrupting !== false;
}

function trigger(draft: Draft, element: ProcessElement, ownerId: string | undefined, completion: Completion): void {
  if (element.kind === 'startEvent') {
    triggerEventSubProcess(draft, ownerId, element, completion);
    return;
  }
  const owner = tokenById(draft, ownerId);
  if (owner === undefined) {
    throw new Error(`The event ${element.id} has no waiting token ${ownerId ?? '(none)'}`);
  }
  if (element.kind === 'boundaryEvent') {
    triggerBoundaryEvent(draft, owner, element, completion);
  } else if (owner.elementId === element.id) {
    complete(draft, owner, completion);
  } else {
    chooseEvent(draft, owner, element.id, completion);
  }
}

/** Interrupting: the activity ends first. Either way a token starts at the boundary event and leaves it. */
export function triggerBoundaryEvent(
  draft: Draft,
  activity: Token,
  boundary: BoundaryEventElement,
  completion: Completion,
): void {
  if (boundary.interrupting) {
    terminate(draft, activity);
  }
  const token = createToken(draft, boundary.id, activity.parentId);
  if (admit(draft, token)) {
    complete(draft, token, completion);
  }
}

/** Interrupting: everything else in the scope ends, and so do the scope's other event sub-processes. */
export function triggerEventSubProcess(
  draft: Draft,
  scopeId: string | undefined,
  start: StartEventElement,
  completion: Completion,
): void {
  if (start.interrupting !== false) {
    closeListeners(draft, scopeId, (element) => element.kind === 'startEvent');
    for (const token of childrenOf(draft, scopeId)) {
      terminate(draft, token);
    }
  }
  if (start.parentId === undefined) {
    throw new Error(`The start event ${start.id} is not inside an event sub-process`);
  }
  const instance = createToken(draft, start.parentId, scopeId);
  if (!admit(draft, instance)) {
    return;
  }
  const startToken = createToken(draft, start.id, instance.id);
  if (admit(draft, startToken)) {
    // As any start event, it opens the event sub-processes of its scope (nested ones, here).
    attempt(draft, startToken, 'activate', () => {
      openScopeEvents(draft, instance.id);
      complete(draft, startToken, completion);
    });
  }
}

/** Each event after the gateway listens on the gateway's token; the first to happen is the path taken. */
export function openEventGateway(draft: Draft, token: Token, gateway: EventBasedGatewayElement): void {
  for (const flowId of gateway.outgoing) {
    const event = elementOf(draft.model, targetOf(draft, flowId));
    if (event.kind === 'intermediateCatchEvent') {
      openListener(draft, token.id, event, event.event, token.id);
    }
  }
}

function chooseEvent(draft: Draft, gatewayToken: Token, eventId: string, completion: Completion): void {
  const gateway = elementOf(draft.model, gatewayToken.elementId);
  const flowId = gateway.outgoing.find((candidate) => targetOf(draft, candidate) === eventId) ?? eventId;
  // Created before the gateway leaves, so the scope is never empty in between.
  const eventToken = createToken(draft, eventId, gatewayToken.parentId);
  // Completing the gateway closes the other events' timers and subscriptions.
  complete(draft, gatewayToken, { flows: [], detail: `took ${describeFlow(draft, flowId)}` });
  if (admit(draft, eventToken)) {
    complete(draft, eventToken, completion);
  }
}
