/**
 * Camunda Forms JSON (the `.form` files the designer exports): one type, one validator (`parseForm`).
 * The engine supports a subset of the component set; everything outside it is rejected with a
 * `FormSchemaError` instead of being dropped, so a form never behaves differently here than in the modeler.
 */
import { z } from 'zod';

export const SUPPORTED_COMPONENT_TYPES = ['text', 'textfield', 'textarea', 'select', 'radio', 'checkbox'] as const;
export type ComponentType = (typeof SUPPORTED_COMPONENT_TYPES)[number];

export interface Option {
  label: string;
  value: string;
}

interface ComponentBase {
  id: string;
  /** The modeler's grid position. Ignored on purpose: the portal renders one column (reflow, WCAG 1.4.10). */
  layout?: { row?: string; columns?: number | null };
  /**
   * Custom properties: metadata for tools. One is read: `autocomplete`, rendered as the HTML attribute
   * (WCAG 1.3.5 asks for it on fields about the user, e.g. `tel`, `email`, `organization`).
   */
  properties?: Record<string, string>;
}

/** Static text; rendered as escaped paragraphs and line breaks, not as Markdown or HTML. */
export interface TextComponent extends ComponentBase {
  type: 'text';
  text: string;
}

interface InputBase extends ComponentBase {
  /** The variable name the value is stored under. */
  key: string;
  label: string;
  description?: string;
  /** Read-only and disabled inputs keep their `defaultValue`; submitted input for them is ignored. */
  readonly?: boolean;
  disabled?: boolean;
}

export interface TextValidation {
  required?: boolean;
  /** Counted in characters (code points) after trimming. */
  minLength?: number;
  maxLength?: number;
  /** JavaScript regular expression, unanchored like in form-js: anchor it with ^…$ to match the whole value. */
  pattern?: string;
}

export interface TextFieldComponent extends InputBase {
  type: 'textfield';
  defaultValue?: string;
  validate?: TextValidation;
}

export interface TextAreaComponent extends InputBase {
  type: 'textarea';
  defaultValue?: string;
  validate?: TextValidation;
}

export interface ChoiceValidation {
  required?: boolean;
}

export interface SelectComponent extends InputBase {
  type: 'select';
  values: Option[];
  defaultValue?: string;
  validate?: ChoiceValidation;
}

export interface RadioComponent extends InputBase {
  type: 'radio';
  values: Option[];
  defaultValue?: string;
  validate?: ChoiceValidation;
}

export interface CheckboxComponent extends InputBase {
  type: 'checkbox';
  defaultValue?: boolean;
  /** `required` means the box must be ticked (a confirmation). */
  validate?: ChoiceValidation;
}

export type InputComponent =
  TextFieldComponent | TextAreaComponent | SelectComponent | RadioComponent | CheckboxComponent;

export type FormComponent = TextComponent | InputComponent;

export interface FormSchema {
  id: string;
  type: 'default';
  schemaVersion: number;
  executionPlatform?: string;
  executionPlatformVersion?: string;
  exporter?: { name: string; version: string };
  versionTag?: string;
  components: FormComponent[];
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

export function isInputComponent(component: FormComponent): component is InputComponent {
  return component.type !== 'text';
}

export function inputComponents(form: FormSchema): InputComponent[] {
  return form.components.filter(isInputComponent);
}

// --- zod schemas: the edge. Each one must produce exactly the interface above (`satisfies`). ---

const FEEL_NOT_SUPPORTED = 'FEEL expressions (=…) are not supported yet';
const TEMPLATES_NOT_SUPPORTED = 'templates ({{…}}) are not supported yet';

/** Shown text: form-js would evaluate `=…` as FEEL and `{{…}}` as a template; here they would show up verbatim. */
const shownText = (messageWhenMissing?: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? messageWhenMissing : undefined) })
    .refine((text) => !text.trimStart().startsWith('='), FEEL_NOT_SUPPORTED)
    .refine((text) => !text.includes('{{'), TEMPLATES_NOT_SUPPORTED);

const visibleText = (messageWhenMissing: string) =>
  shownText(messageWhenMissing).refine((text) => text.trim() !== '', 'must not be empty');

const label = visibleText('input components need a label (every control needs a visible label)');

const componentId = z
  .string()
  .regex(/^[A-Za-z][\w.:-]*$/, 'id must start with a letter and contain no spaces (it becomes an HTML id)');

// A letter first also keeps `__proto__` out of the value objects built from keys.
const key = z
  .string({ error: (issue) => (issue.input === undefined ? 'input components need a key' : undefined) })
  .regex(
    /^[A-Za-z][A-Za-z0-9_]*$/,
    'key must start with a letter and contain only letters, digits and _ (nested keys like a.b are not supported yet)',
  );

const flag = z.boolean({ error: 'must be true or false (FEEL expressions are not supported yet)' });

