import { agencyToday } from './today.js';
import type { FormSchema } from '../../forms/schema.js';
import { validateSubmission, type FieldError, type Locale } from '../../forms/validate.js';
import { startStepsOf } from './catalog.service.js';
import type { StartConfig } from './service-definition.js';

export interface StartValidation {
  /** The typed values of all steps, merged: the case's start variables. */
  values: Record<string, unknown>;
  /** Steps (0-based) with errors, in order; empty when every step is valid. */
  invalidSteps: { index: number; errors: FieldError[] }[];
}

/** Validates the input against every start step's form, as the case will receive it. */
export function validateStart(
  version: { start: StartConfig; forms: Record<string, FormSchema> },
  input: Record<string, unknown>,
  // Only for what a person just typed: stored values (a draft's) are data and read without it.
  options: { locale?: Locale } = {},
): StartValidation {
  const values: Record<string, unknown> = {};
  const invalidSteps: StartValidation['invalidSteps'] = [];
  startStepsOf(version).forEach((step, index) => {
    const result = validateSubmission(step.form, input, { today: agencyToday(), locale: options.locale });
    Object.assign(values, result.values);
    if (result.errors.length > 0) invalidSteps.push({ index, errors: result.errors });
  });
  return { values, invalidSteps };
}
