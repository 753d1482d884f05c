/**
 * Event definitions: timer, message, signal, error, escalation, terminate and link, each where Camunda 8 runs it.
 * Conditional, compensation and cancel events are compile errors naming the nearest alternative.
 */
import { isExpression, stripExpression } from '../feel/feel.js';
import { timerValueProblem, type TimerType } from './timers.js';
import type { IssueLog } from './issues.js';
import { keyOf, type ProcessContext } from './compile-context.js';
import { booleanOf, childOf, childrenOf, extensionOf, idOf, stringOf, type ModdleNode } from './moddle-reader.js';
import type {
  BoundaryEventElement,
  EventDefinition,
  EventType,
  JobDefinition,
  MessageDefinition,
  MessageThrow,
} from './process-model.js';
import { SIGNAL_BROADCAST_JOB_TYPE } from './process-model.js';
import { jobDefinitionOf, requiredExpression, valueOrExpression } from './zeebe-extensions.js';

const UNSUPPORTED_EVENT_DEFINITIONS: Record<string, string> = {
  'bpmn:ConditionalEventDefinition':
    'conditional events are not supported; use a message or timer event, or an exclusive gateway',
  'bpmn:CompensateEventDefinition':
    'compensation events are not supported; model the undo steps as tasks after an error boundary event',
  'bpmn:CancelEventDefinition':
    'cancel events are not supported (they need transactions); use an error end event and an error boundary event',
};

const TYPES: Record<string, EventType> = {
  'bpmn:TimerEventDefinition': 'timer',
  'bpmn:MessageEventDefinition': 'message',
  'bpmn:ErrorEventDefinition': 'error',
  'bpmn:EscalationEventDefinition': 'escalation',
  'bpmn:TerminateEventDefinition': 'terminate',
  'bpmn:LinkEventDefinition': 'link',
  'bpmn:SignalEventDefinition': 'signal',
};

/** Where an event sits: decides which definitions run and whether codes are thrown or caught. */
export type EventPosition = 'start' | 'eventSubProcessStart' | 'end' | 'catch' | 'throw' | 'boundary';

const ALLOWED: Record<EventPosition, ReadonlySet<EventType>> = {
  start: new Set(),
  eventSubProcessStart: new Set(['timer', 'message', 'error', 'escalation', 'signal']),
  end: new Set(['terminate', 'error', 'escalation', 'message', 'signal']),
  catch: new Set(['timer', 'message', 'link', 'signal']),
  throw: new Set(['message', 'escalation', 'link', 'signal']),
  boundary: new Set(['timer', 'message', 'error', 'escalation', 'signal']),
};

const POSITION_NAMES: Record<EventPosition, string> = {
  start: 'start',
  eventSubProcessStart: 'start',
  end: 'end',
  catch: 'intermediate catch',
  throw: 'intermediate throw',
  boundary: 'boundary',
};

const ALTERNATIVES: Record<EventPosition, string> = {
  start:
    'a case starts at its none start event; use an event sub-process for timer, message, signal or error starts, ' +
    'or a signal catch event after the start',
  eventSubProcessStart: 'use a timer, message, signal, error or escalation start event',
  end: 'use a none, terminate, error, escalation, message or signal end event',
  catch: 'use a timer, message, signal or link catch event',
  throw: 'use a none, message, signal, escalation or link throw event',
  boundary: 'use a timer, message, signal, error or escalation boundary event',
};

