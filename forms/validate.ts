/**
 * The one validator for form submissions: used by the portal and admin routes and again inside the
 * case workflow, so it stays pure (no I/O, no clock, no Node built-ins). Temporal bundles it with
 * everything it imports: paths.ts, decimal.ts, expressions.ts (FEEL through engine/feel) and
 * components.ts; from schema.ts only types.
 */
import { isInputComponent } from './components.js';
import {
  compareDecimal,
  decimalOfNumber,
  formatDecimal,
  isMultipleOf,
  neighbouringMultiples,
  parseDecimal,
  readNumberText,
  toNumber,
  type Decimal,
} from './decimal.js';
import {
  findOption,
  flagValue,
  isHidden,
  itemScope,
  jsonValue,
  resolveOptions,
  rootScope,
  tryEvaluate,
  type ResolvedOption,
  type Variables,
} from './expressions.js';
import {
  deletePath,
  expandInput,
  fieldId,
  formatPath,
  indexesOf,
  listItems,
  readPath,
  splitKey,
  writePath,
  type PathSegment,
} from './paths.js';
import type {
  CheckboxComponent,
  ChoiceComponent,
  DatetimeComponent,
  DynamicListComponent,
  ExpressionComponent,
  FilePickerComponent,
  FormComponent,
  FormSchema,
  GroupComponent,
  InputComponent,
  NumberComponent,
  TextAreaComponent,
  TextFieldComponent,
} from './schema.js';

export type Locale = 'de' | 'en';

export type FieldErrorCode =
  | 'required'
  | 'minLength'
  | 'maxLength'
  | 'pattern'
  | 'email'
  | 'phone'
  | 'invalidOption'
  | 'invalidType'
  | 'notANumber'
  | 'numberFormat'
  | 'min'
  | 'max'
  | 'decimalDigits'
  | 'increment'
  | 'invalidDate'
  | 'datePassed'
  | 'invalidFile'
  | 'tooManyFiles';

export interface FieldError {
  componentId: string;
  /** The value's data path: `subject`, `address.street`, `contacts[1].email`; also the control's `name`. */
  key: string;
  /** The HTML id of the control (`field-<component id>`, `-<index>` per list item): the error summary's link target. */
  fieldId: string;
  code: FieldErrorCode;
  /**
   * `required`: `expected` (text | choice | choices | confirmation | file); `minLength`: `min`, `actual`;
   * `maxLength`: `max`, `actual`; `numberFormat`: `expected` (grouped | plain); `min`/`max`: the bound; `decimalDigits`: `max`; `increment`: `step`,
   * `lower`, `higher`; `invalidDate`: `expected` (date | time | datetime); `tooManyFiles`: `max`.
   */
  params?: Record<string, number | string>;
}

export interface ValidationResult {
  /**
   * Typed values, nested by key and path, only for keys of the form and only for components that are not
   * hidden. A value that breaks a length, pattern or number rule stays in (with its error) so a
   * re-rendered form keeps the input; values of the wrong type or outside the options do not.
   */
  values: Record<string, unknown>;
  /** At most one error per field (per list item), in form order. Empty means `values` satisfies every rule. */
  errors: FieldError[];
}

export interface ValidationOptions {
  /**
   * FEEL variables (case, company) for conditions, read-only/disabled expressions, `valuesKey`,
   * `valuesExpression` and expression fields. The form's own values shadow variables of the same name.
   * Pass the same context wherever the same submission is validated, or results differ.
   */
  context?: Variables;
  /** Today as `YYYY-MM-DD`, for `disallowPassedDates`. This code has no clock; without it that rule is not checked. */
  today?: string;
  /**
   * The language the user typed numbers in: `de` reads `1.000.000` and `3,5`, `en` `1,000,000` and
   * `3.5`. Without it, numbers are read as data (`12.5`, `12,5`, `1.234,5`, our own values) and shapes
   * that read differently in German and English (`50.000`) are refused. Pass it only for what a person
   * typed in a form of that language, and the same wherever the same input is validated.
   */
  locale?: Locale;
}

