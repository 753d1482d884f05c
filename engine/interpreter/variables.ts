/**
 * Variable scopes as in Zeebe. The case's process is the root scope (`state.variables`); every token can hold
 * local variables (input mappings, the item of a multi-instance instance, a sub-process's own variables), which
 * are visible to it and to everything inside it. A called process starts a new root: nothing outside it is
 * visible from inside.
 */
import { evaluateToJson, FeelError, isExpression, stripExpression } from '../feel/feel.js';
import type { VariableMapping } from '../model/process-model.js';
import { copyJson, StepFailure, tokenById, type PendingStep } from './pending-step.js';
import type { Token, Variables } from './types.js';

/** The scope chain of a token, innermost first, up to (and including) the root of its process instance. */
function scopeChain(pending: PendingStep, tokenId: string | undefined): { chain: Token[]; inCalledProcess: boolean } {
  const chain: Token[] = [];
  for (let token = tokenById(pending, tokenId); token !== undefined; token = tokenById(pending, token.parentId)) {
    chain.push(token);
    if (token.role === 'calledProcess') {
      return { chain, inCalledProcess: true };
    }
  }
  return { chain, inCalledProcess: false };
}

/** What FEEL sees from a token: the root scope, then each scope inside it; inner names hide outer ones. */
export function visibleVariables(pending: PendingStep, tokenId: string | undefined): Variables {
  const { chain, inCalledProcess } = scopeChain(pending, tokenId);
  const visible: Variables = inCalledProcess ? {} : { ...pending.state.variables };
  for (const token of chain.reverse()) {
    Object.assign(visible, token.variables);
  }
  return visible;
}

export function setLocalVariables(token: Token, variables: Variables): void {
  token.variables = { ...token.variables, ...copyJson(variables) };
}

/**
 * Zeebe's propagation: each variable goes to the nearest scope, from `fromTokenId` outwards, that already has a
 * variable of that name, and otherwise to the root of the process instance. Top-level names are replaced, not
 * deep-merged.
 */
export function propagateVariables(pending: PendingStep, fromTokenId: string | undefined, variables: Variables): void {
  const { chain, inCalledProcess } = scopeChain(pending, fromTokenId);
  const processRoot = inCalledProcess ? chain.at(-1) : undefined;
  for (const [name, value] of Object.entries(copyJson(variables))) {
    const owner = chain.find((token) => token.variables !== undefined && name in token.variables);
    if (owner?.variables !== undefined) {
      owner.variables[name] = value;
    } else if (processRoot !== undefined) {
      processRoot.variables = { ...processRoot.variables, [name]: value };
    } else {
      pending.state.variables[name] = value;
    }
  }
}

/** Evaluates FEEL (without `=`) in a token's scope; a failure becomes a StepFailure naming `what`. */
export function evaluate(
  pending: PendingStep,
  tokenId: string | undefined,
  expression: string,
  what: string,
  extra: Variables = {},
): unknown {
  try {
    return evaluateToJson(expression, { ...visibleVariables(pending, tokenId), ...extra });
  } catch (error) {
    if (error instanceof FeelError) {
      throw new StepFailure(`${what} could not be evaluated: ${error.message}`);
    }
    throw error;
  }
}

/** A static value as it is, or FEEL when it starts with `=`. */
export function evaluateValue(
  pending: PendingStep,
  tokenId: string | undefined,
  value: string,
  what: string,
  extra: Variables = {},
): unknown {
  return isExpression(value) ? evaluate(pending, tokenId, stripExpression(value), what, extra) : value;
}

/** Like evaluateValue, for values that must be text (a task type, a message name, a timer). */
export function evaluateText(pending: PendingStep, tokenId: string | undefined, value: string, what: string): string {
  const result = evaluateValue(pending, tokenId, value, what);
  if (typeof result === 'string') {
    return result;
  }
  if (typeof result === 'number') {
    return String(result);
  }
  throw new StepFailure(`${what} must be text, but "${value}" gave ${JSON.stringify(result)}`);
}

/** The input mappings of an element: new local variables, each mapping seeing the ones before it. */
export function evaluateInputs(
  pending: PendingStep,
  token: Token,
  mappings: VariableMapping[],
  elementId: string,
): Variables {
  const locals: Variables = {};
  for (const mapping of mappings) {
    const value = evaluateValue(
      pending,
      token.id,
      mapping.source,
      `The input mapping "${mapping.target}" of ${elementId}`,
      locals,
    );
    assignPath(locals, mapping.target, value, {});
  }
  return locals;
}

/**
 * The output mappings of an element, evaluated in its own scope: the values for the enclosing scope. A target
 * path (`order.status`) updates that field of the variable as it is visible outside.
 */
export function evaluateOutputs(
  pending: PendingStep,
  token: Token,
  mappings: VariableMapping[],
  elementId: string,
): Variables {
  const outputs: Variables = {};
  const outside = visibleVariables(pending, token.parentId);
  for (const mapping of mappings) {
    const value = evaluateValue(
      pending,
      token.id,
      mapping.source,
      `The output mapping "${mapping.target}" of ${elementId}`,
      outputs,
    );
    assignPath(outputs, mapping.target, value, outside);
  }
  return outputs;
}

/** Sets `a.b.c` in `target`, starting from the current value of `a` in `target` or else in `base`. */
function assignPath(target: Variables, path: string, value: unknown, base: Variables): void {
  const [name, ...rest] = path.split('.');
  if (name === undefined) {
    return;
  }
  if (rest.length === 0) {
    target[name] = value;
    return;
  }
  const current = name in target ? target[name] : base[name];
  const object: Variables = isObject(current) ? copyJson(current) : {};
  assignPath(object, rest.join('.'), value, {});
  target[name] = object;
}

function isObject(value: unknown): value is Variables {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
