/**
 * Camunda Forms JSON (the `.form` files the designer exports): one type, one validator (`parseForm`).
 * Everything the engine cannot run as the modeler means it is rejected with a `FormSchemaError` naming
 * form, component and property, instead of being dropped, so a form never behaves differently here.
 */
import { z } from 'zod';
import { FeelError, checkExpression, isExpression, stripExpression } from '../engine/feel/feel.js';
import { allComponents, isKeyedComponent } from './components.js';
import { decimalOfNumber, parseDecimal } from './decimal.js';
import { parseTemplate } from './expressions.js';
import { isSafeImageUrl, sanitizeHtml } from './sanitize-html.js';

export { allComponents, hasFilePicker, inputComponents, isInputComponent, labelOf } from './components.js';

export const SUPPORTED_COMPONENT_TYPES = [
  'text',
  'html',
  'textfield',
  'textarea',
  'number',
  'datetime',
  'checkbox',
  'checklist',
  'taglist',
  'radio',
  'select',
  'filepicker',
  'expression',
  'group',
  'dynamiclist',
  'table',
  'image',
  'separator',
  'spacer',
  'button',
] as const;
export type ComponentType = (typeof SUPPORTED_COMPONENT_TYPES)[number];

/** A FEEL expression as Camunda writes it: `=` followed by the expression. */
export type Expression = string;

export interface Option {
  label: string;
  value: string;
}

/** Option values from `valuesKey` or `valuesExpression` may also be numbers or booleans (as in form-js). */
export type OptionValue = string | number | boolean;

export interface Layout {
  row?: string | null;
  /** Width in a 16-column grid; null or absent shares the row's remaining width. Narrow screens get one column. */
  columns?: number | null;
}

export interface Conditional {
  /** `true` or a FEEL expression over the form's data: the component is not rendered and its value is dropped. */
  hide?: boolean | Expression;
}

interface ComponentBase {
  id: string;
  layout?: Layout;
  /**
   * Custom properties: metadata for tools. One is read: `autocomplete`, rendered as the HTML attribute
   * (WCAG 1.3.5 asks for it on fields about the user, e.g. `tel`, `email`, `organization`).
   */
  properties?: Record<string, string>;
  conditional?: Conditional;
}

/** Markdown subset with `{{…}}` FEEL templates, or `=…` (a FEEL expression whose result is shown as plain text). */
export interface TextComponent extends ComponentBase {
  type: 'text';
  text: string;
}

/** HTML with `{{…}}` templates; only an allow-list of tags and attributes survives (sanitize-html.ts). */
export interface HtmlComponent extends ComponentBase {
  type: 'html';
  content: string;
}

interface KeyedBase extends ComponentBase {
  /** The variable the value is stored under; dots nest it (`address.street`). */
  key: string;
}

interface InputBase extends KeyedBase {
  label: string;
  description?: string;
  /** Read-only and disabled inputs keep their `defaultValue`; submitted input for them is ignored. */
  readonly?: boolean | Expression;
  disabled?: boolean | Expression;
}

export interface Adorners {
  prefixAdorner?: string;
  suffixAdorner?: string;
}

export interface TextValidation {
  required?: boolean;
  /** Counted in characters (code points) after trimming. */
  minLength?: number;
  maxLength?: number;
  /** JavaScript regular expression, unanchored like in form-js: anchor it with ^…$ to match the whole value. */
  pattern?: string;
}

export interface TextFieldValidation extends TextValidation {
  /** `custom` and `''` mean: `pattern` only. */
  validationType?: 'email' | 'phone' | 'custom' | '';
}

export interface TextFieldComponent extends InputBase {
  type: 'textfield';
  defaultValue?: string;
  validate?: TextFieldValidation;
  appearance?: Adorners;
}

export interface TextAreaComponent extends InputBase {
  type: 'textarea';
  defaultValue?: string;
  validate?: TextValidation;
}

export interface NumberValidation {
  required?: boolean;
  min?: number;
  max?: number;
}

