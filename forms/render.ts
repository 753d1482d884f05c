/**
 * Renders form fields and the error summary as HTML fragments. The caller wraps them in its own
 * <form> with CSRF token and buttons. Every string from the form or the user goes through `{{ }}`;
 * the few `{{{ }}}` insert HTML built here: rendered children, Markdown (markdown.ts) and sanitized
 * HTML (sanitize-html.ts), both of which escape all text themselves.
 */
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { addActionValue, hasListActions, removeActionValue } from './actions.js';
import { labelOf, valueNames } from './components.js';
import { decimalOfNumber, formatDecimal, parseDecimal } from './decimal.js';
import {
  displayText,
  fillTemplate,
  flagValue,
  isHidden,
  itemScope,
  parseTemplate,
  resolveOptions,
  rootScope,
  tryEvaluate,
  type ResolvedOption,
  type Variables,
} from './expressions.js';
import { renderText } from './markdown.js';
import {
  LIST_ITEM_MARKER,
  fieldId,
  formatPath,
  indexesOf,
  isRecord,
  parsePath,
  readPath,
  splitKey,
  type PathSegment,
} from './paths.js';
import { escapeHtml, isSafeImageUrl, sanitizeHtml } from './sanitize-html.js';
import { localizeForm } from './translate.js';
import type {
  ButtonComponent,
  DatetimeComponent,
  DynamicListComponent,
  FilePickerComponent,
  FormComponent,
  FormSchema,
  GroupComponent,
  HtmlComponent,
  ImageComponent,
  InputComponent,
  TableComponent,
} from './schema.js';
import { REMOVE_FILE_FIELD, errorMessage, type FieldError, type Locale } from './validate.js';

export { fieldId } from './paths.js';

/** A document the portal stored for a file picker (shown with a remove checkbox). */
export interface UploadedFile {
  id: string;
  name: string;
  /** Bytes. */
  size: number;
}

export interface RenderState {
  /** Typed values as `initialValues` or `validateSubmission` return them: pass the latter on re-render. */
  values: Record<string, unknown>;
  errors: FieldError[];
  locale: Locale;
  /** FEEL variables (case, company): pass the same context the validator got, or conditions differ. */
  context?: Variables;
  /** Uploaded documents per file picker, keyed by the field's name (its data path, e.g. `attachments`). */
  files?: Record<string, UploadedFile[]>;
  /** Today as `YYYY-MM-DD`: becomes `min` of date inputs with `disallowPassedDates`. */
  today?: string;
}

export interface FormRenderer {
  /** The fields in form order, without <form>, CSRF token and the page's own buttons. */
  renderFields(form: FormSchema, state: RenderState): string;
  /** The summary to put at the top of the page; empty when there are no errors. */
  renderErrorSummary(form: FormSchema, errors: FieldError[], locale: Locale): string;
}

export const ERROR_SUMMARY_ID = 'error-summary';

interface UiText {
  required: string;
  choose: string;
  errorPrefix: string;
  summaryTitle: string;
  submit: string;
  noOptions: string;
  noEntries: string;
  noRows: string;
  uploadedFiles: string;
  item: (list: string | undefined, number: number) => string;
  add: (list: string | undefined) => string;
  remove: (item: string) => string;
  removeFile: (name: string) => string;
}

