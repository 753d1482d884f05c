/**
 * The zod building blocks of component schemas: the edge where a `.form` file gets in. schema.ts hands
 * this kit to each component module's `schema(kit)`, so only schema.ts (and translate.ts) load zod; the
 * validator and the browser script, which import the component modules, never do.
 */
import { z } from 'zod';
import { FeelError, checkExpression, isExpression, stripExpression } from '../engine/feel/feel.js';
import { parseTemplate } from './expressions.js';
import { sanitizeHtml } from './sanitize-html.js';
import type { OptionsBase } from './model.js';

const FEEL_NOT_SUPPORTED = 'FEEL expressions (=…) are not supported here';
const TEMPLATES_NOT_SUPPORTED = 'templates ({{…}}) are not supported here';

/** Why a FEEL expression (without `=`) cannot run, or undefined. */
function feelProblem(expression: string): string | undefined {
  try {
    checkExpression(expression);
    return undefined;
  } catch (error) {
    return error instanceof FeelError ? error.message : String(error);
  }
}

/** Problems of a `{{…}}` template: unclosed braces, block helpers, expressions that do not parse. */
export function templateProblems(source: string): string[] {
  const problems: string[] = [];
  const parts = parseTemplate(source);
  if (parts.some((part) => 'text' in part && part.text.includes('{{'))) {
    problems.push('a template {{ is not closed with }}');
  }
  for (const part of parts) {
    if (!('expression' in part)) continue;
    if (/^[#/]/.test(part.expression)) {
      problems.push(`template blocks like {{${part.expression}}} are not supported yet, only {{expression}}`);
    } else {
      const problem = feelProblem(part.expression);
      if (problem !== undefined) problems.push(problem);
    }
  }
  return problems;
}

/**
 * What the sanitizer would take out of an html component's content: reported at load time, so nothing
 * in a form is dropped silently. Placeholders stand in as plain text (a templated `href` is checked when rendered).
 */
export function htmlProblems(content: string): string[] {
  const withoutTemplates = parseTemplate(content)
    .map((part) => ('text' in part ? part.text : 'x'))
    .join('');
  return sanitizeHtml(withoutTemplates).removed.map(
    (what) => `${what} is not allowed (scripts, styles, event handlers, ids, classes and unsafe URLs are removed)`,
  );
}

/**
 * Problems of text form-js evaluates before showing it (descriptions, adorners; ADR 0034): `=FEEL`, whose result
 * is shown, or text with `{{…}}` templates. The renderer evaluates it against the form's data.
 */
export function evaluatedTextProblems(text: string): string[] {
  const trimmed = text.trimStart();
  if (!isExpression(trimmed)) return templateProblems(text);
  const problem = feelProblem(stripExpression(trimmed));
  return problem === undefined ? [] : [problem];
}

/** Problems of static shown text (labels, option labels): FEEL and templates would show verbatim. */
export function staticTextProblems(text: string): string[] {
  const problems: string[] = [];
  if (text.trimStart().startsWith('=')) problems.push(FEEL_NOT_SUPPORTED);
  if (text.includes('{{')) problems.push(TEMPLATES_NOT_SUPPORTED);
  return problems;
}

/** A FEEL expression in a property: `=…`, parsed at load time so a broken one never reaches a user. */
const feel = (message = 'must be a FEEL expression (=…)') =>
  z.string().superRefine((value, context) => {
    if (!isExpression(value)) {
      context.addIssue({ code: 'custom', message });
      return;
    }
    const problem = feelProblem(stripExpression(value));
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
  });

/** Shown static text: form-js would evaluate `=…` as FEEL and `{{…}}` as a template; here they would show up verbatim. */
const shownText = (messageWhenMissing?: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? messageWhenMissing : undefined) })
    .refine((text) => !text.trimStart().startsWith('='), FEEL_NOT_SUPPORTED)
    .refine((text) => !text.includes('{{'), TEMPLATES_NOT_SUPPORTED);

/** Text the renderer evaluates: `=FEEL` or `{{…}}` templates, checked at load time. */
const evaluatedText = () =>
  z.string().superRefine((text, context) => {
    for (const message of evaluatedTextProblems(text)) context.addIssue({ code: 'custom', message });
  });

const visibleText = (messageWhenMissing: string) =>
  shownText(messageWhenMissing).refine((text) => text.trim() !== '', 'must not be empty');

const label = visibleText('input components need a label (every control needs a visible label)');

/** Text with `{{…}}` templates (text and html components). */
const templateText = (messageWhenMissing: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? messageWhenMissing : undefined) })
    .superRefine((text, context) => {
      for (const message of templateProblems(text)) context.addIssue({ code: 'custom', message });
    });

const componentId = z
  .string()
  .regex(/^[A-Za-z][\w.:-]*$/, 'id must start with a letter and contain no spaces (it becomes an HTML id)');

// A letter first keeps `__proto__` out of the value objects built from keys, and `_item`/`_action` free.
const NAME = '[A-Za-z][A-Za-z0-9_]*';
const DOTTED = new RegExp(`^${NAME}(\\.${NAME})*$`);
const DOTTED_MESSAGE = 'must be names of letters, digits and _ that start with a letter, separated by dots (a.b)';

const key = z
  .string({ error: (issue) => (issue.input === undefined ? 'input components need a key' : undefined) })
  .regex(DOTTED, `key ${DOTTED_MESSAGE}`);

const groupPath = z.string().refine((path) => path === '' || DOTTED.test(path), `path ${DOTTED_MESSAGE}`);