export interface NumberComponent extends InputBase {
  type: 'number';
  defaultValue?: number | string;
  /** Most digits after the decimal separator; 0 means whole numbers. */
  decimalDigits?: number;
  /** The value must be a multiple of it (counted from zero). */
  increment?: number | string;
  /** Store the number as a string (exact, any precision) instead of a JSON number. */
  serializeToString?: boolean;
  validate?: NumberValidation;
  appearance?: Adorners;
}

export interface ChoiceValidation {
  required?: boolean;
}

export interface DatetimeComponent extends Omit<InputBase, 'label'> {
  type: 'datetime';
  /** Default `date`. Values: `2025-12-31`, `14:30`, `2025-12-31T14:30` (local time, no time zone). */
  subtype?: 'date' | 'time' | 'datetime';
  /** For subtype datetime: the legend of the date and time pair. Otherwise an alternative to dateLabel/timeLabel. */
  label?: string;
  dateLabel?: string;
  timeLabel?: string;
  /** Accepted, no effect: the browser's native time input follows the user's locale. */
  use24h?: boolean;
  /** Minutes; the native time input's step. */
  timeInterval?: number;
  timeSerializingFormat?: 'no_timezone';
  /** Checked only when the caller passes `today` (the validator has no clock). */
  disallowPassedDates?: boolean;
  defaultValue?: string;
  validate?: ChoiceValidation;
}

export interface CheckboxComponent extends InputBase {
  type: 'checkbox';
  defaultValue?: boolean;
  /** `required` means the box must be ticked (a confirmation). */
  validate?: ChoiceValidation;
}

interface OptionsBase {
  /** Exactly one of `values`, `valuesKey` (a variable of the context holding the options) and `valuesExpression`. */
  values?: Option[];
  valuesKey?: string;
  valuesExpression?: Expression;
}

export interface SelectComponent extends InputBase, OptionsBase {
  type: 'select';
  defaultValue?: string;
  /** Accepted, no effect: a native select can be searched by typing. */
  searchable?: boolean;
  validate?: ChoiceValidation;
}

export interface RadioComponent extends InputBase, OptionsBase {
  type: 'radio';
  defaultValue?: string;
  validate?: ChoiceValidation;
}

/** Several options; the value is the list of chosen option values. `required`: at least one. */
export interface ChecklistComponent extends InputBase, OptionsBase {
  type: 'checklist';
  defaultValue?: string[];
  validate?: ChoiceValidation;
}

/** Like a checklist (rendered as checkboxes: the no-JavaScript, accessible form of a tag list). */
export interface TaglistComponent extends InputBase, OptionsBase {
  type: 'taglist';
  defaultValue?: string[];
  validate?: ChoiceValidation;
}

/** Upload field. Its value is the list of document ids (UUIDs) the portal stored for the uploaded files. */
export interface FilePickerComponent extends InputBase {
  type: 'filepicker';
  /** The HTML `accept` attribute, e.g. `.pdf,image/*`; the upload handling must check the files itself. */
  accept?: string;
  multiple?: boolean;
  validate?: ChoiceValidation;
}

/** Not shown; its value is computed with FEEL from the form's data when the form is submitted. */
export interface ExpressionComponent extends KeyedBase {
  type: 'expression';
  expression: Expression;
  /** Both compute on submit here: there is no client-side change event without JavaScript. */
  computeOn?: 'change' | 'presubmit';
  label?: string;
}

interface ContainerBase extends ComponentBase {
  label?: string;
  components: FormComponent[];
  showOutline?: boolean;
  /** Accepted, no effect: each field takes its own row on small screens anyway. */
  verticalAlignment?: 'start' | 'center' | 'end';
}

/** Its children's values go under `path` (dot-separated) when it has one; a legend when it has a label. */
export interface GroupComponent extends ContainerBase {
  type: 'group';
  path?: string;
}

/** Repeating group: its value is a list of objects under `path`, one per item. */
export interface DynamicListComponent extends ContainerBase {
  type: 'dynamiclist';
  path: string;
  /** Only `true` (the default) is supported. */
  isRepeating?: boolean;
  /** Items of an untouched form; default 1. */
  defaultRepetitions?: number;
  /** Add and remove buttons (submit buttons without JavaScript); default true. */
  allowAddRemove?: boolean;
  /** Accepted, no effect: without JavaScript every item is shown expanded. */
  disableCollapse?: boolean;
  nonCollapsedItems?: number;
}

