/**
 * What one component type module (`components/<type>.ts`) provides, and what it is given. The registry
 * (registry.ts) finds a type's module by `type`; the generic files (schema, validate, render, summary,
 * translate) walk the tree and ask it. The component interfaces themselves are in model.ts. Pure, and zod only as a type: a module's
 * zod schema is built from the kit schema.ts passes in, so the validator (which Temporal bundles into the
 * case workflow) and the browser script never load zod.
 */
import type { z } from 'zod';
import type { Variables } from './expressions.js';
import type { PathSegment } from './paths.js';
import type { SchemaKit } from './schema-kit.js';
import type { UiText } from './ui-text.js';
import type {
  Adorners,
  ComponentBase,
  ComponentTranslation,
  FieldError,
  FormComponent,
  InputBase,
  Locale,
} from './model.js';

// --- Values ---

export type FieldValue = string | number | boolean | unknown[];

/** What reading one field's raw input gave: the typed value (kept even with most errors, for re-rendering). */
export interface FieldOutcome {
  value?: FieldValue;
  error?: Pick<FieldError, 'code' | 'params'>;
}

/** What a field's check may need besides its raw input. */
export interface ReadContext {
  /** See `ValidationOptions.locale`. */
  locale?: Locale;
  /** See `ValidationOptions.today`. */
  today?: string;
  /** Document ids ticked in `_removeFile`, lower case. */
  removedFiles: ReadonlySet<string>;
}

// --- Rendering ---

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

/** One rendering of a form. */
export interface RenderRun {
  state: RenderState;
  text: UiText;
  scope: Variables;
  errors: Map<string, FieldError>;
  /** The names the form's values take, and `this`/`parent`/`i`: what the browser script can know. */
  names: ReadonlySet<string>;
}

/** Where components are rendered: the data path their keys are relative to, enclosing list items, FEEL scope. */
export interface Place {
  base: PathSegment[];
  indexes: number[];
  scope: Variables;
}

/** What every component's view carries (`partials/component-attributes.hbs`). */
export interface ComponentView {
  id: string;
  /** `data-hide-if`: the FEEL condition (without `=`), for the browser script (forms/browser/). */
  hideIf?: string;
  /** The condition is true now: rendered with `hidden`, so the browser script can reveal it without a round trip. */
  hidden: boolean;
}

/** What a module's `view` gets: its place, the run, and (for groups and lists) a way to render children. */
export interface ViewContext {
  place: Place;
  run: RenderRun;
  hidden: boolean;
  hideIf: string | undefined;
  renderChildren(components: readonly FormComponent[], place: Place): string;
}

export interface OptionView {
  id: string;
  value: string;
  /** `data-value-type` for an option whose value is a number or boolean (the value attribute is text). */
  valueType?: 'number' | 'boolean';
  label: string;
  selected: boolean;
}

export interface FileView {
  id: string;
  name: string;
  size: string;
  removeId: string;
  removeLabel: string;
}

export interface DatetimePartView {
  id: string;
  name: string;
  label: string;
  type: 'date' | 'time';
  value: string;
  min?: string;
  step?: string;
}

/** What an input module adds to the view every input partial gets (render.ts builds the rest). */
export interface FieldParts {
  /** The control's `value`; default: the stored value as text. */
  value?: string;
  inputType?: string;
  inputMode?: string;
  /** `data-value-type="string"`: a number field with `serializeToString`. */
  valueType?: 'string';
  adorners?: Adorners;
  /** Derived from the key when `properties.autocomplete` does not say (text fields). */
  autocomplete?: string;
  options?: OptionView[];
  min?: string;
  step?: string;
  legend?: string;
  parts?: DatetimePartView[];
  accept?: string;
  multiple?: boolean;
  files?: FileView[];
}

/** What an input module's `field` gets. */
export interface FieldContext {
  id: string;
  /** The control's name: the value's data path. */
  name: string;
  stored: unknown;
  error: FieldError | undefined;
  place: Place;
  run: RenderRun;
}

// --- The module of one component type ---

/** The properties a translation file may set, see translate.ts. */
export type TranslatableProperty = keyof ComponentTranslation;

