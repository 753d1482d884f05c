/**
 * The one validator for form submissions: used by the portal and admin routes and again inside the
 * case workflow, so it stays pure (no I/O, no clock) and imports nothing but types. Temporal bundles it.
 */
import type {
  CheckboxComponent,
  FormSchema,
  InputComponent,
  RadioComponent,
  SelectComponent,
  TextAreaComponent,
  TextFieldComponent,
} from './schema.js';

export type Locale = 'de' | 'en';

export type FieldErrorCode = 'required' | 'minLength' | 'maxLength' | 'pattern' | 'invalidOption' | 'invalidType';

export interface FieldError {
  componentId: string;
  key: string;
  code: FieldErrorCode;
  /** `required`: `expected` (text | choice | confirmation); `minLength`: `min`, `actual`; `maxLength`: `max`, `actual`. */
  params?: Record<string, number | string>;
}

export interface ValidationResult {
  /**
   * Typed values by key, only for keys of the form. A value that breaks a length or pattern rule stays in
   * (with its error) so a re-rendered form keeps the input; values of the wrong type or outside the options do not.
   */
  values: Record<string, unknown>;
  /** At most one error per field, in form order. Empty means `values` satisfies every rule. */
  errors: FieldError[];
}

type FieldValue = string | boolean;

interface FieldOutcome {
  value?: FieldValue;
  error?: Pick<FieldError, 'code' | 'params'>;
}

/**
 * Checks a submission against its form. Input is an urlencoded body (strings; a ticked checkbox is
 * 'true' or 'on', an unticked one absent) or JSON. Never throws, whatever the input.
 */
export function validateSubmission(form: FormSchema, input: Record<string, unknown>): ValidationResult {
  const values: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  for (const component of form.components) {
    if (component.type === 'text') continue;
    const outcome = isFixed(component)
      ? { value: initialValue(component) }
      : checkField(component, ownValue(input, component.key));
    if (outcome.value !== undefined) values[component.key] = outcome.value;
    if (outcome.error) errors.push({ componentId: component.id, key: component.key, ...outcome.error });
  }
  return { values, errors };
}

/** The values of an untouched form: defaults, unticked checkboxes as false. */
export function initialValues(form: FormSchema): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const component of form.components) {
    if (component.type === 'text') continue;
    const value = initialValue(component);
    if (value !== undefined) values[component.key] = value;
  }
  return values;
}

function isFixed(component: InputComponent): boolean {
  return component.readonly === true || component.disabled === true;
}

function initialValue(component: InputComponent): FieldValue | undefined {
  switch (component.type) {
    case 'checkbox':
      return component.defaultValue ?? false;
    case 'textfield':
    case 'textarea':
      return component.defaultValue === '' ? undefined : component.defaultValue;
    case 'select':
    case 'radio':
      return component.defaultValue;
  }
}

// Own properties only: a key like `toString` must not read Object.prototype from a JSON body.
function ownValue(input: unknown, key: string): unknown {
  if (typeof input !== 'object' || input === null || !Object.hasOwn(input, key)) return undefined;
  return Reflect.get(input, key);
}

function checkField(component: InputComponent, raw: unknown): FieldOutcome {
  switch (component.type) {
    case 'textfield':
    case 'textarea':
      return checkText(component, raw);
    case 'select':
    case 'radio':
      return checkChoice(component, raw);
    case 'checkbox':
      return checkCheckbox(component, raw);
  }
}

function checkText(component: TextFieldComponent | TextAreaComponent, raw: unknown): FieldOutcome {
  const text = raw ?? '';
  if (typeof text !== 'string') return { error: { code: 'invalidType' } };
  const value = normalizeText(text);
  const rules = component.validate ?? {};
  if (value === '') return rules.required ? { error: { code: 'required', params: { expected: 'text' } } } : {};

  const length = [...value].length;
  if (rules.minLength !== undefined && length < rules.minLength) {
    return { value, error: { code: 'minLength', params: { min: rules.minLength, actual: length } } };
  }
  if (rules.maxLength !== undefined && length > rules.maxLength) {
    return { value, error: { code: 'maxLength', params: { max: rules.maxLength, actual: length } } };
  }
  if (rules.pattern !== undefined && !matches(rules.pattern, value)) return { value, error: { code: 'pattern' } };
  return { value };
}

/**
 * Browsers send line breaks as CRLF; counting them as one character keeps the count the user sees.
 * NUL goes because PostgreSQL text and jsonb cannot store it.
 */
function normalizeText(raw: string): string {
  return raw.replaceAll('\u0000', '').replace(/\r\n?/g, '\n').trim();
}

// Unanchored, as in form-js. A form that did not pass parseForm may carry a broken pattern: fail closed.
function matches(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern).test(value);
  } catch {
    return false;
  }
}

