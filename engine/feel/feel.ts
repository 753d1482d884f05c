/**
 * FEEL for Lotse: a thin, pure wrapper around feelin.
 * Conditions and (later) mappings run inside a Temporal workflow, so evaluation must be deterministic.
 */
import { evaluate, isFunction, isRange, parseExpression, type Warning, type WarningType } from 'feelin';

/** Variables by name: what an expression sees, a case's data, a form's values. Declared here, the lowest layer. */
export type Variables = Record<string, unknown>;

/** An expression that cannot be parsed, may not be used, or failed while evaluating. */
export class FeelError extends Error {
  override name = 'FeelError';

  constructor(
    message: string,
    readonly expression: string,
  ) {
    super(message);
  }
}

/** Camunda writes expressions as attribute values with a leading `=`; everything else is a static string. */
export function isExpression(value: string): boolean {
  return value.startsWith('=');
}

/** `=a > 1` → `a > 1`; a static value is returned unchanged. */
export function stripExpression(value: string): string {
  return isExpression(value) ? value.slice(1).trim() : value;
}

// now() and today() read the clock: a replayed workflow would take a different path.
const CLOCK_FUNCTIONS = new Set(['now', 'today']);

// Missing data evaluates to null (as in Camunda's FEEL engine): `followUpCall = true` is false when the
// applicant never answered. Every other warning feelin reports points at a broken expression or wrong
// types (`"a" + 1`, `number("x")`, an unknown function) and must not silently pick a path.
export const MISSING_DATA_WARNINGS: ReadonlySet<WarningType> = new Set([
  'NO_VARIABLE_FOUND',
  'NO_CONTEXT_ENTRY_FOUND',
  'NO_PROPERTY_FOUND',
]);

/**
 * Throws a FeelError if the expression (without the leading `=`) does not parse or calls a clock function.
 * `context` only helps the parser with variable names that contain spaces.
 */
export function checkExpression(expression: string, context: Variables = {}): void {
  const problem = findProblem(expression, context);
  if (problem !== undefined) {
    throw new FeelError(`FEEL expression "${expression}" is invalid: ${problem}`, expression);
  }
}

/** Evaluates a FEEL expression (without the leading `=`) against the variables; throws FeelError on failure. */
export function evaluateExpression(expression: string, context: Variables): unknown {
  return evaluateReportingMissing(expression, context).value;
}

/**
 * Like `evaluateExpression`, and also names the variables the evaluation looked up but did not find
 * (FEEL took them as null). A caller with only part of the variables, like the browser script of forms,
 * can tell “false” from “depends on a variable I do not have”.
 */
export function evaluateReportingMissing(
  expression: string,
  context: Variables,
): { value: unknown; missing: string[] } {
  checkExpression(expression, context);
  let result: ReturnType<typeof evaluate>;
  try {
    result = evaluate(expression, context);
  } catch (error) {
    throw new FeelError(`FEEL expression "${expression}" failed: ${messageOf(error)}`, expression);
  }
  if (result.warnings.some((warning) => !MISSING_DATA_WARNINGS.has(warning.type))) {
    // All warnings, not just the fatal ones: "Variable 'foo' not found" explains "Cannot invoke 'null'".
    throw new FeelError(`FEEL expression "${expression}" failed: ${describeWarnings(result.warnings)}`, expression);
  }
  const missing = result.warnings
    .filter((warning) => warning.type === 'NO_VARIABLE_FOUND')
    .map((warning) => expression.slice(warning.position.from, warning.position.to).trim());
  return { value: result.value, missing };
}

/**
 * Evaluates to a JSON value, the form variables are kept in (as in Zeebe): dates, times and durations become
 * their ISO-8601 strings, a missing result becomes null. Functions and ranges have no JSON form: a FeelError.
 */
export function evaluateToJson(expression: string, context: Variables): unknown {
  const value = evaluateExpression(expression, context);
  if (value === undefined || value === null) {
    return null;
  }
  if (isFunction(value) || isRange(value)) {
    throw new FeelError(`FEEL expression "${expression}" gives a function or a range, not a value`, expression);
  }
  return JSON.parse(JSON.stringify(value));
}

function findProblem(expression: string, context: Variables): string | undefined {
  if (expression.trim() === '') {
    return 'the expression is empty';
  }
  return problemInTree(parseExpression(expression, context, undefined), expression, 'the expression ends too early');
}

/**
 * The first syntax error or clock function in parsed FEEL (an expression or unary tests), described for
 * people; `endsEarly` says what to call text that stops too soon.
 */
export function problemInTree(tree: FeelTree, text: string, endsEarly: string): string | undefined {
  let problem: string | undefined;
  tree.iterate({
    enter(node) {
      if (problem !== undefined) {
        return false;
      }
      if (node.type.isError) {
        problem = describeSyntaxError(text, node.from, node.to, endsEarly);
        return false;
      }
      if (node.name === 'FunctionInvocation') {
        const callee = node.node.firstChild;
        const calleeName = callee ? text.slice(callee.from, callee.to).trim() : '';
        if (callee?.name === 'VariableName' && CLOCK_FUNCTIONS.has(calleeName)) {
          problem = `${calleeName}() reads the clock and is not allowed (cases must replay deterministically)`;
          return false;
        }
      }
      return undefined;
    },
  });
  return problem;
}

type FeelTree = ReturnType<typeof parseExpression>;

function describeSyntaxError(text: string, from: number, to: number, endsEarly: string): string {
  if (from < to) {
    return `unexpected "${text.slice(from, to)}" at position ${from + 1}`;
  }
  if (text.slice(from).trim() === '') {
    return endsEarly;
  }
  return `unexpected "${text.slice(from).trim().split(/\s+/)[0]}" at position ${from + 1}`;
}

export function describeWarnings(warnings: Warning[]): string {
  return warnings.map((warning) => warning.message).join('; ');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
