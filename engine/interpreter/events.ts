/**
 * Events: timers, message and signal subscriptions ("listeners") that tokens wait on, the intermediate and end
 * events, and what happens when a timer fires, a message arrives or a signal is broadcast: an intermediate catch event (or receive task)
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
import {
  childrenOf,
  copyJson,
  describeFlow,
  elementOf,
  nextId,
  StepFailure,
  targetOf,
  tokenById,
  type PendingStep,
} from './pending-step.js';
import { admit, arrive, attempt, complete, createToken, terminate, type Completion } from './flow.js';
import { nextInCycle, scheduleTimer } from '../model/timers.js';
import type { SignalSubscriptionState, SubscriptionState, TimerState, Token, Variables } from './types.js';
import { evaluate, evaluateText } from './variables.js';

type TimerEvent = Extract<EventDefinition, { type: 'timer' }>;

// ——— Listeners ———

export function openBoundaryEvents(pending: PendingStep, activity: Token, element: ActivityElement): void {
  for (const boundaryId of element.boundaryEventIds ?? []) {
    const boundary = elementOf(pending.model, boundaryId);
    if (boundary.kind === 'boundaryEvent') {
      openListener(pending, activity.id, boundary, boundary.event, activity.id);
    }
  }
}

/** The event sub-processes directly inside a scope token (or on the process level). */
export function eventSubProcessIdsOf(pending: PendingStep, scopeId: string | undefined): string[] {
  const scope = tokenById(pending, scopeId);
  if (scope === undefined) {
    return pending.model.eventSubProcessIds ?? [];
  }
  const element = elementOf(pending.model, scope.elementId);
  if (scope.role === 'calledProcess' && element.kind === 'callActivity') {
    return pending.model.calledProcesses?.[element.calledProcessId]?.eventSubProcessIds ?? [];
  }
  return scope.role === undefined && element.kind === 'subProcess' ? element.eventSubProcessIds : [];
}

/** Opens the timers and subscriptions of a scope's event sub-processes; done when the scope's start event runs. */
export function openScopeEvents(pending: PendingStep, scopeId: string | undefined): void {
  // A retried start event must not open them twice.
  closeListeners(pending, scopeId, (element) => element.kind === 'startEvent');
  for (const subProcessId of eventSubProcessIdsOf(pending, scopeId)) {
    const subProcess = elementOf(pending.model, subProcessId);
    const start = subProcess.kind === 'subProcess' ? elementOf(pending.model, subProcess.startEventId) : undefined;
    if (start?.kind === 'startEvent' && start.event !== undefined) {
      openListener(pending, scopeId, start, start.event, scopeId);
    }
  }
}

export function openMessageCatch(
  pending: PendingStep,
  token: Token,
  elementId: string,
  message: MessageDefinition,
): void {
  openSubscription(pending, token.id, elementId, message, token.id);
}

/** Error and escalation events have nothing to open: thrown errors find their catch event (error-events.ts). */
function openListener(
  pending: PendingStep,
  ownerId: string | undefined,
  element: ProcessElement,
  event: EventDefinition,
  scopeTokenId: string | undefined,
): void {
  if (event.type === 'timer') {
    openTimer(pending, ownerId, element.id, event, scopeTokenId);
  } else if (event.type === 'message') {
    openSubscription(pending, ownerId, element.id, event, scopeTokenId);
  } else if (event.type === 'signal') {
    openSignalSubscription(pending, ownerId, element.id, event.signalName, scopeTokenId);
  }
}

function openSignalSubscription(
  pending: PendingStep,
  ownerId: string | undefined,
  elementId: string,
  name: string,
  scopeTokenId: string | undefined,
): void {
  const signalName = evaluateText(pending, scopeTokenId, name, `The signal name of ${elementId}`);
  if (signalName === '') {
    throw new StepFailure(`The signal name of ${elementId} is empty`);
  }
  const subscription: SignalSubscriptionState = {
    id: nextId(pending, 'sg'),
    elementId,
    signalName,
    ...(ownerId !== undefined && { tokenId: ownerId }),
  };
  setSignalSubscriptions(pending, [...signalSubscriptionsOf(pending), subscription]);
  pending.commands.push({ type: 'openSignalSubscription', subscriptionId: subscription.id, elementId, signalName });
}

