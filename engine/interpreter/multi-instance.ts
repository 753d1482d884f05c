/**
 * Multi-instance activities as in Zeebe: the token that enters becomes the body (role `multiInstanceBody`), which
 * evaluates the input collection once and starts one instance of the activity per item, all at once (parallel)
 * or one after the other (sequential). Each instance has the local variables `loopCounter` (1-based) and the
 * input element; the body collects each instance's output element into the output collection, which reaches the
 * enclosing scope when the body completes. Boundary events belong to the body.
 */
import type { ActivityElement, MultiInstance, ProcessElement } from '../model/process-model.js';
import { childrenOf, StepFailure, tokenById, type PendingStep } from './pending-step.js';
import { openBoundaryEvents } from './events.js';
import { arrive, complete, terminate } from './flow.js';
import type { Token, Variables } from './types.js';
import { evaluate, setLocalVariables } from './variables.js';

/** A token of the same element directly inside a multi-instance body. */
export function isInnerInstance(pending: PendingStep, token: Token): boolean {
  const parent = tokenById(pending, token.parentId);
  return parent?.role === 'multiInstanceBody' && parent.elementId === token.elementId;
}

export function activateMultiInstanceBody(
  pending: PendingStep,
  body: Token,
  element: ActivityElement,
  loop: MultiInstance,
): void {
  body.role = 'multiInstanceBody';
  const items = evaluate(pending, body.id, loop.inputCollection, `The input collection of ${element.id}`);
  if (!Array.isArray(items)) {
    throw new StepFailure(
      `The input collection of ${element.id} must be a list, but "${loop.inputCollection}" gave ${JSON.stringify(items)}`,
    );
  }
  openBoundaryEvents(pending, body, element);
  body.loop = { items, started: 0 };
  if (loop.outputCollection !== undefined) {
    setLocalVariables(body, { [loop.outputCollection]: items.map(() => null) });
  }
  if (items.length === 0) {
    completeBody(pending, body, loop);
    return;
  }
  const count = loop.sequential ? 1 : items.length;
  for (let index = 0; index < count; index += 1) {
    startInstance(pending, body, element.id, loop);
  }
}

function startInstance(pending: PendingStep, body: Token, elementId: string, loop: MultiInstance): void {
  const state = loopOf(body);
  const index = state.started;
  state.started += 1;
  const locals: Variables = { loopCounter: index + 1 };
  if (loop.inputElement !== undefined) {
    locals[loop.inputElement] = state.items[index] ?? null;
  }
  // Zeebe creates the output element's variable empty in each instance, so that a job result of that name stays
  // with its instance instead of propagating to the shared scope, where parallel instances would overwrite it.
  const outputVariable = loop.outputElement !== undefined ? variableNameOf(loop.outputElement) : undefined;
  if (outputVariable !== undefined && outputVariable !== loop.inputElement) {
    locals[outputVariable] = null;
  }
  const instance = arrive(pending, elementId, body.id);
  setLocalVariables(instance, locals);
}

/**
 * Called while an instance completes (before it is removed): stores its output element in the body's output
 * collection and evaluates the completion condition. A failure leaves the instance with an incident.
 */
export function collectInstanceOutput(
  pending: PendingStep,
  instance: Token,
  body: Token,
  element: ProcessElement,
): boolean {
  const loop = multiInstanceOf(element);
  if (loop.outputCollection !== undefined && loop.outputElement !== undefined) {
    const value = evaluate(pending, instance.id, loop.outputElement, `The output element of ${element.id}`);
    const index = Number(instance.variables?.['loopCounter']) - 1;
    const current = body.variables?.[loop.outputCollection];
    const collection = Array.isArray(current) ? [...current] : [];
    collection[index] = value;
    setLocalVariables(body, { [loop.outputCollection]: collection });
  }
  if (loop.completionCondition === undefined) {
    return false;
  }
  const state = loopOf(body);
  const active = childrenOf(pending, body.id).length - 1;
  const counts = {
    numberOfInstances: state.items.length,
    numberOfActiveInstances: active,
    numberOfCompletedInstances: state.started - active,
  };
  const what = `The completion condition of ${element.id}`;
  return evaluate(pending, instance.id, loop.completionCondition, what, counts) === true;
}

/** After an instance completed: start the next one, or complete the body when all are done or the condition says so. */
export function instanceCompleted(
  pending: PendingStep,
  body: Token,
  element: ProcessElement,
  conditionMet: boolean,
): void {
  const loop = multiInstanceOf(element);
  const state = loopOf(body);
  if (conditionMet) {
    for (const instance of childrenOf(pending, body.id)) {
      terminate(pending, instance);
    }
    completeBody(pending, body, loop);
    return;
  }
  if (loop.sequential && state.started < state.items.length) {
    startInstance(pending, body, element.id, loop);
    return;
  }
  if (childrenOf(pending, body.id).length === 0 && state.started >= state.items.length) {
    completeBody(pending, body, loop);
  }
}

function completeBody(pending: PendingStep, body: Token, loop: MultiInstance): void {
  const name = loop.outputCollection;
  complete(pending, body, name === undefined ? {} : { variables: { [name]: body.variables?.[name] ?? [] } });
}

function loopOf(body: Token): NonNullable<Token['loop']> {
  if (body.loop === undefined) {
    throw new Error(`The multi-instance body ${body.id} has no loop state`);
  }
  return body.loop;
}

function multiInstanceOf(element: ProcessElement): MultiInstance {
  if (!('multiInstance' in element) || element.multiInstance === undefined) {
    throw new Error(`${element.id} is not a multi-instance activity`);
  }
  return element.multiInstance;
}

/** `result` or `result.value` name a variable; any other expression does not. */
function variableNameOf(expression: string): string | undefined {
  const match = /^\s*([\p{L}_$][\p{L}\p{N}_$]*)(?:\.[\p{L}_$][\p{L}\p{N}_$]*)*\s*$/u.exec(expression);
  return match?.[1];
}