/** Checkboxes named like this (value: a document id) remove an uploaded file from any file picker. */
export const REMOVE_FILE_FIELD = '_removeFile';

type FieldValue = string | number | boolean | unknown[];

interface FieldOutcome {
  value?: FieldValue;
  error?: Pick<FieldError, 'code' | 'params'>;
}

// Pass 1 reads every field from the input into this tree; pass 2 applies conditions in form order.
type Node =
  | { kind: 'field'; component: InputComponent; path: PathSegment[]; outcome: FieldOutcome }
  | { kind: 'expression'; component: ExpressionComponent; path: PathSegment[] }
  | { kind: 'group'; component: GroupComponent; path: PathSegment[] | undefined; children: Node[] }
  | { kind: 'list'; component: DynamicListComponent; path: PathSegment[]; items: ListItem[] }
  | { kind: 'static'; component: FormComponent };

interface ListItem {
  data: Record<string, unknown>;
  indexes: number[];
  children: Node[];
}

/**
 * Checks a submission against its form. Input is an urlencoded body (strings, repeated names as
 * arrays, nested fields as `address.street` and `contacts[1].email`) or JSON (nested objects and
 * arrays, e.g. this function's own `values`). Never throws, whatever the input.
 *
 * Conditions are evaluated on every call, in form order, over the values read (form-js semantics: a
 * hidden component's value is removed before later conditions see it): hidden components are not
 * required and their values are dropped. Read-only and disabled components keep their defaults.
 */
export function validateSubmission(
  form: FormSchema,
  input: Record<string, unknown>,
  options: ValidationOptions = {},
): ValidationResult {
  const values: Record<string, unknown> = {};
  const tree = expandInput(input);
  const run: Run = { values, options, removedFiles: removedFiles(tree) };
  const nodes = read(form.components, [], tree, [], run);
  const errors: FieldError[] = [];
  settle(nodes, rootScope(options.context, values), { values, errors, options });
  return { values, errors };
}

interface Run {
  values: Record<string, unknown>;
  options: ValidationOptions;
  removedFiles: ReadonlySet<string>;
}

function removedFiles(tree: Record<string, unknown>): ReadonlySet<string> {
  const raw = tree[REMOVE_FILE_FIELD];
  const ids = Array.isArray(raw) ? raw : [raw];
  return new Set(ids.filter((id): id is string => typeof id === 'string').map((id) => id.toLowerCase()));
}

// --- Pass 1: read and type every field ---

function read(
  components: readonly FormComponent[],
  base: PathSegment[],
  input: unknown,
  indexes: number[],
  run: Run,
): Node[] {
  return components.map((component): Node => {
    switch (component.type) {
      case 'group': {
        const relative = splitKey(component.path);
        const path = relative.length > 0 ? [...base, ...relative] : undefined;
        const inner = relative.length > 0 ? readPath(input, relative) : input;
        return {
          kind: 'group',
          component,
          path,
          children: read(component.components, path ?? base, inner, indexes, run),
        };
      }
      case 'dynamiclist': {
        const relative = splitKey(component.path);
        const path = [...base, ...relative];
        const array: Record<string, unknown>[] = [];
        writePath(run.values, path, array);
        const items = listItems(readPath(input, relative)).map((item, index): ListItem => {
          const data: Record<string, unknown> = {};
          array.push(data);
          const itemIndexes = [...indexes, index];
          return {
            data,
            indexes: itemIndexes,
            children: read(component.components, [...path, index], item, itemIndexes, run),
          };
        });
        return { kind: 'list', component, path, items };
      }
      case 'expression':
        return { kind: 'expression', component, path: [...base, ...splitKey(component.key)] };
      default: {
        if (!isInputComponent(component)) return { kind: 'static', component };
        const relative = splitKey(component.key);
        const path = [...base, ...relative];
        const outcome = checkField(component, readPath(input, relative), run);
        if (outcome.value !== undefined) writePath(run.values, path, outcome.value);
        return { kind: 'field', component, path, outcome };
      }
    }
  });
}