const UI_TEXT: Record<Locale, UiText> = {
  de: {
    required: '(Pflichtfeld)',
    choose: 'Bitte auswählen',
    errorPrefix: 'Fehler:',
    summaryTitle: 'Bitte prüfen Sie Ihre Angaben',
    submit: 'Absenden',
    noOptions: 'Derzeit gibt es keine Auswahlmöglichkeiten.',
    noEntries: 'Noch keine Einträge.',
    noRows: 'Keine Einträge.',
    uploadedFiles: 'Hochgeladene Dateien',
    item: (list, number) => (list ? `${list}, Eintrag ${number}` : `Eintrag ${number}`),
    add: (list) => (list ? `${list}: Eintrag hinzufügen` : 'Eintrag hinzufügen'),
    remove: (item) => `${item} entfernen`,
    removeFile: (name) => `„${name}“ entfernen`,
  },
  en: {
    required: '(required)',
    choose: 'Please select',
    errorPrefix: 'Error:',
    summaryTitle: 'There is a problem',
    submit: 'Submit',
    noOptions: 'There are no options at the moment.',
    noEntries: 'No entries yet.',
    noRows: 'Nothing to show.',
    uploadedFiles: 'Uploaded files',
    item: (list, number) => (list ? `${list}, entry ${number}` : `Entry ${number}`),
    add: (list) => (list ? `${list}: add an entry` : 'Add an entry'),
    remove: (item) => `Remove ${item}`,
    removeFile: (name) => `Remove “${name}”`,
  },
};

// Inline partials sit inside a tag or a line, so their file's final newline is cut; block partials keep it.
const INLINE_PARTIALS = ['field-label-text', 'field-attributes', 'field-described', 'component-attributes'] as const;
const BLOCK_PARTIALS = ['field-hint', 'field-error', 'field-adorner-start', 'field-adorner-end', 'checklist'] as const;

interface OptionView {
  id: string;
  value: string;
  /** `data-value-type` for an option whose value is a number or boolean (the value attribute is text). */
  valueType?: 'number' | 'boolean';
  label: string;
  selected: boolean;
}

interface FileView {
  id: string;
  name: string;
  size: string;
  removeId: string;
  removeLabel: string;
}

interface DatetimePartView {
  id: string;
  name: string;
  label: string;
  type: 'date' | 'time';
  value: string;
  min?: string;
  step?: string;
}

interface ComponentView {
  id: string;
  /** `data-hide-if`: the FEEL condition (without `=`), for the browser script (forms/browser/). */
  hideIf?: string;
  /** The condition is true now: rendered with `hidden`, so the browser script can reveal it without a round trip. */
  hidden: boolean;
}

interface FieldView extends ComponentView {
  name: string;
  label: string;
  requiredText?: string;
  required: boolean;
  readonly: boolean;
  disabled: boolean;
  autocomplete?: string;
  hint?: { id: string; text: string };
  error?: { id: string; prefix: string; text: string };
  describedBy?: string;
  value: string;
  checked: boolean;
  placeholder: string;
  options: OptionView[];
  emptyText: string;
  inputType: string;
  inputMode?: string;
  prefix?: { id: string; text: string };
  suffix?: { id: string; text: string };
  adorned: boolean;
  min?: string;
  step?: string;
  /** `data-value-type="string"`: a number field with `serializeToString`. */
  valueType?: 'string';
  legend?: string;
  parts?: DatetimePartView[];
  accept?: string;
  multiple: boolean;
  files: FileView[];
  filesLabel: string;
  removeName: string;
}

interface ContainerView extends ComponentView {
  legend?: string;
  outline: boolean;
  children: string;
}

interface ListView extends ComponentView {
  legend?: string;
  outline: boolean;
  path: string;
  items: { id: string; legend: string; marker: string; children: string; remove?: { value: string; text: string } }[];
  add?: { value: string; text: string };
  emptyText: string;
}

interface ErrorSummaryView {
  id: string;
  title: string;
  items: { href: string; text: string }[];
}

interface Views {
  field: FieldView;
  group: ContainerView;
  dynamiclist: ListView;
  /** `template`: the text's source when it has FEEL in it, for the browser script to render it again. */
  text: ComponentView & { blocks: string[]; template?: string };
  expression: ComponentView & { expression: string; path: string };
  html: ComponentView & { html: string };
  image: ComponentView & { src: string; alt: string };
  table: ComponentView & {
    caption?: string;
    columns: string[];
    rows: string[][];
    columnCount: number;
    emptyText: string;
  };
  separator: ComponentView;
  spacer: ComponentView & { height: number };
  button: ComponentView & { label: string; submit: boolean };
  row: { columns: { span: number; html: string }[] };
  defaultSubmit: { label: string };
}