function signalSubscriptionsOf(pending: PendingStep): SignalSubscriptionState[] {
  return pending.state.signalSubscriptions ?? [];
}

/** Kept absent while empty: a case without signals keeps the state shape it always had. */
function setSignalSubscriptions(pending: PendingStep, subscriptions: SignalSubscriptionState[]): void {
  if (subscriptions.length > 0) {
    pending.state.signalSubscriptions = subscriptions;
  } else {
    delete pending.state.signalSubscriptions;
  }
}

function openTimer(
  pending: PendingStep,
  ownerId: string | undefined,
  elementId: string,
  event: TimerEvent,
  scopeTokenId: string | undefined,
): void {
  const what = `The timer of ${elementId}`;
  const text = evaluateText(pending, scopeTokenId, event.value, what);
  const schedule = scheduleTimer(event.timerType, text, pending.at);
  if (!schedule.ok) {
    throw new StepFailure(`${what} is invalid: ${schedule.message}`);
  }
  addTimer(pending, ownerId, elementId, schedule.value);
}

function addTimer(
  pending: PendingStep,
  ownerId: string | undefined,
  elementId: string,
  schedule: Pick<TimerState, 'dueAt' | 'cycle'>,
): void {
  const timer: TimerState = {
    id: nextId(pending, 'tm'),
    elementId,
    dueAt: schedule.dueAt,
    ...(ownerId !== undefined && { tokenId: ownerId }),
    ...(schedule.cycle !== undefined && { cycle: schedule.cycle }),
  };
  pending.state.timers.push(timer);
  pending.commands.push({ type: 'startTimer', timerId: timer.id, elementId, dueAt: timer.dueAt });
}

function openSubscription(
  pending: PendingStep,
  ownerId: string | undefined,
  elementId: string,
  message: MessageDefinition,
  scopeTokenId: string | undefined,
): void {
  const messageName = evaluateText(pending, scopeTokenId, message.messageName, `The message name of ${elementId}`);
  const what = `The correlation key of ${elementId}`;
  const key = evaluate(pending, scopeTokenId, message.correlationKey, what);
  if (typeof key !== 'string' && typeof key !== 'number') {
    throw new StepFailure(
      `${what} must be text or a number, but "${message.correlationKey}" gave ${JSON.stringify(key)}`,
    );
  }
  const subscription: SubscriptionState = {
    id: nextId(pending, 's'),
    elementId,
    messageName,
    correlationKey: String(key),
    ...(ownerId !== undefined && { tokenId: ownerId }),
  };
  pending.state.subscriptions.push(subscription);
  const { id: subscriptionId, correlationKey } = subscription;
  pending.commands.push({ type: 'openSubscription', subscriptionId, elementId, messageName, correlationKey });
}

/** Cancels the timers and closes the subscriptions of a token (optionally only those of some events). */
export function closeListeners(
  pending: PendingStep,
  ownerId: string | undefined,
  only: (element: ProcessElement) => boolean = () => true,
): void {
  const state = pending.state;
  const matches = (listener: { tokenId?: string; elementId: string }) =>
    listener.tokenId === ownerId && only(elementOf(pending.model, listener.elementId));
  for (const timer of state.timers.filter(matches)) {
    pending.commands.push({ type: 'cancelTimer', timerId: timer.id });
  }
  for (const subscription of state.subscriptions.filter(matches)) {
    pending.commands.push({ type: 'closeSubscription', subscriptionId: subscription.id });
  }
  const signals = signalSubscriptionsOf(pending);
  for (const subscription of signals.filter(matches)) {
    pending.commands.push({ type: 'closeSignalSubscription', subscriptionId: subscription.id });
  }
  state.timers = state.timers.filter((timer) => !matches(timer));
  state.subscriptions = state.subscriptions.filter((subscription) => !matches(subscription));
  if (signals.some(matches)) {
    setSignalSubscriptions(
      pending,
      signals.filter((subscription) => !matches(subscription)),
    );
  }
}

// ——— Intermediate and end events ———

