/**
 * Renders form fields and the error summary as HTML fragments. The caller wraps them in its own
 * <form> with CSRF token and buttons. Every string from the form or the user goes through `{{ }}`;
 * the few `{{{ }}}` insert HTML built here: rendered children, Markdown (markdown.ts) and sanitized
 * HTML (sanitize-html.ts), both of which escape all text themselves.
 */
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { hasListActions } from './actions.js';
import {
  displayValue,
  nonEmpty,
  type ComponentView,
  type DatetimePartView,
  type FileView,
  type OptionView,
  type Place,
  type RenderRun,
  type RenderState,
  type ViewContext,
} from './component.js';
import { isComputed, isInputComponent, labelOf, valueNames } from './components.js';
import {
  displayText,
  fillTemplate,
  flagValue,
  isHidden,
  parseTemplate,
  rootScope,
  tryEvaluate,
  type Variables,
} from './expressions.js';
import { errorMessage } from './messages.js';
import { fieldId, formatPath, indexesOf, parsePath, readPath, splitKey } from './paths.js';
import { SUPPORTED_COMPONENT_TYPES, definitionOf, inputOf } from './registry.js';
import { localizeForm } from './translate.js';
import { isSafeLinkUrl } from './sanitize-html.js';
import { UI_TEXT } from './ui-text.js';
import { REMOVE_FILE_FIELD } from './validate.js';
import type {
  ComponentType,
  DynamicListComponent,
  FieldError,
  FormComponent,
  FormSchema,
  InputComponent,
  Locale,
} from './model.js';

export { fieldId } from './paths.js';
export type { RenderState, UploadedFile } from './component.js';

export interface FormRenderer {
  /** The fields in form order, without <form>, CSRF token and the page's own buttons. */
  renderFields(form: FormSchema, state: RenderState): string;
  /** The summary to put at the top of the page; empty when there are no errors. */
  renderErrorSummary(form: FormSchema, errors: FieldError[], locale: Locale): string;
  /**
   * In place of the fields of a task whose form is in another system (ADR 0034): a note and a link to it. The
   * reference is a URL or FEEL (`=…`) over `context`; one that is no safe http(s)/mailto URL is shown as text.
   */
  renderExternalForm(reference: string, state: { locale: Locale; context?: Variables }): string;
}

export const ERROR_SUMMARY_ID = 'error-summary';

// Inline partials sit inside a tag or a line, so their file's final newline is cut; block partials keep it.
const INLINE_PARTIALS = ['field-label-text', 'field-attributes', 'field-described', 'component-attributes'] as const;
const BLOCK_PARTIALS = ['field-hint', 'field-error', 'field-adorner-start', 'field-adorner-end', 'checklist'] as const;

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

interface ErrorSummaryView {
  id: string;
  title: string;
  items: { href: string; text: string }[];
}

type Template<View> = Handlebars.TemplateDelegate<View>;
type CompileOptions = Parameters<typeof Handlebars.compile>[1];

// Only built-in helpers: a form string can never be taken for a helper call.
const COMPILE_OPTIONS: CompileOptions = { knownHelpersOnly: true };