/** The event's definition, or undefined for a none event (or one that is reported as an error). */
export function eventDefinitionOf(
  node: ModdleNode,
  position: EventPosition,
  log: IssueLog,
): EventDefinition | MessageThrow | undefined {
  const definitions = childrenOf(node, 'eventDefinitions');
  if (definitions.length > 1) {
    log.error(node, 'events with several definitions (multiple events) are not supported; use an event-based gateway');
    return undefined;
  }
  const definition = definitions[0];
  if (definition === undefined) {
    if (position === 'eventSubProcessStart' || position === 'boundary' || position === 'catch') {
      log.error(node, `a ${POSITION_NAMES[position]} event needs an event definition; ${ALTERNATIVES[position]}`);
    }
    return undefined;
  }
  const unsupported = UNSUPPORTED_EVENT_DEFINITIONS[definition.$type];
  const type = TYPES[definition.$type];
  if (unsupported !== undefined || type === undefined) {
    log.error(node, unsupported ?? `${definition.$type} is not supported`);
    return undefined;
  }
  if (!ALLOWED[position].has(type)) {
    log.error(node, `${type} ${POSITION_NAMES[position]} events are not supported; ${ALTERNATIVES[position]}`);
    return undefined;
  }
  const throwing = position === 'end' || position === 'throw';
  switch (type) {
    case 'timer':
      return timerOf(node, definition, position, log);
    case 'message':
      // A message throw is sent by a job (zeebe:taskDefinition); only catching needs name and correlation key.
      return throwing ? { type: 'message' } : messageOf(node, definition, log);
    case 'error':
    case 'escalation':
      return codeOf(node, definition, type, throwing, log);
    case 'terminate':
      return { type: 'terminate' };
    case 'signal':
      return signalOf(node, definition, log);
    case 'link': {
      const linkName = stringOf(definition, 'name')?.trim() ?? '';
      if (linkName === '') {
        log.error(node, 'a link event needs a name; the throw and catch event with the same name are connected');
      }
      return { type: 'link', linkName };
    }
  }
}

function timerOf(
  node: ModdleNode,
  definition: ModdleNode,
  position: EventPosition,
  log: IssueLog,
): EventDefinition | undefined {
  const given = (['timeDuration', 'timeDate', 'timeCycle'] as const).flatMap((property) => {
    const expression = childOf(definition, property);
    return expression === undefined ? [] : [{ property, value: stringOf(expression, 'body')?.trim() ?? '' }];
  });
  const timer = given[0];
  if (timer === undefined || given.length > 1) {
    log.error(node, 'a timer event needs exactly one of timeDuration, timeDate or timeCycle');
    return undefined;
  }
  const timerType: TimerType =
    timer.property === 'timeDuration' ? 'duration' : timer.property === 'timeDate' ? 'date' : 'cycle';
  if (timerType === 'cycle' && position === 'catch') {
    log.error(node, 'an intermediate timer event cannot repeat (timeCycle); use timeDuration or timeDate');
  }
  if (isExpression(timer.value)) {
    valueOrExpression(node, timer.value, `the ${timer.property}`, log);
  } else {
    const problem = timerValueProblem(timerType, timer.value);
    if (problem !== undefined) {
      log.error(node, `the ${timer.property} is invalid: ${problem}`);
    }
  }
  return { type: 'timer', timerType, value: timer.value };
}

function messageOf(node: ModdleNode, definition: ModdleNode, log: IssueLog): EventDefinition | undefined {
  const message = messageDefinitionOf(node, childOf(definition, 'messageRef'), log);
  return message === undefined ? undefined : { type: 'message', ...message };
}

/** A `bpmn:message` with a name and `zeebe:subscription correlationKey`, as every message catch needs. */
export function messageDefinitionOf(
  node: ModdleNode,
  message: ModdleNode | undefined,
  log: IssueLog,
): MessageDefinition | undefined {
  if (message === undefined) {
    log.error(node, 'the event references no message; add a bpmn:message with a name');
    return undefined;
  }
  const messageName = stringOf(message, 'name')?.trim() ?? '';
  if (messageName === '') {
    log.error(node, `the message ${stringOf(message, 'id') ?? ''} has no name`.replace('  ', ' '));
  } else {
    valueOrExpression(node, messageName, 'the message name', log);
  }
  const subscription = extensionOf(message, 'zeebe:Subscription');
  const keyText = subscription ? stringOf(subscription, 'correlationKey') : undefined;
  if (keyText === undefined || keyText.trim() === '') {
    log.error(node, 'the message needs zeebe:subscription correlationKey, e.g. "=caseNumber"');
    return { messageName, correlationKey: '' };
  }
  return { messageName, correlationKey: requiredExpression(node, keyText, 'the correlationKey', log) };
}