function checkField(component: InputComponent, raw: unknown, run: Run): FieldOutcome {
  switch (component.type) {
    case 'textfield':
    case 'textarea':
      return checkText(component, raw);
    case 'number':
      return checkNumber(component, raw, run.options.locale);
    case 'datetime':
      return checkDatetime(component, raw, run.options.today);
    case 'checkbox':
      return checkCheckbox(component, raw);
    case 'select':
    case 'radio':
    case 'checklist':
    case 'taglist':
      // Static options are checked now; dynamic ones in pass 2, where their FEEL scope exists.
      return component.values !== undefined
        ? checkChoice(component, raw, component.values)
        : tentativeChoice(component, raw);
    case 'filepicker':
      return checkFiles(component, raw, run.removedFiles);
  }
}

// --- Pass 2: conditions, read-only/disabled, dynamic options, computed values, errors in form order ---

interface Settle {
  values: Record<string, unknown>;
  errors: FieldError[];
  options: ValidationOptions;
}

function settle(nodes: readonly Node[], scope: Variables, run: Settle): void {
  const write = (path: PathSegment[], value: unknown) => {
    if (value === undefined) clear(path);
    else {
      writePath(run.values, path, value);
      syncTopLevel(path);
    }
  };
  const clear = (path: PathSegment[]) => {
    deletePath(run.values, path);
    syncTopLevel(path);
  };
  // The root scope holds the top-level values; nested objects are shared, top-level slots are copied.
  const syncTopLevel = (path: PathSegment[]) => {
    const top = String(path[0]);
    if (Object.hasOwn(run.values, top)) scope[top] = run.values[top];
    else if (Object.hasOwn(scope, top)) delete scope[top];
  };

  const visit = (list: readonly Node[], local: Variables) => {
    for (const node of list) {
      if (isHidden(node.component.conditional, local)) {
        clearNode(node, clear);
        continue;
      }
      switch (node.kind) {
        case 'field': {
          const { component, path } = node;
          let outcome = node.outcome;
          if (flagValue(component.readonly, local) || flagValue(component.disabled, local)) {
            outcome = { value: initialValue(component) };
          } else if (isChoice(component) && component.values === undefined) {
            outcome = checkChoice(component, node.outcome.value, resolveOptions(component, local));
          }
          write(path, outcome.value);
          if (outcome.error) {
            run.errors.push({
              componentId: component.id,
              key: formatPath(path),
              fieldId: fieldId(component.id, indexesOf(path)),
              ...outcome.error,
            });
          }
          break;
        }
        case 'expression':
          write(node.path, jsonValue(tryEvaluate(node.component.expression, local)) ?? undefined);
          break;
        case 'group':
          visit(node.children, local);
          break;
        case 'list':
          for (const item of node.items) visit(item.children, itemScope(local, item.data, item.indexes));
          break;
        case 'static':
          break;
      }
    }
  };
  visit(nodes, scope);
}

function clearNode(node: Node, clear: (path: PathSegment[]) => void): void {
  switch (node.kind) {
    case 'field':
    case 'expression':
    case 'list':
      clear(node.path);
      return;
    case 'group':
      if (node.path !== undefined) clear(node.path);
      else for (const child of node.children) clearNode(child, clear);
      return;
    case 'static':
      return;
  }
}

function isChoice(component: InputComponent): component is ChoiceComponent {
  return (
    component.type === 'select' ||
    component.type === 'radio' ||
    component.type === 'checklist' ||
    component.type === 'taglist'
  );
}

// --- Initial values ---

/**
 * The values of an untouched form: defaults, unticked checkboxes as false, empty checklists as [],
 * dynamic lists with `defaultRepetitions` items (default 1). Conditions are not applied: a hidden
 * component is simply not rendered, and the validator drops its value.
 */
export function initialValues(form: Pick<FormSchema, 'components'>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  fillInitial(form.components, values);
  return values;
}

/** The values of one new item of a dynamic list (the `add` action). */
export function initialListItem(list: DynamicListComponent): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  fillInitial(list.components, item);
  return item;
}

