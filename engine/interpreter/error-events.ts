/**
 * BPMN errors and escalations: thrown by an end event, an intermediate throw event or a job, they travel outwards
 * from the thrower, scope by scope, until a catch event takes them. At each step: the boundary events of the
 * activity (an error from a job first meets its own task's boundary events), then the event sub-processes of the
 * enclosing scope, then that scope's boundary events, and so on up to the case's process and across call
 * activities. A catch event with the thrown code wins over a catch-all one at the same step.
 *
 * An error always interrupts; nobody catching it is an incident. An escalation interrupts only when an
 * interrupting event catches it; nobody catching it is no problem (Zeebe), the thrower goes on.
 */
import type { BoundaryEventElement, ProcessElement, StartEventElement } from '../model/process-model.js';
import { elementOf, tokenById, type PendingStep } from './pending-step.js';
import { eventSubProcessIdsOf, triggerBoundaryEvent, triggerEventSubProcess } from './events.js';
import type { Completion } from './flow.js';
import { isInnerInstance } from './multi-instance.js';
import type { Token, Variables } from './types.js';

type Catcher =
  | { at: 'boundaryEvent'; boundary: BoundaryEventElement; activity: Token }
  | { at: 'eventSubProcess'; start: StartEventElement; scopeId: string | undefined };

type Throwable = 'error' | 'escalation';

/** Returns false when no error event catches the code; the caller raises the incident. */
export function throwError(
  pending: PendingStep,
  thrower: Token,
  code: string,
  { variables, message }: { variables?: Variables; message?: string },
): boolean {
  const catcher = findCatcher(pending, thrower, 'error', code);
  if (catcher === undefined) {
    return false;
  }
  // `errorCode` and `errorMessage` are local to the catch event: its output mappings may use them.
  const locals = { errorCode: code, ...(message !== undefined && { errorMessage: message }) };
  catchAt(pending, catcher, { ...(variables !== undefined && { variables }), locals });
  return true;
}

/** `interrupted`: the catch event ended the scope the thrower was in; `continued`: the thrower goes on. */
export function throwEscalation(pending: PendingStep, thrower: Token, code: string): 'interrupted' | 'continued' {
  const catcher = findCatcher(pending, thrower, 'escalation', code);
  if (catcher === undefined) {
    return 'continued';
  }
  const interrupting =
    catcher.at === 'boundaryEvent' ? catcher.boundary.interrupting : catcher.start.interrupting !== false;
  catchAt(pending, catcher, { locals: { escalationCode: code } });
  return interrupting ? 'interrupted' : 'continued';
}

function catchAt(pending: PendingStep, catcher: Catcher, completion: Completion): void {
  if (catcher.at === 'boundaryEvent') {
    triggerBoundaryEvent(pending, catcher.activity, catcher.boundary, completion);
  } else {
    triggerEventSubProcess(pending, catcher.scopeId, catcher.start, completion);
  }
}

function findCatcher(pending: PendingStep, thrower: Token, type: Throwable, code: string): Catcher | undefined {
  for (let node: Token | undefined = thrower; node !== undefined; node = tokenById(pending, node.parentId)) {
    if (node.role === undefined && !isInnerInstance(pending, node)) {
      const boundary = bestMatch(boundaryEventsOf(pending, node), type, code);
      if (boundary !== undefined) {
        return { at: 'boundaryEvent', boundary, activity: node };
      }
    }
    // An event sub-process does not catch what is thrown inside itself or its siblings' instances.
    if (!isEventSubProcessInstance(pending, node)) {
      const start = bestMatch(eventSubProcessStartsOf(pending, node.parentId), type, code);
      if (start !== undefined) {
        return { at: 'eventSubProcess', start, scopeId: node.parentId };
      }
    }
  }
  return undefined;
}

function boundaryEventsOf(pending: PendingStep, token: Token): BoundaryEventElement[] {
  const element = elementOf(pending.model, token.elementId);
  const ids = 'boundaryEventIds' in element ? (element.boundaryEventIds ?? []) : [];
  return ids.map((id) => elementOf(pending.model, id)).filter((event) => event.kind === 'boundaryEvent');
}

function eventSubProcessStartsOf(pending: PendingStep, scopeId: string | undefined): StartEventElement[] {
  return eventSubProcessIdsOf(pending, scopeId).flatMap((subProcessId) => {
    const subProcess = elementOf(pending.model, subProcessId);
    const start = subProcess.kind === 'subProcess' ? elementOf(pending.model, subProcess.startEventId) : undefined;
    return start?.kind === 'startEvent' ? [start] : [];
  });
}

function isEventSubProcessInstance(pending: PendingStep, token: Token): boolean {
  const element = elementOf(pending.model, token.elementId);
  return token.role === undefined && element.kind === 'subProcess' && element.triggeredByEvent === true;
}

/** The catch event with the thrown code, else a catch-all one (no code). */
function bestMatch<T extends BoundaryEventElement | StartEventElement>(
  candidates: T[],
  type: Throwable,
  code: string,
): T | undefined {
  const codeOf = (element: ProcessElement): string | undefined | null => {
    const event = 'event' in element ? element.event : undefined;
    if (event?.type !== type) {
      return null;
    }
    return event.type === 'error' ? event.errorCode : event.type === 'escalation' ? event.escalationCode : null;
  };
  return (
    candidates.find((candidate) => codeOf(candidate) === code) ??
    candidates.find((candidate) => codeOf(candidate) === undefined)
  );
}