type Template<View> = Handlebars.TemplateDelegate<View>;
type CompileOptions = Parameters<typeof Handlebars.compile>[1];

// Only built-in helpers: a form string can never be taken for a helper call.
const COMPILE_OPTIONS: CompileOptions = { knownHelpersOnly: true };

interface Templates {
  inputs: Record<InputComponent['type'], Template<FieldView>>;
  group: Template<ContainerView>;
  dynamiclist: Template<ListView>;
  text: Template<Views['text']>;
  expression: Template<Views['expression']>;
  html: Template<Views['html']>;
  image: Template<Views['image']>;
  table: Template<Views['table']>;
  separator: Template<Views['separator']>;
  spacer: Template<Views['spacer']>;
  button: Template<Views['button']>;
  row: Template<Views['row']>;
  defaultSubmit: Template<Views['defaultSubmit']>;
  errorSummary: Template<ErrorSummaryView>;
}

export function createFormRenderer(): FormRenderer {
  const handlebars = Handlebars.create();
  const partialsDir = new URL('./partials/', import.meta.url);
  const load = (name: string) => readFileSync(new URL(`${name}.hbs`, partialsDir), 'utf8');
  const compile = <View>(name: string): Template<View> => handlebars.compile<View>(load(name), COMPILE_OPTIONS);

  for (const name of INLINE_PARTIALS) {
    handlebars.registerPartial(name, handlebars.compile(load(name).trimEnd(), COMPILE_OPTIONS));
  }
  for (const name of BLOCK_PARTIALS) handlebars.registerPartial(name, handlebars.compile(load(name), COMPILE_OPTIONS));

  const templates: Templates = {
    inputs: {
      textfield: compile('textfield'),
      textarea: compile('textarea'),
      number: compile('number'),
      datetime: compile('datetime'),
      checkbox: compile('checkbox'),
      checklist: compile('checklist'),
      taglist: compile('taglist'),
      radio: compile('radio'),
      select: compile('select'),
      filepicker: compile('filepicker'),
    },
    group: compile('group'),
    dynamiclist: compile('dynamiclist'),
    text: compile('text'),
    expression: compile('expression'),
    html: compile('html'),
    image: compile('image'),
    table: compile('table'),
    separator: compile('separator'),
    spacer: compile('spacer'),
    button: compile('button'),
    row: compile('layout-row'),
    defaultSubmit: compile('default-submit'),
    errorSummary: compile('error-summary'),
  };

  return {
    renderFields: (written, state) => {
      const form = localizeForm(written, state.locale);
      const run = renderRun(form, state);
      const fields = renderComponents(form.components, { base: [], indexes: [], scope: run.scope }, run, templates);
      return hasListActions(form) ? templates.defaultSubmit({ label: run.text.submit }) + fields : fields;
    },
    renderErrorSummary: (form, errors, locale) =>
      errors.length === 0 ? '' : templates.errorSummary(errorSummaryView(localizeForm(form, locale), errors, locale)),
  };
}

interface RenderRun {
  state: RenderState;
  text: UiText;
  scope: Variables;
  errors: Map<string, FieldError>;
  /** The names the form's values take, and `this`/`parent`/`i`: what the browser script can know. */
  names: ReadonlySet<string>;
}

function renderRun(form: FormSchema, state: RenderState): RenderRun {
  return {
    state,
    text: UI_TEXT[state.locale],
    scope: rootScope(state.context, state.values),
    errors: new Map(state.errors.map((error) => [error.key, error])),
    names: valueNames(form.components, new Set(['this', 'parent', 'i'])),
  };
}

/** Where components are rendered: the data path their keys are relative to, enclosing list items, FEEL scope. */
interface Place {
  base: PathSegment[];
  indexes: number[];
  scope: Variables;
}

const GRID_COLUMNS = 16;