export function activateCatchEvent(pending: PendingStep, token: Token, element: IntermediateCatchEventElement): void {
  const { event } = element;
  if (event.type === 'link') {
    complete(pending, token);
  } else {
    openListener(pending, token.id, element, event, token.id);
  }
}

export function activateThrowEvent(pending: PendingStep, token: Token, element: IntermediateThrowEventElement): void {
  const { event } = element;
  if (element.job !== undefined) {
    startJob(pending, token, element, element.job);
  } else if (event?.type === 'escalation') {
    if (
      throwEscalation(pending, token, escalationCodeOf(pending, token, element, event.escalationCode)) === 'continued'
    ) {
      complete(pending, token);
    }
  } else if (event?.type === 'link' && event.targetId !== undefined) {
    // The catch event's token exists before this one leaves, so the scope is never empty in between.
    arrive(pending, event.targetId, token.parentId);
    complete(pending, token, { flows: [] });
  } else {
    complete(pending, token);
  }
}

export function activateEndEvent(pending: PendingStep, token: Token, element: EndEventElement): void {
  const { event } = element;
  if (element.job !== undefined) {
    startJob(pending, token, element, element.job);
    return;
  }
  switch (event?.type) {
    case 'terminate':
      for (const sibling of childrenOf(pending, token.parentId)) {
        if (sibling !== token) {
          terminate(pending, sibling);
        }
      }
      complete(pending, token);
      return;
    case 'error': {
      const code = evaluateText(pending, token.id, event.errorCode ?? '', `The error code of ${element.id}`);
      if (!throwError(pending, token, code, {})) {
        throw new StepFailure(`The error "${code}" thrown by ${element.id} is not caught by any error event`);
      }
      return;
    }
    case 'escalation':
      if (
        throwEscalation(pending, token, escalationCodeOf(pending, token, element, event.escalationCode)) === 'continued'
      ) {
        complete(pending, token);
      }
      return;
    default:
      complete(pending, token);
  }
}

function escalationCodeOf(
  pending: PendingStep,
  token: Token,
  element: ProcessElement,
  code: string | undefined,
): string {
  return evaluateText(pending, token.id, code ?? '', `The escalation code of ${element.id}`);
}

// ——— Triggers ———

/** A timer the shell started is due. Cycles of non-interrupting events start their next round first. */
export function fireTimer(pending: PendingStep, timerId: string): void {
  const timer = pending.state.timers.find((candidate) => candidate.id === timerId);
  if (timer === undefined) {
    throw new Error(`There is no timer ${timerId}`);
  }
  pending.state.timers = pending.state.timers.filter((candidate) => candidate !== timer);
  const element = elementOf(pending.model, timer.elementId);
  const next = timer.cycle !== undefined && !interrupts(element) ? nextInCycle(timer.cycle, pending.at) : undefined;
  if (next !== undefined) {
    addTimer(pending, timer.tokenId, timer.elementId, next);
  }
  trigger(pending, element, timer.tokenId, {});
}

/** A message matched a subscription. Subscriptions of non-interrupting events stay open for the next one. */
export function correlateMessage(pending: PendingStep, subscriptionId: string, variables: Variables): void {
  const subscription = pending.state.subscriptions.find((candidate) => candidate.id === subscriptionId);
  if (subscription === undefined) {
    throw new Error(`There is no subscription ${subscriptionId}`);
  }
  const element = elementOf(pending.model, subscription.elementId);
  if (interrupts(element)) {
    pending.state.subscriptions = pending.state.subscriptions.filter((candidate) => candidate !== subscription);
    pending.commands.push({ type: 'closeSubscription', subscriptionId });
  }
  trigger(pending, element, subscription.tokenId, { variables });
}

/**
 * A signal was broadcast: each open subscription of the case with its name is triggered once, in the order they
 * opened. One that an earlier one ended (an interrupting event sub-process, a boundary event that left its
 * activity) is not triggered: it is gone, as in Zeebe.
 */