export interface TableColumn {
  label: string;
  key: string;
}

/** Read-only table of `dataSource` (a FEEL expression or variable name yielding a list of objects). */
export interface TableComponent extends ComponentBase {
  type: 'table';
  label?: string;
  columns?: TableColumn[];
  columnsExpression?: Expression;
  dataSource: string;
  /** Accepted, no effect: every row is shown (paging needs JavaScript or extra requests). */
  rowCount?: number;
}

export interface ImageComponent extends ComponentBase {
  type: 'image';
  /** An http(s) or data:image URL, or a FEEL expression yielding one. */
  source: string;
  /** Text alternative (WCAG 1.1.1), static or FEEL; `""` marks a decorative image. */
  alt: string;
}

export interface SeparatorComponent extends ComponentBase {
  type: 'separator';
}

export interface SpacerComponent extends ComponentBase {
  type: 'spacer';
  /** Pixels; default 60. */
  height?: number;
}

/** `submit` renders a submit button; `reset` a link that loads the form again. */
export interface ButtonComponent extends ComponentBase {
  type: 'button';
  label: string;
  action?: 'submit' | 'reset';
}

export type InputComponent =
  | TextFieldComponent
  | TextAreaComponent
  | NumberComponent
  | DatetimeComponent
  | CheckboxComponent
  | ChecklistComponent
  | TaglistComponent
  | RadioComponent
  | SelectComponent
  | FilePickerComponent;

export type ChoiceComponent = SelectComponent | RadioComponent | ChecklistComponent | TaglistComponent;

/** Components that put a value under their key. */
export type KeyedComponent = InputComponent | ExpressionComponent;

export type FormComponent =
  | TextComponent
  | HtmlComponent
  | InputComponent
  | ExpressionComponent
  | GroupComponent
  | DynamicListComponent
  | TableComponent
  | ImageComponent
  | SeparatorComponent
  | SpacerComponent
  | ButtonComponent;

import type { FormTranslation, TranslationLocale } from './translate.js';

export interface FormSchema {
  id: string;
  type: 'default';
  schemaVersion: number;
  executionPlatform?: string;
  executionPlatformVersion?: string;
  exporter?: { name: string; version: string };
  versionTag?: string;
  components: FormComponent[];
  /**
   * Lotse's addition, never read from a form file: the translations from the `<form>.<locale>.json` files
   * next to it, attached by the service loader so every rendering of the form can speak the page's language.
   */
  translations?: Partial<Record<TranslationLocale, FormTranslation>>;
}

export interface FormSchemaProblem {
  componentId?: string;
  componentType?: string;
  message: string;
}

/** A form file the engine cannot run as it is. The message has one line per problem, each naming form and component. */
export class FormSchemaError extends Error {
  override name = 'FormSchemaError';

  constructor(
    readonly formId: string | undefined,
    readonly problems: FormSchemaProblem[],
  ) {
    super(problems.map((problem) => describeProblem(formId, problem)).join('\n'));
  }
}

function describeProblem(formId: string | undefined, problem: FormSchemaProblem): string {
  const form = `Form ${formId ?? '(without id)'}`;
  if (problem.componentId === undefined && problem.componentType === undefined) return `${form}: ${problem.message}`;
  return `${form}, component ${problem.componentId ?? '(without id)'} (${problem.componentType ?? 'without type'}): ${problem.message}`;
}

// --- zod schemas: the edge. Each one must produce exactly the interface above (`satisfies`). ---

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

/** Problems of static shown text (labels, descriptions, option labels): FEEL and templates would show verbatim. */
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
  description: shownText().optional(),
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