function renderComponents(
  components: readonly FormComponent[],
  place: Place,
  run: RenderRun,
  templates: Templates,
): string {
  // Hidden by condition: rendered with `hidden`, for the browser script to reveal. Always hidden: left out.
  const present = components.filter((component) => component.conditional?.hide !== true);
  const rendered = present.map((component) => ({
    component,
    html: renderComponent(component, place, run, templates, isHidden(component.conditional, place.scope)),
  }));
  if (!usesGrid(present)) return rendered.map(({ html }) => html).join('');

  // Components of one `layout.row` share a grid row; a width of null shares what the others leave. Hidden
  // components keep their place, so a row does not change shape when the script shows them. Expression
  // fields (invisible) go after the row they are in, outside the grid.
  const rows: (typeof rendered)[] = [];
  const after = new Map<typeof rendered, string>();
  let previousRow: string | undefined;
  for (const entry of rendered) {
    if (entry.html === '') continue;
    const last = rows[rows.length - 1];
    if (entry.component.type === 'expression') {
      if (last === undefined) rows.push([entry]);
      else after.set(last, (after.get(last) ?? '') + entry.html);
      continue;
    }
    const row = entry.component.layout?.row ?? undefined;
    if (last !== undefined && row !== undefined && row === previousRow) last.push(entry);
    else rows.push([entry]);
    previousRow = row;
  }
  return rows.map((row) => `${rowHtml(row, templates)}${after.get(row) ?? ''}`).join('');
}

function rowHtml(row: { component: FormComponent; html: string }[], templates: Templates): string {
  const fixed = row.reduce((sum, { component }) => sum + (component.layout?.columns ?? 0), 0);
  const automatic = row.filter(({ component }) => (component.layout?.columns ?? null) === null).length;
  const share = automatic === 0 ? 0 : Math.max(1, Math.floor((GRID_COLUMNS - fixed) / automatic));
  // A component alone at full width (or an expression field, which shows nothing) needs no grid around it.
  const [only] = row;
  if (
    row.length === 1 &&
    only !== undefined &&
    (only.component.type === 'expression' || (only.component.layout?.columns ?? GRID_COLUMNS) === GRID_COLUMNS)
  ) {
    return only.html;
  }
  return templates.row({
    columns: row.map(({ component, html }) => ({ span: component.layout?.columns ?? share, html })),
  });
}

function usesGrid(components: readonly FormComponent[]): boolean {
  const rows = new Set<string>();
  for (const component of components) {
    if (component.type === 'expression') continue;
    if (typeof component.layout?.columns === 'number') return true;
    const row = component.layout?.row;
    if (row === undefined || row === null) continue;
    if (rows.has(row)) return true;
    rows.add(row);
  }
  return false;
}

function hideIf(component: FormComponent): string | undefined {
  const hide = component.conditional?.hide;
  return typeof hide === 'string' ? hide.replace(/^=\s*/, '') : undefined;
}

function elementId(prefix: string, component: FormComponent, indexes: readonly number[]): string {
  return `${prefix}-${component.id}${indexes.map((index) => `-${index}`).join('')}`;
}

function renderComponent(
  component: FormComponent,
  place: Place,
  run: RenderRun,
  templates: Templates,
  hidden: boolean,
): string {
  const base = { hideIf: hideIf(component), hidden };
  switch (component.type) {
    case 'text':
      return templates.text({
        ...base,
        id: elementId('text', component, place.indexes),
        blocks: renderText(component.text, (expression) => displayText(tryEvaluate(expression, place.scope))),
        template: usesFormValues(component.text, run.names) ? component.text : undefined,
      });
    case 'html':
      return templates.html({
        ...base,
        id: elementId('html', component, place.indexes),
        html: htmlContent(component, place.scope),
      });
    case 'image': {
      const image = imageView(component, place.scope);
      return image === undefined
        ? ''
        : templates.image({ ...base, id: elementId('image', component, place.indexes), ...image });
    }
    case 'table':
      return templates.table({
        ...base,
        id: elementId('table', component, place.indexes),
        ...tableView(component, place.scope, run.text),
      });
    case 'separator':
      return templates.separator({ ...base, id: elementId('separator', component, place.indexes) });
    case 'spacer':
      return templates.spacer({
        ...base,
        id: elementId('spacer', component, place.indexes),
        height: component.height ?? 60,
      });
    case 'button':
      return templates.button({ ...base, ...buttonView(component, place.indexes) });
    case 'expression':
      // Shows nothing: it tells the browser script what to compute, and where the value goes.
      return templates.expression({
        ...base,
        id: elementId('expression', component, place.indexes),
        expression: component.expression.replace(/^=\s*/, ''),
        path: formatPath([...place.base, ...splitKey(component.key)]),
      });
    case 'group':
      return renderGroup(component, place, run, templates, hidden);
    case 'dynamiclist':
      return renderList(component, place, run, templates, hidden);
    default:
      // One flat object literal, no spreads: spreading a view this size costs more than rendering it.
      return templates.inputs[component.type](fieldView(component, place, run, hidden));
  }
}