export function broadcastSignal(pending: PendingStep, signalName: string, variables: Variables): void {
  const triggered = signalSubscriptionsOf(pending).filter((subscription) => subscription.signalName === signalName);
  for (const subscription of triggered) {
    if (!signalSubscriptionsOf(pending).includes(subscription)) {
      continue;
    }
    const element = elementOf(pending.model, subscription.elementId);
    if (interrupts(element)) {
      setSignalSubscriptions(
        pending,
        signalSubscriptionsOf(pending).filter((candidate) => candidate !== subscription),
      );
      pending.commands.push({ type: 'closeSignalSubscription', subscriptionId: subscription.id });
    }
    trigger(pending, element, subscription.tokenId, { variables: copyJson(variables) });
  }
}

function interrupts(element: ProcessElement): boolean {
  if (element.kind === 'boundaryEvent') {
    return element.interrupting;
  }
  return element.kind !== 'startEvent' || element.interrupting !== false;
}

function trigger(
  pending: PendingStep,
  element: ProcessElement,
  ownerId: string | undefined,
  completion: Completion,
): void {
  if (element.kind === 'startEvent') {
    triggerEventSubProcess(pending, ownerId, element, completion);
    return;
  }
  const owner = tokenById(pending, ownerId);
  if (owner === undefined) {
    throw new Error(`The event ${element.id} has no waiting token ${ownerId ?? '(none)'}`);
  }
  if (element.kind === 'boundaryEvent') {
    triggerBoundaryEvent(pending, owner, element, completion);
  } else if (owner.elementId === element.id) {
    complete(pending, owner, completion);
  } else {
    chooseEvent(pending, owner, element.id, completion);
  }
}

/** Interrupting: the activity ends first. Either way a token starts at the boundary event and leaves it. */
export function triggerBoundaryEvent(
  pending: PendingStep,
  activity: Token,
  boundary: BoundaryEventElement,
  completion: Completion,
): void {
  if (boundary.interrupting) {
    terminate(pending, activity);
  }
  const token = createToken(pending, boundary.id, activity.parentId);
  if (admit(pending, token)) {
    complete(pending, token, completion);
  }
}

/** Interrupting: everything else in the scope ends, and so do the scope's other event sub-processes. */
export function triggerEventSubProcess(
  pending: PendingStep,
  scopeId: string | undefined,
  start: StartEventElement,
  completion: Completion,
): void {
  if (start.interrupting !== false) {
    closeListeners(pending, scopeId, (element) => element.kind === 'startEvent');
    for (const token of childrenOf(pending, scopeId)) {
      terminate(pending, token);
    }
  }
  if (start.parentId === undefined) {
    throw new Error(`The start event ${start.id} is not inside an event sub-process`);
  }
  const instance = createToken(pending, start.parentId, scopeId);
  if (!admit(pending, instance)) {
    return;
  }
  const startToken = createToken(pending, start.id, instance.id);
  if (admit(pending, startToken)) {
    // As any start event, it opens the event sub-processes of its scope (nested ones, here).
    attempt(pending, startToken, 'activate', () => {
      openScopeEvents(pending, instance.id);
      complete(pending, startToken, completion);
    });
  }
}

/** Each event after the gateway listens on the gateway's token; the first to happen is the path taken. */
export function openEventGateway(pending: PendingStep, token: Token, gateway: EventBasedGatewayElement): void {
  for (const flowId of gateway.outgoing) {
    const event = elementOf(pending.model, targetOf(pending, flowId));
    if (event.kind === 'intermediateCatchEvent') {
      openListener(pending, token.id, event, event.event, token.id);
    }
  }
}

function chooseEvent(pending: PendingStep, gatewayToken: Token, eventId: string, completion: Completion): void {
  const gateway = elementOf(pending.model, gatewayToken.elementId);
  const flowId = gateway.outgoing.find((candidate) => targetOf(pending, candidate) === eventId) ?? eventId;
  // Created before the gateway leaves, so the scope is never empty in between.
  const eventToken = createToken(pending, eventId, gatewayToken.parentId);
  // Completing the gateway closes the other events' timers and subscriptions.
  complete(pending, gatewayToken, { flows: [], detail: `took ${describeFlow(pending, flowId)}` });
  if (admit(pending, eventToken)) {
    complete(pending, eventToken, completion);
  }
}