/**
 * One component type. Methods (not function properties) on purpose: the registry holds every module as a
 * `ComponentDefinition<FormComponent>` and only ever calls one with a component of its own `type`.
 */
export interface ComponentDefinition<C extends FormComponent, Parsed = C> {
  type: C['type'];
  /**
   * `input`: a control the user fills in (key, label, `validate`); `computed`: a value from FEEL (expression);
   * `container`: children (group, dynamiclist); `static`: shows something, holds no value.
   */
  kind: 'input' | 'computed' | 'container' | 'static';
  /** The zod schema of the `.form` JSON, built from the kit schema.ts passes in. */
  schema(kit: SchemaKit): z.ZodType<Parsed>;
  /**
   * What the designer should hear about a parsed component that still runs (schema.ts lists them as warnings):
   * markup the sanitizer removes, an image without alt text. Never a reason to refuse the form.
   */
  warnings?(component: Parsed, kit: SchemaKit): string[];
  /** The label that names it in messages and summaries. */
  label(component: C): string | undefined;
  /** The properties a translation may set (translate.ts checks entries against them). */
  translatable(component: C): readonly TranslatableProperty[];
  /** The component with the entry's texts in place of the German ones; never changes the component. */
  translate(component: C, entry: ComponentTranslation): C;
  /** The view for `partials/<type>.hbs`; `undefined`: nothing is rendered. Inputs: see `InputBehaviour.field`. */
  view?(component: C, context: ViewContext): object | undefined;
  /** Inputs only: how its value is read, checked, shown and summarized. */
  input?: InputBehaviour<C>;
  /** Computed components: the value from FEEL over the form's data, as JSON data (`undefined`/`null`: none). */
  compute?(component: C, scope: Variables): unknown;
  /** Inputs and expression fields: a stored value as text for the answer summary. */
  answer?(component: C, value: unknown, locale: Locale, scope: Variables): string;
}

export interface InputBehaviour<C extends FormComponent> {
  /** `readonly` works on this control in HTML (text-like inputs); otherwise a read-only field renders `disabled`. */
  textual: boolean;
  /** The value of an untouched form (its default or empty value); `undefined`: left out. */
  initial(component: C): FieldValue | undefined;
  /** Pass 1 of the validator: the raw input (string, string[] or JSON) typed and checked. */
  read(component: C, raw: unknown, context: ReadContext): FieldOutcome;
  /** Pass 2, where the FEEL scope exists (dynamic options): the outcome checked again. */
  settle?(component: C, outcome: FieldOutcome, scope: Variables): FieldOutcome;
  /** The type's part of the field view. */
  field(component: C, context: FieldContext): FieldParts;
}

// --- Small helpers the modules share ---

/** A label that names something, or undefined for an empty one. */
export function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === '' ? undefined : text;
}

/** The `label` property as the name in messages (`''` names nothing). */
export function ownLabel(component: { label?: string }): string | undefined {
  return component.label === '' ? undefined : component.label;
}

export function elementId(prefix: string, component: ComponentBase, indexes: readonly number[]): string {
  return `${prefix}-${component.id}${indexes.map((index) => `-${index}`).join('')}`;
}

/** A stored value as control text. */
export function displayValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/** Label and description, the translatable texts of most inputs. */
export function translateInput<C extends InputBase>(component: C, entry: ComponentTranslation): C {
  return {
    ...component,
    label: entry.label ?? component.label,
    description: entry.description ?? component.description,
  };
}

/** Only the label (containers, buttons, expression fields). */
export function translateLabel<C extends { label?: string }>(component: C, entry: ComponentTranslation): C {
  return entry.label === undefined ? component : { ...component, label: entry.label };
}

/** Label, description and adorners (text and number fields). */
export function translateAdorned<C extends InputBase & { appearance?: Adorners }>(
  component: C,
  entry: ComponentTranslation,
): C {
  return {
    ...translateInput(component, entry),
    appearance:
      component.appearance === undefined && entry.appearance === undefined
        ? undefined
        : { ...component.appearance, ...entry.appearance },
  };
}
