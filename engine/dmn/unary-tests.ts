/**
 * FEEL unary tests, the language of decision table input entries (`< 10`, `[1..5]`, `"a","b"`, `not("x")`, `-`).
 * Same rules as engine/feel/feel.ts for expressions: deterministic, no clock, missing data is null, every
 * other feelin warning is an error.
 */
import { parseUnaryTests, unaryTest, type Warning, type WarningType } from 'feelin';
import { FeelError } from '../feel/feel.js';

// Kept in step with feel.ts: a missing variable is null (Camunda's behaviour), anything else is a broken test.
const MISSING_DATA_WARNINGS: ReadonlySet<WarningType> = new Set([
  'NO_VARIABLE_FOUND',
  'NO_CONTEXT_ENTRY_FOUND',
  'NO_PROPERTY_FOUND',
]);

// now() and today() read the clock: a replayed workflow could match a different rule.
const CLOCK_FUNCTIONS = new Set(['now', 'today']);

/** An empty cell and `-` match every input value; Camunda Modeler writes both. */
export function matchesAnything(unaryTests: string): boolean {
  const trimmed = unaryTests.trim();
  return trimmed === '' || trimmed === '-';
}

/** Throws a FeelError if the unary tests do not parse or call a clock function. */
export function checkUnaryTests(unaryTests: string): void {
  if (matchesAnything(unaryTests)) {
    return;
  }
  const problem = findProblem(unaryTests);
  if (problem !== undefined) {
    throw new FeelError(`FEEL unary tests "${unaryTests}" are invalid: ${problem}`, unaryTests);
  }
}

/**
 * Whether `inputValue` satisfies the unary tests; other variables of the context may be referenced.
 * null (e.g. `< 10` against a missing value) counts as no match, as in Camunda 8. Throws FeelError.
 */
export function testUnaryTests(unaryTests: string, inputValue: unknown, context: Record<string, unknown>): boolean {
  if (matchesAnything(unaryTests)) {
    return true;
  }
  checkUnaryTests(unaryTests);
  let result: ReturnType<typeof unaryTest>;
  try {
    result = unaryTest(unaryTests, { ...context, '?': inputValue ?? null });
  } catch (error) {
    throw new FeelError(`FEEL unary tests "${unaryTests}" failed: ${messageOf(error)}`, unaryTests);
  }
  if (result.warnings.some((warning) => !MISSING_DATA_WARNINGS.has(warning.type))) {
    throw new FeelError(`FEEL unary tests "${unaryTests}" failed: ${describeWarnings(result.warnings)}`, unaryTests);
  }
  return result.value === true;
}

function findProblem(unaryTests: string): string | undefined {
  const tree = parseUnaryTests(unaryTests, {}, undefined);
  let problem: string | undefined;
  tree.iterate({
    enter(node) {
      if (problem !== undefined) {
        return false;
      }
      if (node.type.isError) {
        problem = describeSyntaxError(unaryTests, node.from, node.to);
        return false;
      }
      if (node.name === 'FunctionInvocation') {
        const callee = node.node.firstChild;
        const calleeName = callee ? unaryTests.slice(callee.from, callee.to).trim() : '';
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

function describeSyntaxError(text: string, from: number, to: number): string {
  if (from < to) {
    return `unexpected "${text.slice(from, to)}" at position ${from + 1}`;
  }
  if (text.slice(from).trim() === '') {
    return 'the tests end too early';
  }
  return `unexpected "${text.slice(from).trim().split(/\s+/)[0]}" at position ${from + 1}`;
}

function describeWarnings(warnings: Warning[]): string {
  return warnings.map((warning) => warning.message).join('; ');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