function renderGroup(
  component: GroupComponent,
  place: Place,
  run: RenderRun,
  templates: Templates,
  hidden: boolean,
): string {
  const inner: Place = { ...place, base: [...place.base, ...splitKey(component.path)] };
  return templates.group({
    id: elementId('group', component, place.indexes),
    hideIf: hideIf(component),
    hidden,
    legend: nonEmpty(component.label),
    outline: component.showOutline === true,
    children: renderComponents(component.components, inner, run, templates),
  });
}

function renderList(
  component: DynamicListComponent,
  place: Place,
  run: RenderRun,
  templates: Templates,
  hidden: boolean,
): string {
  const path = [...place.base, ...splitKey(component.path)];
  const stored = readPath(run.state.values, path);
  const items = Array.isArray(stored) ? stored : [];
  const label = nonEmpty(component.label);
  const actions = component.allowAddRemove !== false;
  return templates.dynamiclist({
    id: elementId('list', component, place.indexes),
    hideIf: hideIf(component),
    hidden,
    legend: label,
    outline: component.showOutline !== false,
    path: formatPath(path),
    items: items.map((item, index) => {
      const indexes = [...place.indexes, index];
      const itemPath = [...path, index];
      const legend = run.text.item(label, index + 1);
      const data = isRecord(item) ? item : {};
      return {
        id: elementId('list', component, indexes),
        legend,
        marker: formatPath([...itemPath, LIST_ITEM_MARKER]),
        children: renderComponents(
          component.components,
          { base: itemPath, indexes, scope: itemScope(place.scope, data, indexes) },
          run,
          templates,
        ),
        remove: actions ? { value: removeActionValue(path, index), text: run.text.remove(legend) } : undefined,
      };
    }),
    add: actions ? { value: addActionValue(path), text: run.text.add(label) } : undefined,
    emptyText: run.text.noEntries,
  });
}

// --- Inputs ---

/** HTML autocomplete tokens for keys that name a well-known field about the user (WCAG 1.3.5). */
const AUTOCOMPLETE_BY_KEY: Readonly<Record<string, string>> = {
  email: 'email',
  emailaddress: 'email',
  mail: 'email',
  phone: 'tel',
  phonenumber: 'tel',
  telephone: 'tel',
  tel: 'tel',
  mobile: 'tel',
  street: 'address-line1',
  streetaddress: 'street-address',
  addressline1: 'address-line1',
  addressline2: 'address-line2',
  postalcode: 'postal-code',
  postcode: 'postal-code',
  zip: 'postal-code',
  zipcode: 'postal-code',
  plz: 'postal-code',
  city: 'address-level2',
  town: 'address-level2',
  country: 'country-name',
  companyname: 'organization',
  company: 'organization',
  organisation: 'organization',
  organization: 'organization',
  firstname: 'given-name',
  givenname: 'given-name',
  lastname: 'family-name',
  familyname: 'family-name',
  surname: 'family-name',
  fullname: 'name',
  jobtitle: 'organization-title',
  website: 'url',
};