function checkTextRules(rules: TextValidation, context: z.RefinementCtx): void {
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
  .strictObject({ prefixAdorner: shownText().optional(), suffixAdorner: shownText().optional() })
  .optional();

const numericText = z.string().refine((text) => parseDecimal(text) !== undefined, 'must be a number, e.g. "0.5"');

const numberValidation = z
  .strictObject({
    required: z.boolean().optional(),
    min: z.number({ error: 'must be a number (FEEL expressions are not supported here)' }).optional(),
    max: z.number({ error: 'must be a number (FEEL expressions are not supported here)' }).optional(),
  })
  .superRefine((rules, context) => {
    if (rules.min !== undefined && rules.max !== undefined && rules.min > rules.max) {
      context.addIssue({ code: 'custom', message: 'min is greater than max', path: ['min'] });
    }
  });

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

const DEFAULT_FORMATS = {
  date: { pattern: /^\d{4}-\d{2}-\d{2}$/, example: '2025-12-31' },
  time: { pattern: /^\d{2}:\d{2}$/, example: '14:30' },
  datetime: { pattern: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, example: '2025-12-31T14:30' },
};

function checkDatetime(component: DatetimeComponent, context: z.RefinementCtx) {
  const subtype = component.subtype ?? 'date';
  const hasLabel = (text: string | undefined) => text !== undefined && text.trim() !== '';
  if (subtype !== 'time' && !hasLabel(component.dateLabel) && (subtype === 'datetime' || !hasLabel(component.label))) {
    context.addIssue({
      code: 'custom',
      message: 'needs a dateLabel (every control needs a visible label)',
      path: ['dateLabel'],
    });
  }
  if (subtype !== 'date' && !hasLabel(component.timeLabel) && (subtype === 'datetime' || !hasLabel(component.label))) {
    context.addIssue({
      code: 'custom',
      message: 'needs a timeLabel (every control needs a visible label)',
      path: ['timeLabel'],
    });
  }
  const expected = DEFAULT_FORMATS[subtype];
  if (component.defaultValue !== undefined && !expected.pattern.test(component.defaultValue)) {
    context.addIssue({ code: 'custom', message: `must look like ${expected.example}`, path: ['defaultValue'] });
  }
}

const SAFE_URL_MESSAGE = 'source must be an https:, http: or data:image URL, or a FEEL expression (=…)';

const imageSource = z.string().superRefine((source, context) => {
  if (isExpression(source)) {
    const problem = feelProblem(stripExpression(source));
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
  } else if (!isSafeImageUrl(source)) {
    context.addIssue({ code: 'custom', message: SAFE_URL_MESSAGE });
  }
});

const imageAlt = z
  .string({
    error: (issue) =>
      issue.input === undefined ? 'images need alt text (WCAG 1.1.1); use "" for a purely decorative image' : undefined,
  })
  .superRefine((alt, context) => {
    if (isExpression(alt)) {
      const problem = feelProblem(stripExpression(alt));
      if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
    } else if (alt.includes('{{')) {
      context.addIssue({ code: 'custom', message: TEMPLATES_NOT_SUPPORTED });
    }
  });

/** `=expr` or a bare expression such as a variable name: form-js adds the `=` itself. */
const dataSource = z
  .string({ error: (issue) => (issue.input === undefined ? 'tables need a dataSource' : undefined) })
  .superRefine((source, context) => {
    const problem = feelProblem(stripExpression(source));
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
  });

const containerShape = {
  ...componentBase,
  label: shownText().optional(),
  components: z.array(z.unknown()),
  showOutline: z.boolean().optional(),
  verticalAlignment: z.enum(['start', 'center', 'end']).optional(),
};

type Shell<T extends { components: FormComponent[] }> = Omit<T, 'components'> & { components: unknown[] };

const componentSchemas = {
  text: z.strictObject({
    ...componentBase,
    type: z.literal('text'),
    text: z.string().superRefine((text, context) => {
      const problems = isExpression(text.trimStart())
        ? [feelProblem(stripExpression(text.trimStart()))].filter((problem) => problem !== undefined)
        : templateProblems(text);
      for (const message of problems) context.addIssue({ code: 'custom', message });
    }),
  }) satisfies z.ZodType<TextComponent>,
  html: z.strictObject({
    ...componentBase,
    type: z.literal('html'),
    content: templateText('html components need content').superRefine((content, context) => {
      if (isExpression(content.trimStart())) {
        context.addIssue({
          code: 'custom',
          message: 'FEEL expressions (=…) are not supported here, use {{…}} templates',
        });
      }
      for (const message of htmlProblems(content)) context.addIssue({ code: 'custom', message });
    }),
  }) satisfies z.ZodType<HtmlComponent>,
  textfield: z.strictObject({
    ...inputBase,
    type: z.literal('textfield'),
    defaultValue: z.string().optional(),
    validate: textFieldValidation.optional(),
    appearance: adorners,
  }) satisfies z.ZodType<TextFieldComponent>,
  textarea: z.strictObject({
    ...inputBase,
    type: z.literal('textarea'),
    defaultValue: z.string().optional(),
    validate: textValidation.optional(),
  }) satisfies z.ZodType<TextAreaComponent>,
  number: z.strictObject({
    ...inputBase,
    type: z.literal('number'),
    defaultValue: z.union([z.number(), numericText]).optional(),
    decimalDigits: z.int().min(0).max(20).optional(),
    increment: z
      .union([z.number(), numericText])
      .refine((step) => {
        const decimal = typeof step === 'number' ? decimalOfNumber(step) : parseDecimal(step);
        return decimal !== undefined && !decimal.negative && decimal.units !== 0n;
      }, 'must be greater than 0')
      .optional(),
    serializeToString: z.boolean().optional(),
    validate: numberValidation.optional(),
    appearance: adorners,
  }) satisfies z.ZodType<NumberComponent>,
  datetime: z
    .strictObject({
      ...inputBase,
      label: shownText().optional(),
      type: z.literal('datetime'),
      subtype: z.enum(['date', 'time', 'datetime']).optional(),
      dateLabel: shownText().optional(),
      timeLabel: shownText().optional(),
      use24h: z.boolean().optional(),
      timeInterval: z.int().min(1).max(60).optional(),
      timeSerializingFormat: z
        .literal('no_timezone', {
          error: (issue) =>
            `${String(issue.input)} is not supported: the server does not know the user's time zone; use "no_timezone"`,
        })
        .optional(),
      disallowPassedDates: z.boolean().optional(),
      defaultValue: z.string().optional(),
      validate: choiceValidation.optional(),
    })
    .superRefine(checkDatetime) satisfies z.ZodType<DatetimeComponent>,
  checkbox: z.strictObject({
    ...inputBase,
    type: z.literal('checkbox'),
    defaultValue: z.boolean().optional(),
    validate: choiceValidation.optional(),
  }) satisfies z.ZodType<CheckboxComponent>,
  checklist: z
    .strictObject({
      ...inputBase,
      ...optionSources,
      type: z.literal('checklist'),
      defaultValue: z.array(z.string()).optional(),
      validate: choiceValidation.optional(),
    })
    .superRefine(checkOptionSource) satisfies z.ZodType<ChecklistComponent>,
  taglist: z
    .strictObject({
      ...inputBase,
      ...optionSources,
      type: z.literal('taglist'),
      defaultValue: z.array(z.string()).optional(),
      validate: choiceValidation.optional(),
    })
    .superRefine(checkOptionSource) satisfies z.ZodType<TaglistComponent>,
  radio: z
    .strictObject({
      ...inputBase,
      ...optionSources,
      type: z.literal('radio'),
      defaultValue: z.string().optional(),
      validate: choiceValidation.optional(),
    })
    .superRefine(checkOptionSource) satisfies z.ZodType<RadioComponent>,
  select: z
    .strictObject({
      ...inputBase,
      ...optionSources,
      type: z.literal('select'),
      defaultValue: z.string().optional(),
      searchable: z.boolean().optional(),
      validate: choiceValidation.optional(),
    })
    .superRefine(checkOptionSource) satisfies z.ZodType<SelectComponent>,
  filepicker: z.strictObject({
    ...inputBase,
    type: z.literal('filepicker'),
    accept: z
      .string()
      .regex(/^\s*[\w.+*/-]+(\s*,\s*[\w.+*/-]+)*\s*$/, 'accept must list file types, e.g. ".pdf,image/*"')
      .optional(),
    multiple: z.boolean({ error: 'must be true or false (FEEL expressions are not supported here)' }).optional(),
    validate: choiceValidation.optional(),
  }) satisfies z.ZodType<FilePickerComponent>,
  expression: z.strictObject({
    ...componentBase,
    key,
    type: z.literal('expression'),
    expression: feel(),
    computeOn: z.enum(['change', 'presubmit']).optional(),
    label: shownText().optional(),
  }) satisfies z.ZodType<ExpressionComponent>,
  group: z.strictObject({
    ...containerShape,
    type: z.literal('group'),
    path: groupPath.optional(),
  }) satisfies z.ZodType<Shell<GroupComponent>>,
  dynamiclist: z.strictObject({
    ...containerShape,
    type: z.literal('dynamiclist'),
    path: listPath,
    isRepeating: z
      .literal(true, { error: 'only repeating dynamic lists (isRepeating: true) are supported' })
      .optional(),
    defaultRepetitions: z.int().min(0).max(100).optional(),
    allowAddRemove: z.boolean().optional(),
    disableCollapse: z.boolean().optional(),
    nonCollapsedItems: z.int().nonnegative().optional(),
  }) satisfies z.ZodType<Shell<DynamicListComponent>>,
  table: z
    .strictObject({
      ...componentBase,
      type: z.literal('table'),
      label: shownText().optional(),
      columns: z
        .array(
          z.strictObject({ label: visibleText('columns need a label'), key: z.string().min(1, 'must not be empty') }),
        )
        .optional(),
      columnsExpression: feel().optional(),
      dataSource,
      rowCount: z.int().positive().optional(),
    })
    .superRefine((table, context) => {
      if ((table.columns === undefined) === (table.columnsExpression === undefined)) {
        context.addIssue({ code: 'custom', message: 'needs exactly one of columns and columnsExpression' });
      }
    }) satisfies z.ZodType<TableComponent>,
  image: z.strictObject({
    ...componentBase,
    type: z.literal('image'),
    source: imageSource,
    alt: imageAlt,
  }) satisfies z.ZodType<ImageComponent>,
  separator: z.strictObject({ ...componentBase, type: z.literal('separator') }) satisfies z.ZodType<SeparatorComponent>,
  spacer: z.strictObject({
    ...componentBase,
    type: z.literal('spacer'),
    height: z.int().min(0).max(2000).optional(),
  }) satisfies z.ZodType<SpacerComponent>,
  button: z.strictObject({
    ...componentBase,
    type: z.literal('button'),
    label: visibleText('buttons need a label'),
    action: z.enum(['submit', 'reset']).optional(),
  }) satisfies z.ZodType<ButtonComponent>,
} satisfies Record<ComponentType, z.ZodType<FormComponent | Shell<GroupComponent> | Shell<DynamicListComponent>>>;

const formEnvelope = z.strictObject({
  id: z.string().min(1, 'id must not be empty'),
  type: z.literal('default'),
  schemaVersion: z.int().nonnegative(),
  executionPlatform: z.string().optional(),
  executionPlatformVersion: z.string().optional(),
  exporter: z.strictObject({ name: z.string(), version: z.string() }).optional(),
  versionTag: z.string().optional(),
  components: z.array(z.unknown()),
});

/** Groups and lists nest; deeper than this is not a form people can fill in (and would be a recursion risk). */
const MAX_DEPTH = 6;

function isSupportedType(type: unknown): type is ComponentType {
  return SUPPORTED_COMPONENT_TYPES.some((supported) => supported === type);
}

function issueMessages(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((name) => `property ${path === '' ? name : `${path}.${name}`} not supported yet`);
    }
    return [path === '' ? issue.message : `${path}: ${issue.message}`];
  });
}

