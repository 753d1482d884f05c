/**
 * A service's `prefill`: start values taken once from the company profile and the user account.
 * Pure: the caller loads the profile and decides what a failing expression is worth.
 */
import { splitKey, writePath } from '../../forms/paths.js';
import type { FormSchema } from '../../forms/schema.js';
import { initialValues, validateSubmission } from '../../forms/validate.js';
import { evaluateExpression, FeelError, stripExpression } from '../feel/feel.js';
import type { AccountRepository } from '../repositories/account.repository.js';
import type { CompanyUserSession } from './auth.service.js';
import { startStepsOf } from './catalog.service.js';
import type { StartConfig } from './service-definition.js';
import { dataPathsOf } from './start-steps.js';

type CompanyProfile = Awaited<ReturnType<AccountRepository['findCompany']>>;

/** What a prefill expression sees: `company.*` from the profile (the session's name without one), `user.*`. */
export function prefillContext(user: CompanyUserSession, company: CompanyProfile) {
  return {
    company: {
      name: company?.name ?? user.companyName,
      legalForm: company?.legalForm ?? null,
      registerNumber: company?.registerNumber ?? null,
      street: company?.street ?? null,
      postalCode: company?.postalCode ?? null,
      city: company?.city ?? null,
      sector: company?.sector ?? null,
      size: company?.size ?? null,
      registerCourt: company?.registerCourt ?? null,
      employees: company?.employees ?? null,
      phone: company?.phone ?? null,
      email: company?.contactEmail ?? null,
      website: company?.website ?? null,
    },
    user: { name: user.name, email: user.email },
  };
}

/**
 * The start values with the prefill applied, typed by each step's validator like typed input (and trimmed);
 * errors wait for "Next". A failing expression leaves its field empty and is reported to `onFailure`.
 */
export function prefilledStart(
  version: { start: StartConfig; forms: Record<string, FormSchema> },
  context: ReturnType<typeof prefillContext>,
  onFailure: (field: string, error: FeelError) => void,
): Record<string, unknown> {
  const given: Record<string, unknown> = {};
  for (const [key, expression] of Object.entries(version.start.prefill)) {
    try {
      const value = evaluateExpression(stripExpression(expression), context);
      if (typeof value === 'string' || typeof value === 'boolean') given[key] = value;
      else if (typeof value === 'number') given[key] = String(value);
    } catch (error) {
      // A prefill is a convenience: a failing expression leaves the field for the user to fill in.
      if (!(error instanceof FeelError)) throw error;
      onFailure(key, error);
    }
  }
  const values: Record<string, unknown> = {};
  for (const step of startStepsOf(version)) {
    const input = initialValues(step.form);
    for (const path of dataPathsOf(step.form)) {
      if (Object.hasOwn(given, path)) writePath(input, splitKey(path), given[path]);
    }
    Object.assign(values, validateSubmission(step.form, input).values);
  }
  return values;
}