function autocompleteOf(component: InputComponent): string | undefined {
  const explicit = component.properties?.['autocomplete'];
  if (explicit !== undefined) return explicit;
  if (component.type !== 'textfield') return undefined;
  const last = splitKey(component.key).at(-1)?.toLowerCase() ?? '';
  const derived = AUTOCOMPLETE_BY_KEY[last];
  if (derived !== undefined) return derived;
  const type = component.validate?.validationType;
  return type === 'email' ? 'email' : type === 'phone' ? 'tel' : undefined;
}

function inputTypeOf(component: InputComponent): string {
  if (component.type === 'textfield') {
    const type = component.validate?.validationType;
    return type === 'email' ? 'email' : type === 'phone' ? 'tel' : 'text';
  }
  if (component.type === 'datetime') return component.subtype === 'time' ? 'time' : 'date';
  return 'text';
}

function fieldView(component: InputComponent, place: Place, run: RenderRun, hidden: boolean): FieldView {
  const { state, text } = run;
  const path = [...place.base, ...splitKey(component.key)];
  const name = formatPath(path);
  const id = fieldId(component.id, place.indexes);
  const readonly = flagValue(component.readonly, place.scope);
  const disabled = flagValue(component.disabled, place.scope);
  const fixed = readonly || disabled;
  const required = component.validate?.required === true && !fixed;
  // readonly has no effect on choices, checkboxes and file inputs in HTML: those are disabled instead.
  const textual =
    component.type === 'textfield' ||
    component.type === 'textarea' ||
    component.type === 'number' ||
    component.type === 'datetime';
  const fieldError = run.errors.get(name);
  const label = labelOf(component) ?? '';
  const hint = component.description ? { id: `${id}-hint`, text: component.description } : undefined;
  const error = fieldError
    ? { id: `${id}-error`, prefix: text.errorPrefix, text: errorMessage(fieldError, state.locale, label) }
    : undefined;
  const adorners = component.type === 'textfield' || component.type === 'number' ? component.appearance : undefined;
  const prefix = adorners?.prefixAdorner ? { id: `${id}-prefix`, text: adorners.prefixAdorner } : undefined;
  const suffix = adorners?.suffixAdorner ? { id: `${id}-suffix`, text: adorners.suffixAdorner } : undefined;
  const describedBy = [prefix?.id, suffix?.id, hint?.id, error?.id].filter((part) => part !== undefined).join(' ');
  const stored = readPath(state.values, path);
  // A number the validator refused for its format is shown exactly as typed, never re-formatted.
  const value =
    component.type === 'number' && fieldError?.code !== 'numberFormat'
      ? numberText(stored, state.locale)
      : displayValue(stored);
  const datetime = component.type === 'datetime' ? datetimeView(component, id, name, stored, state.today) : undefined;
  const file = component.type === 'filepicker' ? fileView(component, id, name, stored, run) : undefined;
  const options =
    component.type === 'select' ||
    component.type === 'radio' ||
    component.type === 'checklist' ||
    component.type === 'taglist'
      ? optionViews(resolveOptions(component, place.scope), stored, id)
      : [];

  return {
    id,
    hideIf: hideIf(component),
    hidden,
    name,
    label,
    requiredText: required ? text.required : undefined,
    required,
    readonly: textual && readonly,
    disabled: disabled || (!textual && readonly),
    autocomplete: autocompleteOf(component),
    hint,
    error,
    describedBy: describedBy === '' ? undefined : describedBy,
    value,
    checked: stored === true,
    placeholder: text.choose,
    options,
    emptyText: text.noOptions,
    inputType: inputTypeOf(component),
    inputMode: component.type === 'number' ? (component.decimalDigits === 0 ? 'numeric' : 'decimal') : undefined,
    prefix,
    suffix,
    adorned: prefix !== undefined || suffix !== undefined,
    min: datetime?.min,
    step: datetime?.step,
    valueType: component.type === 'number' && component.serializeToString === true ? 'string' : undefined,
    legend: datetime?.legend,
    parts: datetime?.parts,
    accept: file?.accept,
    multiple: file?.multiple ?? false,
    files: file?.files ?? [],
    filesLabel: text.uploadedFiles,
    removeName: REMOVE_FILE_FIELD,
  };
}

