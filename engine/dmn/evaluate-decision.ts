/**
 * Evaluates a compiled decision table the way Camunda 8 (dmn-scala) does. Pure: no I/O, no clock, so a
 * workflow may call it and replay it.
 */
import { FeelDate, FeelDateTime, FeelDuration, FeelTime, isFunction, isRange } from 'feelin';
import { evaluateExpression, FeelError } from '../feel/feel.js';
import type { DecisionModel, DecisionOutput, DecisionRule } from './decision-model.js';
import { testUnaryTests } from './unary-tests.js';

/**
 * `result` has Zeebe's shape: one output → its value, several → an object by output name; multiple-result hit
 * policies give a list of those, COLLECT with an aggregation a number. No matching rule gives null (or the default
 * outputs) for every hit policy, as in Camunda 8. `matchedRules` lists the ids of the rules that matched, in rule
 * order (FIRST: only the first).
 */
export type DecisionResult = { ok: true; result: unknown; matchedRules: string[] } | { ok: false; message: string };

/** A broken decision or data it cannot decide on; the message names the decision, rule and column. */
class DecisionError extends Error {
  override name = 'DecisionError';
}

interface Hit {
  rule: DecisionRule;
  /** One value per output, in column order. */
  values: unknown[];
}

/** Never throws: FEEL errors and hit policy violations come back as `{ ok: false, message }`. */
export function evaluateDecision(decision: DecisionModel, context: Record<string, unknown>): DecisionResult {
  try {
    return { ok: true, ...evaluateTable(decision, context) };
  } catch (error) {
    if (error instanceof DecisionError) {
      return { ok: false, message: error.message };
    }
    // A bug here must not wedge the workflow task in a retry loop; it becomes an incident with this message.
    return { ok: false, message: `Decision "${decision.id}": unexpected error: ${messageOf(error)}` };
  }
}

function evaluateTable(
  decision: DecisionModel,
  context: Record<string, unknown>,
): { result: unknown; matchedRules: string[] } {
  const inputValues = decision.inputs.map((input, column) =>
    feel(decision, `input ${describeColumn(input, column)}`, () => evaluateExpression(input.expression, context)),
  );
  // Every rule is tested, also for FIRST, as dmn-scala does: a broken rule fails the decision wherever it stands.
  const matched = decision.rules.filter((rule) =>
    rule.inputEntries.every((entry, column) =>
      feel(decision, `rule ${rule.id}, input ${describeColumn(decision.inputs[column], column)}`, () =>
        testUnaryTests(entry, inputValues[column], context),
      ),
    ),
  );
  if (matched.length === 0) {
    return { result: defaultResult(decision, context), matchedRules: [] };
  }
  const hits = (decision.hitPolicy === 'FIRST' ? matched.slice(0, 1) : matched).map((rule) => ({
    rule,
    values: rule.outputEntries.map((entry, column) =>
      evaluateOutput(
        decision,
        `rule ${rule.id}, output ${describeColumn(decision.outputs[column], column)}`,
        entry,
        context,
      ),
    ),
  }));
  return { result: applyHitPolicy(decision, hits), matchedRules: hits.map((hit) => hit.rule.id) };
}

function applyHitPolicy(decision: DecisionModel, hits: Hit[]): unknown {
  const shape = (hit: Hit) => shapeOutputs(decision.outputs, hit.values);
  switch (decision.hitPolicy) {
    case 'UNIQUE':
      if (hits.length > 1) {
        fail(decision, `hit policy UNIQUE allows one matching rule, but ${hits.length} matched: ${ruleIds(hits)}`);
      }
      return shape(first(hits));
    case 'FIRST':
      return shape(first(hits));
    case 'ANY': {
      if (hits.some((hit) => !deepEqual(hit.values, first(hits).values))) {
        fail(
          decision,
          `hit policy ANY requires matching rules to agree, but rules ${ruleIds(hits)} give different outputs`,
        );
      }
      return shape(first(hits));
    }
    case 'PRIORITY':
      return shape(first(sortByPriority(decision.outputs, hits)));
    case 'OUTPUT ORDER':
      return sortByPriority(decision.outputs, hits).map(shape);
    case 'RULE ORDER':
      return hits.map(shape);
    case 'COLLECT':
      return collect(decision, hits);
  }
}

function collect(decision: DecisionModel, hits: Hit[]): unknown {
  if (decision.aggregation === undefined) {
    return hits.map((hit) => shapeOutputs(decision.outputs, hit.values));
  }
  if (decision.aggregation === 'COUNT') {
    return hits.length;
  }
  const numbers = hits.map((hit) => {
    const value = hit.values[0];
    if (typeof value !== 'number') {
      fail(decision, `COLLECT ${decision.aggregation} needs numbers, but rule ${hit.rule.id} gave ${describe(value)}`);
    }
    return value;
  });
  switch (decision.aggregation) {
    case 'SUM':
      return numbers.reduce((sum, value) => sum + value, 0);
    case 'MIN':
      return Math.min(...numbers);
    case 'MAX':
      return Math.max(...numbers);
  }
}