function checkChoice(component: SelectComponent | RadioComponent, raw: unknown): FieldOutcome {
  if (raw === undefined || raw === null || raw === '') {
    return component.validate?.required ? { error: { code: 'required', params: { expected: 'choice' } } } : {};
  }
  if (typeof raw !== 'string') return { error: { code: 'invalidType' } };
  if (!component.values.some((option) => option.value === raw)) return { error: { code: 'invalidOption' } };
  return { value: raw };
}

function checkCheckbox(component: CheckboxComponent, raw: unknown): FieldOutcome {
  const ticked = checkboxState(raw);
  if (ticked === undefined) return { error: { code: 'invalidType' } };
  if (!ticked && component.validate?.required) {
    return { value: false, error: { code: 'required', params: { expected: 'confirmation' } } };
  }
  return { value: ticked };
}

function checkboxState(raw: unknown): boolean | undefined {
  if (raw === true || raw === 'true' || raw === 'on') return true;
  if (raw === false || raw === 'false' || raw === '' || raw === undefined || raw === null) return false;
  return undefined;
}

// --- Messages ---

type Subject = { label: string } | undefined;

/** Message sentences per locale; `subject` is undefined when the caller has no label. */
const MESSAGES: Record<Locale, Record<FieldErrorCode, (subject: Subject, params: Params) => string>> = {
  de: {
    required: (subject, params) => {
      if (params.text('expected') === 'choice') {
        return subject
          ? `Bitte wählen Sie bei „${subject.label}“ eine Möglichkeit aus.`
          : 'Bitte wählen Sie eine Möglichkeit aus.';
      }
      if (params.text('expected') === 'confirmation') {
        return subject ? `Bitte bestätigen Sie „${subject.label}“.` : 'Bitte setzen Sie das Häkchen.';
      }
      return subject ? `Bitte füllen Sie „${subject.label}“ aus.` : 'Bitte füllen Sie dieses Feld aus.';
    },
    minLength: (subject, params) =>
      `${subject ? `„${subject.label}“` : 'Die Eingabe'} muss mindestens ${params.number('min')} Zeichen lang sein.`,
    maxLength: (subject, params) =>
      `${subject ? `„${subject.label}“` : 'Die Eingabe'} darf höchstens ${params.number('max')} Zeichen lang sein` +
      (params.has('actual') ? ` (derzeit ${params.number('actual')}).` : '.'),
    pattern: (subject) =>
      subject
        ? `Bitte geben Sie „${subject.label}“ im richtigen Format an.`
        : 'Bitte geben Sie den Wert im richtigen Format an.',
    invalidOption: (subject) =>
      subject
        ? `Bitte wählen Sie bei „${subject.label}“ eine der angebotenen Möglichkeiten aus.`
        : 'Bitte wählen Sie eine der angebotenen Möglichkeiten aus.',
    invalidType: (subject) =>
      subject
        ? `Die Eingabe bei „${subject.label}“ konnte nicht gelesen werden. Bitte geben Sie sie erneut ein.`
        : 'Die Eingabe konnte nicht gelesen werden. Bitte geben Sie sie erneut ein.',
  },
  en: {
    required: (subject, params) => {
      if (params.text('expected') === 'choice') return subject ? `Select ${subject.label}.` : 'Select an option.';
      if (params.text('expected') === 'confirmation') {
        return subject ? `Confirm “${subject.label}”.` : 'Tick the box to confirm.';
      }
      return subject ? `Enter ${subject.label}.` : 'Fill in this field.';
    },
    minLength: (subject, params) =>
      `${subject?.label ?? 'The entry'} must be at least ${params.number('min')} characters long.`,
    maxLength: (subject, params) =>
      `${subject?.label ?? 'The entry'} must be ${params.number('max')} characters or fewer` +
      (params.has('actual') ? ` (currently ${params.number('actual')}).` : '.'),
    pattern: (subject) =>
      subject ? `Enter ${subject.label} in the correct format.` : 'Enter the value in the correct format.',
    invalidOption: (subject) =>
      subject ? `Select one of the options for ${subject.label}.` : 'Select one of the options.',
    invalidType: (subject) =>
      subject
        ? `The entry for ${subject.label} could not be read. Enter it again.`
        : 'The entry could not be read. Enter it again.',
  },
};

interface Params {
  has(name: string): boolean;
  text(name: string): string;
  number(name: string): string;
}

function paramsOf(error: FieldError, locale: Locale): Params {
  const params = error.params ?? {};
  const numbers = new Intl.NumberFormat(locale === 'de' ? 'de-DE' : 'en-GB');
  return {
    has: (name) => params[name] !== undefined,
    text: (name) => String(params[name] ?? ''),
    number: (name) => {
      const value = params[name];
      return typeof value === 'number' ? numbers.format(value) : String(value ?? '?');
    },
  };
}

/** A sentence for the user, naming the field by its label when given. */
export function errorMessage(error: FieldError, locale: Locale, label?: string): string {
  const subject = label !== undefined && label.trim() !== '' ? { label: label.trim() } : undefined;
  return MESSAGES[locale][error.code](subject, paramsOf(error, locale));
}