function stringProperty(value: unknown, name: string): string | undefined {
  if (typeof value !== 'object' || value === null || !Object.hasOwn(value, name)) return undefined;
  const property: unknown = Reflect.get(value, name);
  return typeof property === 'string' ? property : undefined;
}

/** Parses and checks a `.form` file's JSON. Throws `FormSchemaError` listing every problem found. */
export function parseForm(json: unknown): FormSchema {
  const formId = stringProperty(json, 'id');
  const envelope = formEnvelope.safeParse(json);
  if (!envelope.success) {
    throw new FormSchemaError(
      formId,
      issueMessages(envelope.error.issues).map((message) => ({ message })),
    );
  }

  const problems: FormSchemaProblem[] = [];
  const components = parseComponents(envelope.data.components, problems, 1);
  problems.push(...duplicates(components));

  if (problems.length > 0) throw new FormSchemaError(envelope.data.id, problems);
  return { ...envelope.data, components };
}

function parseComponents(raws: readonly unknown[], problems: FormSchemaProblem[], depth: number): FormComponent[] {
  const components: FormComponent[] = [];
  for (const raw of raws) {
    const componentId = stringProperty(raw, 'id');
    const componentType = stringProperty(raw, 'type');
    const where = { componentId, componentType };
    if (!isSupportedType(componentType)) {
      problems.push({ ...where, message: 'component type not supported yet' });
      continue;
    }
    const parsed = componentSchemas[componentType].safeParse(raw);
    if (!parsed.success) {
      problems.push(...issueMessages(parsed.error.issues).map((message) => ({ ...where, message })));
      continue;
    }
    const component = parsed.data;
    if (component.type !== 'group' && component.type !== 'dynamiclist') {
      components.push(component);
    } else if (depth >= MAX_DEPTH) {
      problems.push({ ...where, message: `groups and lists nested deeper than ${MAX_DEPTH} levels are not supported` });
    } else if (component.type === 'group') {
      components.push({ ...component, components: parseComponents(component.components, problems, depth + 1) });
    } else {
      components.push({ ...component, components: parseComponents(component.components, problems, depth + 1) });
    }
  }
  return components;
}

