import type { FormSchema } from '../../forms/schema.js';
import { summarizeAnswers } from '../../forms/summary.js';
import type { Locale } from './i18n.js';

/**
 * What the "task is no longer open" notice shows (partial `taskNotOpen`): who completed the task
 * and when, and what this user typed, so nothing they wrote is lost — they can copy it.
 */
export function taskNotOpenView(
  outcome: { completedBy?: string; completedAt?: Date; values?: Record<string, unknown> },
  form: FormSchema | undefined,
  locale: Locale,
) {
  return {
    completedBy: outcome.completedBy,
    completedAt: outcome.completedAt,
    typed: form && outcome.values ? summarizeAnswers(form, outcome.values, locale).filter((line) => line.value) : [],
  };
}