const listPath = z
  .string({ error: (issue) => (issue.input === undefined ? 'dynamic lists need a path' : undefined) })
  .regex(DOTTED, `path ${DOTTED_MESSAGE}`);

const flag = z
  .union([z.boolean(), z.string()], { error: 'must be true, false or a FEEL expression (=…)' })
  .superRefine((value, context) => {
    if (typeof value !== 'string') return;
    const problem = isExpression(value)
      ? feelProblem(stripExpression(value))
      : 'must be true, false or a FEEL expression (=…)';
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
  });

const componentBase = {
  id: componentId,
  layout: z
    .strictObject({
      row: z.string().nullable().optional(),
      columns: z.int().min(2).max(16).nullable().optional(),
    })
    .optional(),
  properties: z
    .record(z.string(), z.string())
    .refine(
      (properties) =>
        properties['autocomplete'] === undefined || /^[a-z0-9-]+( [a-z0-9-]+)*$/.test(properties['autocomplete']),
      { message: 'autocomplete must be HTML autocomplete tokens, e.g. "tel"', path: ['autocomplete'] },
    )
    .optional(),
  conditional: z.strictObject({ hide: z.union([z.boolean(), feel()]).optional() }).optional(),
};

const inputBase = {
  ...componentBase,
  key,
  label,
  description: evaluatedText().optional(),
  readonly: flag.optional(),
  disabled: flag.optional(),
};

const length = z.int().nonnegative();

const textValidationShape = {
  required: z.boolean().optional(),
  minLength: length.optional(),
  maxLength: length.optional(),
  pattern: z.string().optional(),
};

function checkTextRules(
  rules: { minLength?: number; maxLength?: number; pattern?: string },
  context: z.RefinementCtx,
): void {
  if (rules.minLength !== undefined && rules.maxLength !== undefined && rules.minLength > rules.maxLength) {
    context.addIssue({ code: 'custom', message: 'minLength is greater than maxLength', path: ['minLength'] });
  }
  if (rules.pattern !== undefined && !compiles(rules.pattern)) {
    context.addIssue({ code: 'custom', message: 'is not a valid regular expression', path: ['pattern'] });
  }
}

const textValidation = z.strictObject(textValidationShape).superRefine(checkTextRules);

const textFieldValidation = z
  .strictObject({
    ...textValidationShape,
    validationType: z.enum(['email', 'phone', 'custom', '']).optional(),
  })
  .superRefine(checkTextRules);

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

const choiceValidation = z.strictObject({ required: z.boolean().optional() });

const adorners = z
  .strictObject({ prefixAdorner: evaluatedText().optional(), suffixAdorner: evaluatedText().optional() })
  .optional();

const options = z
  .array(
    z.strictObject({
      label: visibleText('options need a label'),
      // The empty string means nothing chosen, in the browser and in validateSubmission.
      value: z.string().min(1, 'must not be empty'),
    }),
  )
  .min(1, 'needs at least one option')
  .superRefine((list, context) => {
    const seen = new Set<string>();
    list.forEach((option, index) => {
      if (seen.has(option.value)) {
        context.addIssue({
          code: 'custom',
          message: `option value "${option.value}" appears twice`,
          path: [index, 'value'],
        });
      }
      seen.add(option.value);
    });
  });

const optionSources = {
  values: options.optional(),
  valuesKey: z
    .string()
    .regex(new RegExp(`^${NAME}$`), 'valuesKey must be the name of a variable (letters, digits, _)')
    .optional(),
  valuesExpression: feel().optional(),
};

function checkOptionSource(
  component: OptionsBase & { defaultValue?: string | string[] },
  context: z.RefinementCtx,
): void {
  const sources = [component.values, component.valuesKey, component.valuesExpression].filter(
    (source) => source !== undefined,
  );
  if (sources.length === 0) {
    context.addIssue({
      code: 'custom',
      message: 'needs options: values, valuesKey or valuesExpression',
      path: ['values'],
    });
  } else if (sources.length > 1) {
    context.addIssue({ code: 'custom', message: 'use only one of values, valuesKey and valuesExpression' });
  }
  if (component.valuesKey !== undefined && component.defaultValue !== undefined) {
    context.addIssue({ code: 'custom', message: 'defaultValue cannot be used with valuesKey', path: ['defaultValue'] });
  }
  const values = component.values;
  if (values === undefined || component.defaultValue === undefined) return;
  const defaults = Array.isArray(component.defaultValue) ? component.defaultValue : [component.defaultValue];
  if (!defaults.every((value) => values.some((option) => option.value === value))) {
    context.addIssue({ code: 'custom', message: 'defaultValue is not one of the values', path: ['defaultValue'] });
  }
}

const containerShape = {
  ...componentBase,
  label: shownText().optional(),
  components: z.array(z.unknown()),
  showOutline: z.boolean().optional(),
  verticalAlignment: z.enum(['start', 'center', 'end']).optional(),
};

/** What each component module's `schema(kit)` builds with. */
export const schemaKit = {
  z,
  FEEL_NOT_SUPPORTED,
  TEMPLATES_NOT_SUPPORTED,
  feelProblem,
  templateProblems,
  htmlProblems,
  feel,
  shownText,
  visibleText,
  templateText,
  key,
  groupPath,
  listPath,
  componentBase,
  inputBase,
  textValidation,
  textFieldValidation,
  choiceValidation,
  adorners,
  optionSources,
  checkOptionSource,
  containerShape,
};

export type SchemaKit = typeof schemaKit;
