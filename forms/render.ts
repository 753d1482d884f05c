/**
 * Renders form fields and the error summary as HTML fragments. The caller wraps them in its own
 * <form> with CSRF token and buttons. Every string from the form or the user goes through `{{ }}`.
 */
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import type { FormComponent, FormSchema, InputComponent, TextComponent } from './schema.js';
import { errorMessage, type FieldError, type Locale } from './validate.js';

export interface RenderState {
  /** Typed values as `initialValues` or `validateSubmission` return them: pass the latter on re-render. */
  values: Record<string, unknown>;
  errors: FieldError[];
  locale: Locale;
}

export interface FormRenderer {
  /** The fields in form order, without <form>, CSRF token and buttons. */
  renderFields(form: FormSchema, state: RenderState): string;
  /** The summary to put at the top of the page; empty when there are no errors. */
  renderErrorSummary(form: FormSchema, errors: FieldError[], locale: Locale): string;
}

/** The HTML id of a component's control (for radios: the first option), the target of error summary links. */
export function fieldId(componentId: string): string {
  return `field-${componentId}`;
}

export const ERROR_SUMMARY_ID = 'error-summary';

const UI_TEXT: Record<Locale, { required: string; choose: string; errorPrefix: string; summaryTitle: string }> = {
  de: {
    required: '(Pflichtfeld)',
    choose: 'Bitte auswählen',
    errorPrefix: 'Fehler:',
    summaryTitle: 'Bitte prüfen Sie Ihre Angaben',
  },
  en: {
    required: '(required)',
    choose: 'Please select',
    errorPrefix: 'Error:',
    summaryTitle: 'There is a problem',
  },
};

// Inline partials sit inside a tag or a line, so their file's final newline is cut; block partials keep it.
const INLINE_PARTIALS = ['field-label-text', 'field-attributes'] as const;
const BLOCK_PARTIALS = ['field-hint', 'field-error'] as const;

interface OptionView {
  id: string;
  value: string;
  label: string;
  selected: boolean;
}

interface FieldView {
  id: string;
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
}

interface TextView {
  id: string;
  paragraphs: string[][];
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

export function createFormRenderer(): FormRenderer {
  const handlebars = Handlebars.create();
  const partialsDir = new URL('./partials/', import.meta.url);
  const load = (name: string) => readFileSync(new URL(`${name}.hbs`, partialsDir), 'utf8');

  for (const name of INLINE_PARTIALS) {
    handlebars.registerPartial(name, handlebars.compile(load(name).trimEnd(), COMPILE_OPTIONS));
  }
  for (const name of BLOCK_PARTIALS) handlebars.registerPartial(name, handlebars.compile(load(name), COMPILE_OPTIONS));
  const inputTemplate = (type: InputComponent['type']): Template<FieldView> =>
    handlebars.compile<FieldView>(load(type), COMPILE_OPTIONS);
  const text = handlebars.compile<TextView>(load('text'), COMPILE_OPTIONS);
  const inputs: Record<InputComponent['type'], Template<FieldView>> = {
    textfield: inputTemplate('textfield'),
    textarea: inputTemplate('textarea'),
    select: inputTemplate('select'),
    radio: inputTemplate('radio'),
    checkbox: inputTemplate('checkbox'),
  };
  const errorSummary = handlebars.compile<ErrorSummaryView>(load('error-summary'), COMPILE_OPTIONS);

  const renderComponent = (component: FormComponent, state: RenderState): string =>
    component.type === 'text' ? text(textView(component)) : inputs[component.type](fieldView(component, state));

  return {
    renderFields: (form, state) => form.components.map((component) => renderComponent(component, state)).join(''),
    renderErrorSummary: (form, errors, locale) =>
      errors.length === 0 ? '' : errorSummary(errorSummaryView(form, errors, locale)),
  };
}

// A blank line starts a paragraph, a single line break stays one; no Markdown or HTML beyond that yet.
function textView(component: TextComponent): TextView {
  const paragraphs = component.text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '')
    .map((paragraph) => paragraph.split('\n').map((line) => line.trim()));
  return { id: `text-${component.id}`, paragraphs };
}

function fieldView(component: InputComponent, { values, errors, locale }: RenderState): FieldView {
  const id = fieldId(component.id);
  const text = UI_TEXT[locale];
  const fixed = component.readonly === true || component.disabled === true;
  const required = component.validate?.required === true && !fixed;
  // readonly has no effect on select, radio and checkbox controls: those are disabled instead.
  const textual = component.type === 'textfield' || component.type === 'textarea';
  const fieldError = errors.find((error) => error.componentId === component.id);
  const hint = component.description ? { id: `${id}-hint`, text: component.description } : undefined;
  const error = fieldError
    ? { id: `${id}-error`, prefix: text.errorPrefix, text: errorMessage(fieldError, locale, component.label) }
    : undefined;
  const describedBy = [hint?.id, error?.id].filter((part) => part !== undefined).join(' ');
  const value = displayValue(values[component.key]);
  const options =
    component.type === 'select' || component.type === 'radio'
      ? component.values.map((option, index) => ({
          id: index === 0 ? id : `${id}-${index + 1}`,
          value: option.value,
          label: option.label,
          selected: option.value === value,
        }))
      : [];

  return {
    id,
    name: component.key,
    label: component.label,
    requiredText: required ? text.required : undefined,
    required,
    readonly: textual && component.readonly === true,
    disabled: component.disabled === true || (!textual && component.readonly === true),
    autocomplete: component.properties?.['autocomplete'],
    hint,
    error,
    describedBy: describedBy === '' ? undefined : describedBy,
    value,
    checked: values[component.key] === true,
    placeholder: text.choose,
    options,
  };
}

function displayValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

function errorSummaryView(form: FormSchema, errors: FieldError[], locale: Locale): ErrorSummaryView {
  const labels = new Map(form.components.map((component) => [component.id, labelOf(component)]));
  return {
    id: ERROR_SUMMARY_ID,
    title: UI_TEXT[locale].summaryTitle,
    items: errors.map((error) => ({
      href: `#${fieldId(error.componentId)}`,
      text: errorMessage(error, locale, labels.get(error.componentId)),
    })),
  };
}

function labelOf(component: FormComponent): string | undefined {
  return component.type === 'text' ? undefined : component.label;
}
