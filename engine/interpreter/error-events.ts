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
import { elementOf, tokenById, type Draft } from './draft.js';
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
  draft: Draft,
  thrower: Token,
  code: string,
  { variables, message }: { variables?: Variables; message?: string },
): boolean {
  const catcher = findCatcher(draft, thrower, 'error', code);
  if (catcher === undefined) {
    return false;
  }
  // `errorCode` and `errorMessage` are local to the catch event: its output mappings may use them.
  const locals = { errorCode: code, ...(message !== undefined && { errorMessage: message }) };
  catchAt(draft, catcher, { ...(variables !== undefined && { variables }), locals });
  return true;
}

/** `interrupted`: the catch event ended the scope the thrower was in; `continued`: the thrower goes on. */
export function throwEscalation(draft: Draft, thrower: Token, code: string): 'interrupted' | 'continued' {
  const catcher = findCatcher(draft, thrower, 'escalation', code);
  if (catcher === undefined) {
    return 'continued';
  }
  const interrupting =
    catcher.at === 'boundaryEvent' ? catcher.boundary.interrupting : catcher.start.interrupting !== false;
  catchAt(draft, catcher, { locals: { escalationCode: code } });
  return interrupting ? 'interrupted' : 'continued';
}

function catchAt(draft: Draft, catcher: Catcher, completion: Completion): void {
  if (catcher.at === 'boundaryEvent') {
    triggerBoundaryEvent(draft, catcher.activity, catcher.boundary, completion);
  } else {
    triggerEventSubProcess(draft, catcher.scopeId, catcher.start, completion);
  }
}

function findCatcher(draft: Draft, thrower: Token, type: Throwable, code: string): Catcher | undefined {
  for (let node: Token | undefined = thrower; node !== undefined; node = tokenById(draft, node.parentId)) {
    if (node.role === undefined && !isInnerInstance(draft, node)) {
      const boundary = bestMatch(boundaryEventsOf(draft, node), type, code);
      if (boundary !== undefined) {
        return { at: 'boundaryEvent', boundary, activity: node };
      }
    }
    // An event sub-process does not catch what is thrown inside itself or its siblings' instances.
    if (!isEventSubProcessInstance(draft, node)) {
      const start = bestMatch(eventSubProcessStartsOf(draft, node.parentId), type, code);
      if (start !== undefined) {
        return { at: 'eventSubProcess', start, scopeId: node.parentId };
      }
    }
  }
  return undefined;
}

function boundaryEventsOf(draft: Draft, token: Token): BoundaryEventElement[] {
  const element = elementOf(draft.model, token.elementId);
  const ids = 'boundaryEventIds' in element ? (element.boundaryEventIds ?? []) : [];
  return ids.map((id) => elementOf(draft.model, id)).filter((event) => event.kind === 'boundaryEvent');
}

function eventSubProcessStartsOf(draft: Draft, scopeId: string | undefined): StartEventElement[] {
  return eventSubProcessIdsOf(draft, scopeId).flatMap((subProcessId) => {
    const subProcess = elementOf(draft.model, subProcessId);
    const start = subProcess.kind === 'subProcess' ? elementOf(draft.model, subProcess.startEventId) : undefined;
    return start?.kind === 'startEvent' ? [start] : [];
  });
}

function isEventSubProcessInstance(draft: Draft, token: Token): boolean {
  const element = elementOf(draft.model, token.elementId);
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