const componentBase = {
  id: componentId,
  layout: z.strictObject({ row: z.string().optional(), columns: z.number().nullable().optional() }).optional(),
  properties: z
    .record(z.string(), z.string())
    .refine(
      (properties) =>
        properties['autocomplete'] === undefined || /^[a-z0-9-]+( [a-z0-9-]+)*$/.test(properties['autocomplete']),
      { message: 'autocomplete must be HTML autocomplete tokens, e.g. "tel"', path: ['autocomplete'] },
    )
    .optional(),
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

const textValidation = z
  .strictObject({
    required: z.boolean().optional(),
    minLength: length.optional(),
    maxLength: length.optional(),
    pattern: z.string().optional(),
  })
  .superRefine((rules, context) => {
    if (rules.minLength !== undefined && rules.maxLength !== undefined && rules.minLength > rules.maxLength) {
      context.addIssue({ code: 'custom', message: 'minLength is greater than maxLength', path: ['minLength'] });
    }
    if (rules.pattern !== undefined && !compiles(rules.pattern)) {
      context.addIssue({ code: 'custom', message: 'is not a valid regular expression', path: ['pattern'] });
    }
  });

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

const choiceValidation = z.strictObject({ required: z.boolean().optional() });

const options = z
  .array(
    z.strictObject({
      label: visibleText('options need a label'),
      // The empty string means nothing chosen, in the browser and in validateSubmission.
      value: z.string().min(1, 'must not be empty'),
    }),
    {
      error: (issue) =>
        issue.input === undefined
          ? 'select and radio need static options (valuesKey and valuesExpression are not supported yet)'
          : undefined,
    },
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

const defaultIsAnOption = (component: { values: Option[]; defaultValue?: string }, context: z.RefinementCtx) => {
  if (
    component.defaultValue !== undefined &&
    !component.values.some((option) => option.value === component.defaultValue)
  ) {
    context.addIssue({ code: 'custom', message: 'defaultValue is not one of the values', path: ['defaultValue'] });
  }
};

const componentSchemas = {
  text: z.strictObject({
    ...componentBase,
    type: z.literal('text'),
    text: shownText(),
  }) satisfies z.ZodType<TextComponent>,
  textfield: z.strictObject({
    ...inputBase,
    type: z.literal('textfield'),
    defaultValue: z.string().optional(),
    validate: textValidation.optional(),
  }) satisfies z.ZodType<TextFieldComponent>,
  textarea: z.strictObject({
    ...inputBase,
    type: z.literal('textarea'),
    defaultValue: z.string().optional(),
    validate: textValidation.optional(),
  }) satisfies z.ZodType<TextAreaComponent>,
  select: z
    .strictObject({
      ...inputBase,
      type: z.literal('select'),
      values: options,
      defaultValue: z.string().optional(),
      validate: choiceValidation.optional(),
    })
    .superRefine(defaultIsAnOption) satisfies z.ZodType<SelectComponent>,
  radio: z
    .strictObject({
      ...inputBase,
      type: z.literal('radio'),
      values: options,
      defaultValue: z.string().optional(),
      validate: choiceValidation.optional(),
    })
    .superRefine(defaultIsAnOption) satisfies z.ZodType<RadioComponent>,
  checkbox: z.strictObject({
    ...inputBase,
    type: z.literal('checkbox'),
    defaultValue: z.boolean().optional(),
    validate: choiceValidation.optional(),
  }) satisfies z.ZodType<CheckboxComponent>,
} satisfies Record<ComponentType, z.ZodType<FormComponent>>;

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
  const components: FormComponent[] = [];
  for (const raw of envelope.data.components) {
    const componentId = stringProperty(raw, 'id');
    const componentType = stringProperty(raw, 'type');
    const where = { componentId, componentType };
    if (!isSupportedType(componentType)) {
      problems.push({ ...where, message: 'component type not supported yet' });
      continue;
    }
    const parsed = componentSchemas[componentType].safeParse(raw);
    if (parsed.success) components.push(parsed.data);
    else problems.push(...issueMessages(parsed.error.issues).map((message) => ({ ...where, message })));
  }
  problems.push(...duplicates(components));

  if (problems.length > 0) throw new FormSchemaError(envelope.data.id, problems);
  return { ...envelope.data, components };
}

function duplicates(components: FormComponent[]): FormSchemaProblem[] {
  const problems: FormSchemaProblem[] = [];
  const ids = new Set<string>();
  const keys = new Set<string>();
  for (const component of components) {
    const where = { componentId: component.id, componentType: component.type };
    if (ids.has(component.id)) problems.push({ ...where, message: 'id is used by another component' });
    ids.add(component.id);
    if (!isInputComponent(component)) continue;
    if (keys.has(component.key))
      problems.push({ ...where, message: `key "${component.key}" is used by another component` });
    keys.add(component.key);
  }
  return problems;
}
