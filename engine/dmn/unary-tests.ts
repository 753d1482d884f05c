/**
 * FEEL unary tests, the language of decision table input entries (`< 10`, `[1..5]`, `"a","b"`, `not("x")`, `-`).
 * Same rules as engine/feel/feel.ts for expressions: deterministic, no clock, missing data is null, every
 * other feelin warning is an error.
 */
import { parseUnaryTests, unaryTest } from 'feelin';
import { describeWarnings, FeelError, MISSING_DATA_WARNINGS, problemInTree } from '../feel/feel.js';

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
  return problemInTree(parseUnaryTests(unaryTests, {}, undefined), unaryTests, 'the tests end too early');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