interface Templates {
  /** `partials/<type>.hbs`: the view of that type's module (`view`, or for inputs the `FieldView`). */
  components: ReadonlyMap<ComponentType, Template<object>>;
  row: Template<{ columns: { span: number; html: string }[] }>;
  defaultSubmit: Template<{ label: string }>;
  errorSummary: Template<ErrorSummaryView>;
  externalForm: Template<{ note: string; linkText: string; href?: string; reference: string }>;
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
    components: new Map(SUPPORTED_COMPONENT_TYPES.map((type) => [type, compile<object>(type)])),
    row: compile('layout-row'),
    defaultSubmit: compile('default-submit'),
    errorSummary: compile('error-summary'),
    externalForm: compile('external-form'),
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
    renderExternalForm: (reference, { locale, context }) => {
      const text = UI_TEXT[locale];
      const target = reference.trimStart().startsWith('=')
        ? displayText(tryEvaluate(reference, context ?? {}))
        : reference;
      const href = target.trim();
      return templates.externalForm({
        note: text.externalForm,
        linkText: text.openExternalForm,
        // A FEEL reference that gives nothing is shown as written: staff can still find the form.
        reference: target === '' ? reference : target,
        ...(/^(https?:|mailto:)/i.test(href) && isSafeLinkUrl(href) && { href }),
      });
    },
  };
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
    if (isComputed(entry.component)) {
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
    (isComputed(only.component) || (only.component.layout?.columns ?? GRID_COLUMNS) === GRID_COLUMNS)
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
    if (isComputed(component)) continue;
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

/** The type's partial with the type's view: inputs get the `FieldView`, the others their module's `view`. */
function renderComponent(
  component: FormComponent,
  place: Place,
  run: RenderRun,
  templates: Templates,
  hidden: boolean,
): string {
  const template = templates.components.get(component.type);
  if (template === undefined) return '';
  if (isInputComponent(component)) return template(fieldView(component, place, run, hidden));
  const context: ViewContext = {
    place,
    run,
    hidden,
    hideIf: hideIf(component),
    renderChildren: (children, inner) => renderComponents(children, inner, run, templates),
  };
  const view = definitionOf(component).view?.(component, context);
  return view === undefined ? '' : template(view);
}

// --- Inputs: what every input partial gets; its type's module adds its own parts ---

/** Text form-js evaluates before showing it (descriptions, adorners): `=FEEL` shows its result, `{{…}}` are filled in. */
function evaluatedText(text: string, scope: Variables): string {
  return text.trimStart().startsWith('=')
    ? displayText(tryEvaluate(text, scope))
    : fillTemplate(parseTemplate(text), scope);
}

function fieldView(component: InputComponent, place: Place, run: RenderRun, hidden: boolean): FieldView {
  const { state, text } = run;
  const input = inputOf(component);
  const path = [...place.base, ...splitKey(component.key)];
  const name = formatPath(path);
  const id = fieldId(component.id, place.indexes);
  const readonly = flagValue(component.readonly, place.scope);
  const disabled = flagValue(component.disabled, place.scope);
  const fixed = readonly || disabled;
  const required = component.validate?.required === true && !fixed;
  // readonly has no effect on choices, checkboxes and file inputs in HTML: those are disabled instead.
  const textual = input?.textual === true;
  const fieldError = run.errors.get(name);
  const label = labelOf(component) ?? '';
  const description = component.description ? evaluatedText(component.description, place.scope) : '';
  const hint = description !== '' ? { id: `${id}-hint`, text: description } : undefined;
  const error = fieldError
    ? { id: `${id}-error`, prefix: text.errorPrefix, text: errorMessage(fieldError, state.locale, label) }
    : undefined;
  const stored = readPath(state.values, path);
  const parts = input?.field(component, { id, name, stored, error: fieldError, place, run }) ?? {};
  const adorner = (which: string, source: string | undefined) => {
    const shown = source ? evaluatedText(source, place.scope) : '';
    return shown === '' ? undefined : { id: `${id}-${which}`, text: shown };
  };
  const prefix = adorner('prefix', parts.adorners?.prefixAdorner);
  const suffix = adorner('suffix', parts.adorners?.suffixAdorner);
  const describedBy = [prefix?.id, suffix?.id, hint?.id, error?.id].filter((part) => part !== undefined).join(' ');

  // One flat object literal, no spreads: spreading a view this size costs more than rendering it.
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
    autocomplete: component.properties?.['autocomplete'] ?? parts.autocomplete,
    hint,
    error,
    describedBy: describedBy === '' ? undefined : describedBy,
    value: parts.value ?? displayValue(stored),
    checked: stored === true,
    placeholder: text.choose,
    options: parts.options ?? [],
    emptyText: text.noOptions,
    inputType: parts.inputType ?? 'text',
    inputMode: parts.inputMode,
    prefix,
    suffix,
    adorned: prefix !== undefined || suffix !== undefined,
    min: parts.min,
    step: parts.step,
    valueType: parts.valueType,
    legend: parts.legend,
    parts: parts.parts,
    accept: parts.accept,
    multiple: parts.multiple ?? false,
    files: parts.files ?? [],
    filesLabel: text.uploadedFiles,
    removeName: REMOVE_FILE_FIELD,
  };
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