function optionViews(options: readonly ResolvedOption[], stored: unknown, id: string): OptionView[] {
  const chosen = new Set((Array.isArray(stored) ? stored : [stored]).map(displayValue));
  return options.map((option, index) => ({
    id: index === 0 ? id : `${id}-${index + 1}`,
    value: String(option.value),
    valueType: typeof option.value === 'string' ? undefined : typeof option.value === 'number' ? 'number' : 'boolean',
    label: option.label,
    selected: chosen.has(String(option.value)),
  }));
}

function displayValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/**
 * A number as the user would type it: German decimal comma in German, never exponent notation. Text that
 * is not one of our own values (input the validator refused, like `1.00.0`) is shown as it was typed.
 */
function numberText(value: unknown, locale: Locale): string {
  const decimal =
    typeof value === 'number' ? decimalOfNumber(value) : typeof value === 'string' ? parseDecimal(value) : undefined;
  if (decimal === undefined || (typeof value === 'string' && formatDecimal(decimal) !== value)) {
    return displayValue(value);
  }
  return formatDecimal(decimal, locale === 'de' ? ',' : '.');
}

function datetimeView(
  component: DatetimeComponent,
  id: string,
  name: string,
  stored: unknown,
  today: string | undefined,
): Pick<FieldView, 'min' | 'step' | 'legend' | 'parts'> {
  const subtype = component.subtype ?? 'date';
  const value = typeof stored === 'string' ? stored : '';
  const min = component.disallowPassedDates && today !== undefined ? today : undefined;
  const step = component.timeInterval === undefined ? undefined : String(component.timeInterval * 60);
  if (subtype !== 'datetime')
    return { min: subtype === 'date' ? min : undefined, step: subtype === 'time' ? step : undefined };
  const [date = '', time = ''] = value.split('T');
  return {
    legend: nonEmpty(component.label),
    parts: [
      { id, name: `${name}.date`, label: component.dateLabel ?? '', type: 'date', value: date, min },
      { id: `${id}-time`, name: `${name}.time`, label: component.timeLabel ?? '', type: 'time', value: time, step },
    ],
  };
}

function fileView(
  component: FilePickerComponent,
  id: string,
  name: string,
  stored: unknown,
  run: RenderRun,
): Pick<FieldView, 'accept' | 'multiple' | 'files'> {
  const ids = Array.isArray(stored) ? stored.filter((entry) => typeof entry === 'string') : [];
  const known = new Map((run.state.files?.[name] ?? []).map((file) => [file.id, file]));
  const bytes = new Intl.NumberFormat(run.state.locale === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 1 });
  return {
    accept: component.accept,
    multiple: component.multiple === true,
    files: ids.map((fileId, index) => {
      const file = known.get(fileId);
      const fileName = file?.name ?? fileId;
      return {
        id: fileId,
        name: fileName,
        size: file === undefined ? '' : formatSize(file.size, bytes),
        removeId: `${id}-remove-${index + 1}`,
        removeLabel: run.text.removeFile(fileName),
      };
    }),
  };
}

function formatSize(size: number, numbers: Intl.NumberFormat): string {
  if (!Number.isFinite(size) || size < 0) return '';
  if (size < 1024) return `${numbers.format(size)} B`;
  if (size < 1024 * 1024) return `${numbers.format(size / 1024)} KB`;
  return `${numbers.format(size / 1024 / 1024)} MB`;
}

// --- Presentation components ---

/**
 * Whether a text's FEEL (`=…` or `{{…}}`) mentions a name of the form's values: only those texts can change
 * while the user types, so only they carry their source for the browser script. A name in a string literal
 * counts too; that costs an attribute, nothing else.
 */
function usesFormValues(text: string, names: ReadonlySet<string>): boolean {
  const feel = text.trimStart().startsWith('=')
    ? [text]
    : parseTemplate(text).flatMap((part) => ('expression' in part ? [part.expression] : []));
  return feel.some((expression) => (expression.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []).some((name) => names.has(name)));
}

