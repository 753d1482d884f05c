/** What `lotse test` prints (pure). */
import type { TestCaseResult } from './scenario.runner.js';

/** `✓ name` or `✗ name — instruction #3 ASSERT_ELEMENT_INSTANCES: Task_X expected IS_COMPLETED but is active` */
export function formatResult(result: Pick<TestCaseResult, 'name' | 'passed' | 'failure'>): string {
  return result.passed ? `✓ ${result.name}` : `✗ ${result.name} — ${oneLine(result.failure ?? 'failed')}`;
}

export function formatSummary(passed: number, failed: number): string {
  return `${passed} passed, ${failed} failed`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