/**
 * Ids are unique in the whole form. Keys (with the paths of enclosing groups and lists) must not collide
 * and no value may sit inside another: `address` and `address.street` cannot both be fields.
 */
function duplicates(components: FormComponent[]): FormSchemaProblem[] {
  const problems: FormSchemaProblem[] = [];
  const ids = new Set<string>();
  for (const component of allComponents(components)) {
    if (ids.has(component.id)) {
      problems.push({
        componentId: component.id,
        componentType: component.type,
        message: 'id is used by another component',
      });
    }
    ids.add(component.id);
  }

  const leaves = new Map<string, FormComponent>();
  const collect = (list: readonly FormComponent[], prefix: string[]) => {
    for (const component of list) {
      if (component.type === 'group') collect(component.components, [...prefix, ...segments(component.path)]);
      else if (component.type === 'dynamiclist') {
        const path = [...prefix, ...segments(component.path)];
        claim(path, component, component.path);
        collect(component.components, [...path, '[]']);
      } else if (isKeyedComponent(component)) claim([...prefix, ...segments(component.key)], component, component.key);
    }
  };
  const claim = (path: string[], component: FormComponent, name: string) => {
    const joined = path.join('.');
    const where = { componentId: component.id, componentType: component.type };
    const other = leaves.get(joined);
    if (other !== undefined) problems.push({ ...where, message: `key "${name}" is used by another component` });
    else leaves.set(joined, component);
  };
  collect(components, []);

  for (const [joined, component] of leaves) {
    const parts = joined.split('.');
    for (let length = 1; length < parts.length; length++) {
      const outer = leaves.get(parts.slice(0, length).join('.'));
      // A list's own fields sit inside its items (`contacts.[].email`); anything else inside it collides.
      if (outer === undefined || (outer.type === 'dynamiclist' && parts[length] === '[]')) continue;
      problems.push({
        componentId: component.id,
        componentType: component.type,
        message: `its value would sit inside the value of component ${outer.id}: a value cannot be both`,
      });
    }
  }
  return problems;
}

function segments(path: string | undefined): string[] {
  return path === undefined || path === '' ? [] : path.split('.');
}