/**
 * PRIORITY and OUTPUT ORDER: a rule ranks by the position of its output values in each output's value list,
 * first output first. Values missing from the list rank last, as in dmn-scala; ties keep rule order.
 */
function sortByPriority(outputs: DecisionOutput[], hits: Hit[]): Hit[] {
  const rank = (hit: Hit) =>
    outputs.map((output, column) => {
      if (output.priority === undefined) {
        return 0;
      }
      const position = output.priority.findIndex((value) => value === hit.values[column]);
      return position === -1 ? output.priority.length : position;
    });
  const ranked = hits.map((hit) => ({ hit, rank: rank(hit) }));
  // Array.prototype.sort is stable, so equal ranks stay in rule order.
  ranked.sort((a, b) => compareRanks(a.rank, b.rank));
  return ranked.map((entry) => entry.hit);
}

function compareRanks(a: number[], b: number[]): number {
  for (let index = 0; index < a.length; index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) {
      return difference;
    }
  }
  return 0;
}

/** No rule matched: the outputs' default entries, or null when the table has none. */
function defaultResult(decision: DecisionModel, context: Record<string, unknown>): unknown {
  if (decision.outputs.every((output) => output.defaultExpression === undefined)) {
    return null;
  }
  const values = decision.outputs.map((output, column) =>
    evaluateOutput(
      decision,
      `default output ${describeColumn(output, column)}`,
      output.defaultExpression ?? '',
      context,
    ),
  );
  return shapeOutputs(decision.outputs, values);
}

function shapeOutputs(outputs: DecisionOutput[], values: unknown[]): unknown {
  if (outputs.length === 1) {
    return values[0] ?? null;
  }
  // The compiler guarantees names once there are several outputs.
  return Object.fromEntries(outputs.map((output, column) => [output.name ?? '', values[column] ?? null]));
}

function evaluateOutput(
  decision: DecisionModel,
  where: string,
  entry: string,
  context: Record<string, unknown>,
): unknown {
  if (entry === '') {
    return null;
  }
  const value = feel(decision, where, () => evaluateExpression(entry, context));
  return toStorable(decision, where, value);
}

/**
 * Results become process variables, stored as JSON: FEEL dates, times and durations turn into their ISO strings
 * (as Zeebe stores them); functions and ranges have no JSON form and are an error.
 */
function toStorable(decision: DecisionModel, where: string, value: unknown): unknown {
  if (value === null || value === undefined) {
    return null;
  }
  if (typeof value === 'string' || typeof value === 'boolean') {
    return value;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      fail(decision, `${where}: ${value} cannot be stored as a variable`);
    }
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((item) => toStorable(decision, where, item));
  }
  if (
    value instanceof FeelDate ||
    value instanceof FeelTime ||
    value instanceof FeelDateTime ||
    value instanceof FeelDuration
  ) {
    return value.toString();
  }
  if (isFunction(value) || isRange(value)) {
    fail(decision, `${where}: a FEEL ${isRange(value) ? 'range' : 'function'} cannot be stored as a variable`);
  }
  if (typeof value === 'object' && isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toStorable(decision, where, item)]));
  }
  return fail(decision, `${where}: ${describe(value)} cannot be stored as a variable`);
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Runs a FEEL step and names the decision and cell when it fails. */
function feel<T>(decision: DecisionModel, where: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof FeelError) {
      fail(decision, `${where}: ${error.message}`);
    }
    throw error;
  }
}

function fail(decision: DecisionModel, message: string): never {
  throw new DecisionError(`Decision "${decision.id}": ${message}`);
}

function first(hits: Hit[]): Hit {
  const hit = hits[0];
  if (hit === undefined) {
    throw new Error('a hit policy was applied to no matching rule');
  }
  return hit;
}

function ruleIds(hits: Hit[]): string {
  return hits.map((hit) => hit.rule.id).join(', ');
}

/** As Camunda Modeler heads the column: label, else output name, else position; then the id. */
function describeColumn(column: { id?: string; label?: string; name?: string } | undefined, index: number): string {
  const heading = column?.label ?? column?.name;
  const label = heading === undefined ? `${index + 1}` : `"${heading}"`;
  return column?.id === undefined ? label : `${label} (${column.id})`;
}

function describe(value: unknown): string {
  return value === undefined ? 'null' : typeof value === 'string' ? `"${value}"` : String(JSON.stringify(value));
}

/** Structural equality of JSON-like values; key order of objects does not matter. */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, index) => deepEqual(item, b[index]))
    );
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return false;
  }
  const aEntries = Object.entries(a);
  const bRecord = new Map(Object.entries(b));
  return (
    aEntries.length === bRecord.size &&
    aEntries.every(([key, value]) => bRecord.has(key) && deepEqual(value, bRecord.get(key)))
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
