/**
 * The types of a parsed form: what `parseForm` (schema.ts) returns, one interface per component type, and
 * the few types every layer shares (errors, locales, translations). Types only, importing nothing: the
 * component type modules (components/), the generic files and the callers all build on it, so no import
 * cycle runs through it. What each type accepts (its zod schema) and does is in `components/<type>.ts`.
 */

// --- Properties shared by component types ---
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

export interface ComponentBase {
  id: string;
  layout?: Layout;
  /**
   * Custom properties: metadata for tools. One is read: `autocomplete`, rendered as the HTML attribute
   * (WCAG 1.3.5 asks for it on fields about the user, e.g. `tel`, `email`, `organization`).
   */
  properties?: Record<string, string>;
  conditional?: Conditional;
}

export interface KeyedBase extends ComponentBase {
  /** The variable the value is stored under; dots nest it (`address.street`). */
  key: string;
}

export interface InputBase extends KeyedBase {
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

export interface ChoiceValidation {
  required?: boolean;
}

export interface OptionsBase {
  /** Exactly one of `values`, `valuesKey` (a variable of the context holding the options) and `valuesExpression`. */
  values?: Option[];
  valuesKey?: string;
  valuesExpression?: Expression;
}

export interface ContainerBase extends ComponentBase {
  label?: string;
  components: FormComponent[];
  showOutline?: boolean;
  /** Accepted, no effect: each field takes its own row on small screens anyway. */
  verticalAlignment?: 'start' | 'center' | 'end';
}

/** What a container's zod schema yields: the children are parsed one by one afterwards (depth, problems). */
export type Shell<T extends { components: FormComponent[] }> = Omit<T, 'components'> & { components: unknown[] };

// --- Inputs ---
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

// --- Computed, containers, presentation ---
/** Not shown; its value is computed with FEEL from the form's data when the form is submitted. */
export interface ExpressionComponent extends KeyedBase {
  type: 'expression';
  expression: Expression;
  /** Both compute on submit here: there is no client-side change event without JavaScript. */
  computeOn?: 'change' | 'presubmit';
  label?: string;
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
  columnsExpression?: string;
  dataSource: string;
  /** Accepted, no effect: every row is shown (paging needs JavaScript or extra requests). */
  rowCount?: number;
}

export interface ImageComponent extends ComponentBase {
  type: 'image';
  /** An http(s) or data:image URL, or a FEEL expression yielding one. */
  source: string;
  /** Text alternative (WCAG 1.1.1), static or FEEL; `""` marks a decorative image; missing: a warning, shown as `""`. */
  alt?: string;
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

// --- Unions ---
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

export type ComponentType = FormComponent['type'];

/** What a type's zod schema yields: the component, a container still with unparsed children. */
export type ParsedComponent =
  Exclude<FormComponent, GroupComponent | DynamicListComponent> | Shell<GroupComponent> | Shell<DynamicListComponent>;

// --- The form ---
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

// --- Errors ---
/** The portal's languages: German first, English. Numbers follow them too (`de` `1.234,5`, `en` `1,234.5`). */
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
  /** A sentence of the caller's own, shown instead of the code's (e.g. why the portal refused an upload). */
  message?: string;
}

// --- Translations ---
export type TranslationLocale = 'en';

export interface ComponentTranslation {
  label?: string;
  description?: string;
  /** text components (Markdown with `{{…}}` templates). */
  text?: string;
  /** html components. */
  content?: string;
  /** image components with a static alt text. */
  alt?: string;
  /** datetime components. */
  dateLabel?: string;
  timeLabel?: string;
  /** Option labels by option value (static `values` only). */
  values?: Record<string, string>;
  /** Column labels by column key (tables with static `columns`). */
  columns?: Record<string, string>;
  appearance?: { prefixAdorner?: string; suffixAdorner?: string };
}

export interface FormTranslation {
  components: Record<string, ComponentTranslation>;
}