function fillInitial(components: readonly FormComponent[], target: Record<string, unknown>): void {
  for (const component of components) {
    if (component.type === 'group') {
      const path = splitKey(component.path);
      if (path.length === 0) fillInitial(component.components, target);
      else {
        const inner: Record<string, unknown> = {};
        fillInitial(component.components, inner);
        if (Object.keys(inner).length > 0) writePath(target, path, inner);
      }
    } else if (component.type === 'dynamiclist') {
      const count = component.defaultRepetitions ?? 1;
      writePath(
        target,
        splitKey(component.path),
        Array.from({ length: count }, () => initialListItem(component)),
      );
    } else if (isInputComponent(component)) {
      const value = initialValue(component);
      if (value !== undefined) writePath(target, splitKey(component.key), value);
    }
  }
}

function initialValue(component: InputComponent): FieldValue | undefined {
  switch (component.type) {
    case 'checkbox':
      return component.defaultValue ?? false;
    case 'textfield':
    case 'textarea':
      return component.defaultValue === '' ? undefined : component.defaultValue;
    case 'number':
      return component.defaultValue === undefined ? undefined : checkNumber(component, component.defaultValue).value;
    case 'datetime':
      return component.defaultValue;
    case 'select':
    case 'radio':
      return component.defaultValue;
    case 'checklist':
    case 'taglist':
      return component.defaultValue ?? [];
    case 'filepicker':
      return undefined;
  }
}

// --- Field checks ---

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/;
// Lenient on purpose: people write 0351 1234567, +49 (351) 123 45-67, 0351/1234567.
const PHONE = /^\+?[0-9 ()/.-]+$/;

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
  const type = component.type === 'textfield' ? component.validate?.validationType : undefined;
  if (type === 'email' && !EMAIL.test(value)) return { value, error: { code: 'email' } };
  if (type === 'phone' && !(PHONE.test(value) && (value.match(/\d/g)?.length ?? 0) >= 6)) {
    return { value, error: { code: 'phone' } };
  }
  return { value };
}

/**
 * A text field's value: browsers send line breaks as CRLF; counting them as one character keeps the count
 * the user sees. NUL goes because PostgreSQL text and jsonb cannot store it. Then trimmed.
 */