/** A `bpmn:signal` with a name; the name may be FEEL, evaluated when the event is entered (as in Zeebe). */
function signalOf(node: ModdleNode, definition: ModdleNode, log: IssueLog): EventDefinition | undefined {
  const signal = childOf(definition, 'signalRef');
  if (signal === undefined) {
    log.error(node, 'the event references no signal; add a bpmn:signal with a name');
    return undefined;
  }
  const signalName = stringOf(signal, 'name')?.trim() ?? '';
  if (signalName === '' || signalName === '=') {
    log.error(node, `the signal ${stringOf(signal, 'id') ?? ''} has no name`.replace('  ', ' '));
    return undefined;
  }
  return { type: 'signal', signalName: valueOrExpression(node, signalName, 'the signal name', log) };
}

function codeOf(
  node: ModdleNode,
  definition: ModdleNode,
  type: 'error' | 'escalation',
  throwing: boolean,
  log: IssueLog,
): EventDefinition {
  const reference = childOf(definition, type === 'error' ? 'errorRef' : 'escalationRef');
  const code = reference ? stringOf(reference, type === 'error' ? 'errorCode' : 'escalationCode')?.trim() : undefined;
  const attribute = type === 'error' ? 'errorCode' : 'escalationCode';
  if (throwing && (code === undefined || code === '')) {
    log.error(node, `a thrown ${type} needs a bpmn:${type} with an ${attribute}`);
  } else if (code !== undefined && isExpression(code)) {
    if (throwing) {
      valueOrExpression(node, code, `the ${attribute}`, log);
    } else {
      log.error(node, `the ${attribute} of a catch event must be static text, not "${stripExpression(code)}"`);
    }
  }
  const value = code === '' ? undefined : code;
  return type === 'error'
    ? { type: 'error', ...(value !== undefined && { errorCode: value }) }
    : { type: 'escalation', ...(value !== undefined && { escalationCode: value }) };
}

export function compileBoundaryEvent(
  node: ModdleNode,
  base: Omit<BoundaryEventElement, 'kind' | 'attachedToId' | 'interrupting' | 'event'>,
  context: ProcessContext,
): BoundaryEventElement | undefined {
  const event = eventDefinitionOf(node, 'boundary', context.log);
  const reference = childOf(node, 'attachedToRef');
  const attachedTo = reference === undefined ? undefined : idOf(reference);
  if (attachedTo === undefined) {
    context.log.error(node, 'the boundary event is not attached to an activity');
  }
  const interrupting = booleanOf(node, 'cancelActivity') !== false;
  if (event?.type === 'error' && !interrupting) {
    context.log.error(node, 'an error boundary event always interrupts; make it interrupting');
  }
  if (!isCatchable(event) || attachedTo === undefined) {
    return undefined;
  }
  return { kind: 'boundaryEvent', ...base, attachedToId: keyOf(context, attachedTo), interrupting, event };
}

export function isCatchable(
  event: EventDefinition | MessageThrow | undefined,
): event is Extract<EventDefinition, { type: 'timer' | 'message' | 'error' | 'escalation' | 'signal' }> {
  switch (event?.type) {
    case 'timer':
    case 'error':
    case 'escalation':
    case 'signal':
      return true;
    case 'message':
      // A thrown message has no correlation key: it is sent by a job.
      return 'correlationKey' in event;
    default:
      return false;
  }
}

/**
 * Message throw events send their message through a job, as in Zeebe; other events have none. (A signal throw
 * is broadcast by a built-in job the interpreter starts itself: no zeebe:taskDefinition.)
 */
export function throwJobOf(
  node: ModdleNode,
  event: EventDefinition | MessageThrow | undefined,
  log: IssueLog,
): JobDefinition | undefined {
  const job = jobDefinitionOf(node, log);
  if (event?.type === 'signal') {
    if (job !== undefined) {
      log.error(node, 'a signal throw event is broadcast by Lotse itself; remove its zeebe:taskDefinition');
    }
    return { taskType: SIGNAL_BROADCAST_JOB_TYPE, retries: 3, headers: {} };
  }
  if (event?.type === 'message' && job === undefined) {
    log.error(node, 'a message throw event needs zeebe:taskDefinition: a job sends the message');
  }
  if (event?.type !== 'message' && job !== undefined) {
    log.error(node, 'only message throw events run a job (zeebe:taskDefinition); use a service task');
  }
  return event?.type === 'message' ? job : undefined;
}