// Template values are escaped before sanitizing: they can add text, never tags; URLs are checked after.
function htmlContent(component: HtmlComponent, scope: Variables): string {
  const filled = parseTemplate(component.content)
    .map((part) => ('text' in part ? part.text : escapeHtml(fillTemplate([part], scope))))
    .join('');
  return sanitizeHtml(filled).html;
}

function imageView(component: ImageComponent, scope: Variables): { src: string; alt: string } | undefined {
  const evaluate = (text: string) => (text.trimStart().startsWith('=') ? displayText(tryEvaluate(text, scope)) : text);
  const src = evaluate(component.source);
  return isSafeImageUrl(src) ? { src: src.trim(), alt: evaluate(component.alt) } : undefined;
}

const MAX_TABLE_ROWS = 1000;

function tableView(
  component: TableComponent,
  scope: Variables,
  text: UiText,
): Omit<Views['table'], 'id' | 'hideIf' | 'hidden'> {
  const columns = component.columns ?? evaluatedColumns(component.columnsExpression, scope);
  const data = tryEvaluate(component.dataSource, scope);
  const rows = (Array.isArray(data) ? data.slice(0, MAX_TABLE_ROWS) : []).map((row) =>
    columns.map((column) => displayText(isRecord(row) && Object.hasOwn(row, column.key) ? row[column.key] : undefined)),
  );
  return {
    caption: nonEmpty(component.label),
    columns: columns.map((column) => column.label),
    rows,
    columnCount: Math.max(1, columns.length),
    emptyText: text.noRows,
  };
}

function evaluatedColumns(expression: string | undefined, scope: Variables): { key: string; label: string }[] {
  const result = expression === undefined ? undefined : tryEvaluate(expression, scope);
  if (!Array.isArray(result)) return [];
  return result.flatMap((column) =>
    isRecord(column) && typeof column['key'] === 'string' && typeof column['label'] === 'string'
      ? [{ key: column['key'], label: column['label'] }]
      : [],
  );
}

function buttonView(
  component: ButtonComponent,
  indexes: readonly number[],
): { id: string; label: string; submit: boolean } {
  return { id: elementId('button', component, indexes), label: component.label, submit: component.action !== 'reset' };
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === '' ? undefined : text;
}

// --- Error summary ---

/**
 * Links each error to its control. Fields inside dynamic lists are named with their item
 * (“E-Mail (Ansprechpartner, Eintrag 2)”): the summary is read without the form around it.
 */
function errorSummaryView(form: FormSchema, errors: FieldError[], locale: Locale): ErrorSummaryView {
  const text = UI_TEXT[locale];
  const places = componentPlaces(form.components);
  return {
    id: ERROR_SUMMARY_ID,
    title: text.summaryTitle,
    items: errors.map((error) => {
      const place = places.get(error.componentId);
      const indexes = indexesOf(parsePath(error.key) ?? []);
      const items = (place?.lists ?? []).map((list, depth) =>
        text.item(nonEmpty(list.label), (indexes[depth] ?? 0) + 1),
      );
      const label = place ? labelOf(place.component) : undefined;
      const named = label !== undefined && items.length > 0 ? `${label} (${items.join('; ')})` : label;
      return {
        href: `#${error.fieldId ?? fieldId(error.componentId)}`,
        text: errorMessage(error, locale, named),
      };
    }),
  };
}

function componentPlaces(
  components: readonly FormComponent[],
  lists: DynamicListComponent[] = [],
  places = new Map<string, { component: FormComponent; lists: DynamicListComponent[] }>(),
): Map<string, { component: FormComponent; lists: DynamicListComponent[] }> {
  for (const component of components) {
    places.set(component.id, { component, lists });
    if (component.type === 'group') componentPlaces(component.components, lists, places);
    if (component.type === 'dynamiclist') componentPlaces(component.components, [...lists, component], places);
  }
  return places;
}