export function normalizeText(raw: string): string {
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

function checkNumber(component: NumberComponent, raw: unknown, locale?: Locale): FieldOutcome {
  const rules = component.validate ?? {};
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
    return rules.required ? { error: { code: 'required', params: { expected: 'text' } } } : {};
  }
  let decimal: Decimal | undefined;
  if (typeof raw === 'number') decimal = decimalOfNumber(raw);
  else if (typeof raw === 'string') {
    const reading = readNumberText(raw, locale);
    if (!reading.ok) {
      // Refused text stays in the values (as typed), so the re-rendered form shows it: never a guess.
      return reading.problem === 'format'
        ? { value: raw.trim(), error: { code: 'numberFormat', params: { expected: locale ? 'grouped' : 'plain' } } }
        : { error: { code: 'notANumber' } };
    }
    decimal = reading.decimal;
  } else return { error: { code: 'invalidType' } };
  if (decimal === undefined) return { error: { code: 'notANumber' } };

  const value = component.serializeToString ? formatDecimal(decimal) : toNumber(decimal);
  const bound = (limit: number | undefined) => (limit === undefined ? undefined : decimalOfNumber(limit));
  const min = bound(rules.min);
  const max = bound(rules.max);
  if (min !== undefined && compareDecimal(decimal, min) < 0)
    return { value, error: { code: 'min', params: { min: toNumber(min) } } };
  if (max !== undefined && compareDecimal(decimal, max) > 0)
    return { value, error: { code: 'max', params: { max: toNumber(max) } } };
  if (component.decimalDigits !== undefined && decimal.scale > component.decimalDigits) {
    return { value, error: { code: 'decimalDigits', params: { max: component.decimalDigits } } };
  }
  const step =
    component.increment === undefined
      ? undefined
      : typeof component.increment === 'number'
        ? decimalOfNumber(component.increment)
        : parseDecimal(component.increment);
  if (step !== undefined && !step.negative && step.units !== 0n && !isMultipleOf(decimal, step)) {
    const [lower, higher] = neighbouringMultiples(decimal, step);
    return {
      value,
      error: { code: 'increment', params: { step: toNumber(step), lower: toNumber(lower), higher: toNumber(higher) } },
    };
  }
  return { value };
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const GERMAN_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;
const TIME = /^(\d{1,2})[:.](\d{2})(?::(00))?$/;

/** `2025-12-31` or `31.12.2025` → `2025-12-31`, if the day exists. */
function normalizeDate(text: string): string | undefined {
  const iso = ISO_DATE.exec(text);
  const german = iso ? undefined : GERMAN_DATE.exec(text);
  const [year, month, day] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : german
      ? [Number(german[3]), Number(german[2]), Number(german[1])]
      : [0, 0, 0];
  if (year < 1000 || month < 1 || month > 12 || day < 1) return undefined;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  if (day > days) return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** `14:30`, `9:05`, `14.30` or `14:30:00` → `14:30`. */
function normalizeTime(text: string): string | undefined {
  const match = TIME.exec(text);
  if (!match) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 23 || minutes > 59) return undefined;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

/** Reads a datetime as one string (JSON, `datetime-local`) or as the two inputs `<name>.date` and `<name>.time`. */
function datetimeParts(raw: unknown): { date: unknown; time: unknown } | undefined {
  if (typeof raw === 'string') {
    const [date = '', time = '', ...rest] = raw.trim().split(/[T ]/);
    return rest.length > 0 ? undefined : { date, time };
  }
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const part = (name: string): unknown => (Object.hasOwn(raw, name) ? Reflect.get(raw, name) : undefined);
    return { date: part('date') ?? '', time: part('time') ?? '' };
  }
  return undefined;
}

function checkDatetime(component: DatetimeComponent, raw: unknown, today: string | undefined): FieldOutcome {
  const subtype = component.subtype ?? 'date';
  const required = component.validate?.required === true;
  const missing: FieldOutcome = required ? { error: { code: 'required', params: { expected: 'text' } } } : {};
  const invalid: FieldOutcome = { error: { code: 'invalidDate', params: { expected: subtype } } };
  if (raw === undefined || raw === null || raw === '') return missing;

  let value: string | undefined;
  if (subtype === 'datetime') {
    const parts = datetimeParts(raw);
    if (parts === undefined) return typeof raw === 'string' ? invalid : { error: { code: 'invalidType' } };
    const { date, time } = parts;
    if (typeof date !== 'string' || typeof time !== 'string') return { error: { code: 'invalidType' } };
    if (date.trim() === '' && time.trim() === '') return missing;
    const normalizedDate = normalizeDate(date.trim());
    const normalizedTime = normalizeTime(time.trim());
    if (normalizedDate === undefined || normalizedTime === undefined) {
      // Half a date and time stays in (as `2025-07-01T`) so the re-rendered form keeps the half that was right.
      const half = `${normalizedDate ?? ''}T${normalizedTime ?? ''}`;
      return half === 'T' ? invalid : { value: half, error: invalid.error };
    }
    value = `${normalizedDate}T${normalizedTime}`;
  } else {
    if (typeof raw !== 'string') return { error: { code: 'invalidType' } };
    if (raw.trim() === '') return missing;
    value = subtype === 'date' ? normalizeDate(raw.trim()) : normalizeTime(raw.trim());
    if (value === undefined) return invalid;
  }
  if (component.disallowPassedDates && subtype !== 'time' && today !== undefined && value.slice(0, 10) < today) {
    return { value, error: { code: 'datePassed' } };
  }
  return { value };
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

function isMultiple(component: ChoiceComponent): boolean {
  return component.type === 'checklist' || component.type === 'taglist';
}

function isScalar(raw: unknown): raw is string | number | boolean {
  return typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean';
}

/** The shape check of pass 1 for options that only pass 2 knows. */
function tentativeChoice(component: ChoiceComponent, raw: unknown): FieldOutcome {
  if (raw === undefined || raw === null || raw === '') return {};
  if (isMultiple(component)) {
    const list = Array.isArray(raw) ? raw : [raw];
    return list.every(isScalar) ? { value: list } : {};
  }
  return isScalar(raw) ? { value: raw } : {};
}

function checkChoice(component: ChoiceComponent, raw: unknown, options: readonly ResolvedOption[]): FieldOutcome {
  const required = component.validate?.required === true;
  if (isMultiple(component)) {
    const list = raw === undefined || raw === null || raw === '' ? [] : Array.isArray(raw) ? raw : [raw];
    if (!list.every(isScalar)) return { value: [], error: { code: 'invalidType' } };
    const chosen = new Set(list.filter((entry) => entry !== '').map(String));
    // In option order, each once; a value outside the options is reported and left out.
    const value = options.filter((option) => chosen.has(String(option.value))).map((option) => option.value);
    if (value.length < chosen.size) return { value, error: { code: 'invalidOption' } };
    if (required && value.length === 0) return { value, error: { code: 'required', params: { expected: 'choices' } } };
    return { value };
  }
  if (raw === undefined || raw === null || raw === '') {
    return required ? { error: { code: 'required', params: { expected: 'choice' } } } : {};
  }
  if (!isScalar(raw)) return { error: { code: 'invalidType' } };
  const option = findOption(options, raw);
  return option === undefined ? { error: { code: 'invalidOption' } } : { value: option.value };
}

const DOCUMENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A file picker's value: the ids of documents the portal stored for uploaded files (the upload
 * handling puts them into the input under the field's name). Ids listed in `_removeFile` are left out.
 * Whether an id belongs to this case and user is the portal's check, not this one's.
 */
function checkFiles(component: FilePickerComponent, raw: unknown, removed: ReadonlySet<string>): FieldOutcome {
  const list = raw === undefined || raw === null || raw === '' ? [] : Array.isArray(raw) ? raw : [raw];
  const ids: string[] = [];
  for (const entry of list) {
    if (typeof entry !== 'string') return { error: { code: 'invalidFile' } };
    const id = entry.trim().toLowerCase();
    if (!DOCUMENT_ID.test(id)) return { error: { code: 'invalidFile' } };
    if (!removed.has(id) && !ids.includes(id)) ids.push(id);
  }
  if (ids.length === 0) {
    return component.validate?.required ? { error: { code: 'required', params: { expected: 'file' } } } : {};
  }
  if (!component.multiple && ids.length > 1) return { value: ids, error: { code: 'tooManyFiles', params: { max: 1 } } };
  return { value: ids };
}

// --- Messages ---

type Subject = { label: string } | undefined;

const quoted = (subject: Subject, fallback: string) => (subject ? `„${subject.label}“` : fallback);

/** Message sentences per locale; `subject` is undefined when the caller has no label. */
const MESSAGES: Record<Locale, Record<FieldErrorCode, (subject: Subject, params: Params) => string>> = {
  de: {
    required: (subject, params) => {
      switch (params.text('expected')) {
        case 'choice':
          return subject
            ? `Bitte wählen Sie bei „${subject.label}“ eine Möglichkeit aus.`
            : 'Bitte wählen Sie eine Möglichkeit aus.';
        case 'choices':
          return subject
            ? `Bitte wählen Sie bei „${subject.label}“ mindestens eine Möglichkeit aus.`
            : 'Bitte wählen Sie mindestens eine Möglichkeit aus.';
        case 'confirmation':
          return subject ? `Bitte bestätigen Sie „${subject.label}“.` : 'Bitte setzen Sie das Häkchen.';
        case 'file':
          return subject
            ? `Bitte laden Sie bei „${subject.label}“ eine Datei hoch.`
            : 'Bitte laden Sie eine Datei hoch.';
        default:
          return subject ? `Bitte füllen Sie „${subject.label}“ aus.` : 'Bitte füllen Sie dieses Feld aus.';
      }
    },
    minLength: (subject, params) =>
      `${quoted(subject, 'Die Eingabe')} muss mindestens ${params.number('min')} Zeichen lang sein.`,
    maxLength: (subject, params) =>
      `${quoted(subject, 'Die Eingabe')} darf höchstens ${params.number('max')} Zeichen lang sein` +
      (params.has('actual') ? ` (derzeit ${params.number('actual')}).` : '.'),
    pattern: (subject) =>
      subject
        ? `Bitte geben Sie „${subject.label}“ im richtigen Format an.`
        : 'Bitte geben Sie den Wert im richtigen Format an.',
    email: (subject) =>
      `Bitte geben Sie ${subject ? `bei „${subject.label}“ ` : ''}eine E-Mail-Adresse im Format name@beispiel.de an.`,
    phone: (subject) =>
      `Bitte geben Sie ${subject ? `bei „${subject.label}“ ` : ''}eine Telefonnummer an, z. B. 0351 1234567 oder +49 351 1234567.`,
    invalidOption: (subject) =>
      subject
        ? `Bitte wählen Sie bei „${subject.label}“ eine der angebotenen Möglichkeiten aus.`
        : 'Bitte wählen Sie eine der angebotenen Möglichkeiten aus.',
    invalidType: (subject) =>
      subject
        ? `Die Eingabe bei „${subject.label}“ konnte nicht gelesen werden. Bitte geben Sie sie erneut ein.`
        : 'Die Eingabe konnte nicht gelesen werden. Bitte geben Sie sie erneut ein.',
    notANumber: (subject) => `${quoted(subject, 'Die Eingabe')} muss eine Zahl sein, z. B. 12 oder 12,5.`,
    numberFormat: (subject, params) =>
      params.text('expected') === 'grouped'
        ? `${quoted(subject, 'Die Zahl')} bitte im Format 1.234.567,89 eingeben: Punkte nur zwischen Dreiergruppen, ` +
          'Komma vor den Nachkommastellen (oder ohne Punkte: 1234567,89).'
        : `${quoted(subject, 'Die Zahl')} ist nicht eindeutig. Bitte ohne Tausenderpunkte eingeben, z. B. 50000 oder 1234,5.`,
    min: (subject, params) => `${quoted(subject, 'Die Zahl')} muss mindestens ${params.number('min')} sein.`,
    max: (subject, params) => `${quoted(subject, 'Die Zahl')} darf höchstens ${params.number('max')} sein.`,
    decimalDigits: (subject, params) =>
      params.text('max') === '0'
        ? `${quoted(subject, 'Die Zahl')} muss eine ganze Zahl sein.`
        : `${quoted(subject, 'Die Zahl')} darf höchstens ${params.number('max')} Nachkommastellen haben.`,
    increment: (subject, params) =>
      `${quoted(subject, 'Die Zahl')} muss ein Vielfaches von ${params.number('step')} sein, ` +
      `z. B. ${params.number('lower')} oder ${params.number('higher')}.`,
    invalidDate: (subject, params) => {
      switch (params.text('expected')) {
        case 'time':
          return `${quoted(subject, 'Die Uhrzeit')} muss eine gültige Uhrzeit sein, z. B. 14:30.`;
        case 'datetime':
          return `Bitte geben Sie ${subject ? `bei „${subject.label}“ ` : ''}ein gültiges Datum und eine Uhrzeit an, z. B. 31.12.2025 und 14:30.`;
        default:
          return `${quoted(subject, 'Das Datum')} muss ein gültiges Datum sein, z. B. 31.12.2025.`;
      }
    },
    datePassed: (subject) => `${quoted(subject, 'Das Datum')} darf nicht in der Vergangenheit liegen.`,
    invalidFile: (subject) =>
      `Die Datei${subject ? ` bei „${subject.label}“` : ''} konnte nicht zugeordnet werden. Bitte laden Sie sie erneut hoch.`,
    tooManyFiles: (subject) =>
      subject ? `Bitte laden Sie bei „${subject.label}“ nur eine Datei hoch.` : 'Bitte laden Sie nur eine Datei hoch.',
  },
  en: {
    required: (subject, params) => {
      switch (params.text('expected')) {
        case 'choice':
          return subject ? `Select ${subject.label}.` : 'Select an option.';
        case 'choices':
          return subject ? `Select at least one option for ${subject.label}.` : 'Select at least one option.';
        case 'confirmation':
          return subject ? `Confirm “${subject.label}”.` : 'Tick the box to confirm.';
        case 'file':
          return subject ? `Upload a file for ${subject.label}.` : 'Upload a file.';
        default:
          return subject ? `Enter ${subject.label}.` : 'Fill in this field.';
      }
    },
    minLength: (subject, params) =>
      `${subject?.label ?? 'The entry'} must be at least ${params.number('min')} characters long.`,
    maxLength: (subject, params) =>
      `${subject?.label ?? 'The entry'} must be ${params.number('max')} characters or fewer` +
      (params.has('actual') ? ` (currently ${params.number('actual')}).` : '.'),
    pattern: (subject) =>
      subject ? `Enter ${subject.label} in the correct format.` : 'Enter the value in the correct format.',
    email: (subject) =>
      `Enter ${subject ? `${subject.label} as ` : ''}an email address in the correct format, like name@example.com.`,
    phone: (subject) =>
      `Enter ${subject ? `${subject.label} as ` : ''}a telephone number, like 0351 1234567 or +49 351 1234567.`,
    invalidOption: (subject) =>
      subject ? `Select one of the options for ${subject.label}.` : 'Select one of the options.',
    invalidType: (subject) =>
      subject
        ? `The entry for ${subject.label} could not be read. Enter it again.`
        : 'The entry could not be read. Enter it again.',
    notANumber: (subject) => `${subject?.label ?? 'The entry'} must be a number, like 12 or 12.5.`,
    numberFormat: (subject, params) =>
      params.text('expected') === 'grouped'
        ? `Enter ${subject ? `${subject.label} ` : 'the number '}like 1,234,567.89: commas only between groups of three ` +
          'digits, a point before the decimals (or without commas: 1234567.89).'
        : `${subject?.label ?? 'The number'} is ambiguous. Enter it without thousands separators, like 50000 or 1234.5.`,
    min: (subject, params) => `${subject?.label ?? 'The number'} must be ${params.number('min')} or more.`,
    max: (subject, params) => `${subject?.label ?? 'The number'} must be ${params.number('max')} or less.`,
    decimalDigits: (subject, params) =>
      params.text('max') === '0'
        ? `${subject?.label ?? 'The number'} must be a whole number.`
        : `${subject?.label ?? 'The number'} must have ${params.number('max')} decimal places or fewer.`,
    increment: (subject, params) =>
      `${subject?.label ?? 'The number'} must be a multiple of ${params.number('step')}, ` +
      `like ${params.number('lower')} or ${params.number('higher')}.`,
    invalidDate: (subject, params) => {
      switch (params.text('expected')) {
        case 'time':
          return `${subject?.label ?? 'The time'} must be a real time, like 14:30.`;
        case 'datetime':
          return `Enter a real date and time${subject ? ` for ${subject.label}` : ''}, like 31.12.2025 and 14:30.`;
        default:
          return `${subject?.label ?? 'The date'} must be a real date, like 31.12.2025.`;
      }
    },
    datePassed: (subject) => `${subject?.label ?? 'The date'} must be today or in the future.`,
    invalidFile: (subject) => `The file${subject ? ` for ${subject.label}` : ''} could not be found. Upload it again.`,
    tooManyFiles: (subject) => (subject ? `Upload only one file for ${subject.label}.` : 'Upload only one file.'),
  },
};

interface Params {
  has(name: string): boolean;
  text(name: string): string;
  number(name: string): string;
}

// Made on first use: building a NumberFormat costs more than formatting a whole error summary.
const numberFormats = new Map<Locale, Intl.NumberFormat>();

function numberFormat(locale: Locale): Intl.NumberFormat {
  let format = numberFormats.get(locale);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 20 });
    numberFormats.set(locale, format);
  }
  return format;
}

function paramsOf(error: FieldError, locale: Locale): Params {
  const params = error.params ?? {};
  const numbers = numberFormat(locale);
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
  // Errors may come back from the workflow as data: an unknown code still gets a sentence.
  const code = Object.hasOwn(MESSAGES[locale], error.code) ? error.code : 'invalidType';
  return MESSAGES[locale][code](subject, paramsOf(error, locale));
}
