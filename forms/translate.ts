/**
 * Translations of a form's texts. German is written in the `.form` file; every other language is a
 * file next to it named `<form file basename>.<locale>.json` (`general-inquiry-start.en.json`):
 *
 *   { "components": { "<component id>": { "label": "…", "values": { "<option value>": "…" } } } }
 *
 * A component without an entry (or an entry without a property) keeps its German text.
 * `parseFormTranslation` checks a file against its form; `translateForm` applies it. Pure.
 */
import { z } from 'zod';
import { allComponents } from './components.js';
import { htmlProblems, staticTextProblems, templateProblems, type FormComponent, type FormSchema } from './schema.js';

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

/** The translation file of a form file: `a/b/start.form` → `a/b/start.en.json`. */
export function translationFileName(formFile: string, locale: TranslationLocale): string {
  return `${formFile.replace(/\.form$/, '')}.${locale}.json`;
}

export class FormTranslationError extends Error {
  override name = 'FormTranslationError';

  constructor(
    readonly translation: string,
    readonly problems: { componentId?: string; message: string }[],
  ) {
    super(
      problems
        .map((problem) =>
          problem.componentId === undefined
            ? `Translation ${translation}: ${problem.message}`
            : `Translation ${translation}, component ${problem.componentId}: ${problem.message}`,
        )
        .join('\n'),
    );
  }
}

const text = z.string().refine((value) => value.trim() !== '', 'must not be empty');

const entrySchema = z.strictObject({
  label: text.optional(),
  description: text.optional(),
  text: text.optional(),
  content: text.optional(),
  alt: z.string().optional(),
  dateLabel: text.optional(),
  timeLabel: text.optional(),
  values: z.record(z.string(), text).optional(),
  columns: z.record(z.string(), text).optional(),
  appearance: z.strictObject({ prefixAdorner: text.optional(), suffixAdorner: text.optional() }).optional(),
}) satisfies z.ZodType<ComponentTranslation>;

const fileSchema = z.strictObject({ components: z.record(z.string(), z.unknown()) });

/**
 * Checks a translation file's JSON against its form: every component id must exist, every property must
 * be one the component has (option values and column keys too), and texts follow the form's own rules.
 * `name` names the file in messages. Throws `FormTranslationError` listing every problem.
 */
export function parseFormTranslation(json: unknown, form: FormSchema, name: string): FormTranslation {
  const file = fileSchema.safeParse(json);
  if (!file.success) {
    throw new FormTranslationError(
      name,
      file.error.issues.map((issue) => ({ message: `${issue.path.join('.') || 'file'}: ${issue.message}` })),
    );
  }
  const byId = new Map(allComponents(form.components).map((component) => [component.id, component]));
  const problems: { componentId?: string; message: string }[] = [];
  const components: Record<string, ComponentTranslation> = {};
  for (const [componentId, raw] of Object.entries(file.data.components)) {
    const component = byId.get(componentId);
    if (component === undefined) {
      problems.push({ componentId, message: `unknown component id (not in form ${form.id})` });
      continue;
    }
    const entry = entrySchema.safeParse(raw);
    if (!entry.success) {
      for (const issue of entry.error.issues) {
        const path = issue.path.join('.');
        const message =
          issue.code === 'unrecognized_keys'
            ? `unknown property ${issue.keys.join(', ')}`
            : `${path}: ${issue.message}`;
        problems.push({ componentId, message });
      }
      continue;
    }
    problems.push(...entryProblems(component, entry.data).map((message) => ({ componentId, message })));
    components[componentId] = entry.data;
  }
  if (problems.length > 0) throw new FormTranslationError(name, problems);
  return { components };
}

type Property = keyof ComponentTranslation;

/** Which properties a component type can have translated. */
function translatable(component: FormComponent): ReadonlySet<Property> {
  switch (component.type) {
    case 'text':
      return new Set(['text']);
    case 'html':
      return new Set(['content']);
    case 'image':
      return new Set(component.alt.trimStart().startsWith('=') ? [] : ['alt']);
    case 'separator':
    case 'spacer':
      return new Set();
    case 'table':
      return new Set(component.columns ? ['label', 'columns'] : ['label']);
    case 'group':
    case 'dynamiclist':
    case 'button':
    case 'expression':
      return new Set(['label']);
    case 'datetime':
      return new Set(['label', 'description', 'dateLabel', 'timeLabel']);
    case 'textfield':
    case 'number':
      return new Set(['label', 'description', 'appearance']);
    case 'select':
    case 'radio':
    case 'checklist':
    case 'taglist':
      return new Set(component.values ? ['label', 'description', 'values'] : ['label', 'description']);
    default:
      return new Set(['label', 'description']);
  }
}

function entryProblems(component: FormComponent, entry: ComponentTranslation): string[] {
  const allowed: ReadonlySet<string> = translatable(component);
  const problems: string[] = [];
  for (const property of Object.keys(entry)) {
    if (!allowed.has(property)) problems.push(`a ${component.type} component has no translatable ${property}`);
  }
  const statics = [entry.label, entry.description, entry.alt, entry.dateLabel, entry.timeLabel];
  statics.push(...Object.values(entry.values ?? {}), ...Object.values(entry.columns ?? {}));
  statics.push(entry.appearance?.prefixAdorner, entry.appearance?.suffixAdorner);
  for (const value of statics) if (value !== undefined) problems.push(...staticTextProblems(value));
  if (entry.text !== undefined) problems.push(...templateProblems(entry.text));
  if (entry.content !== undefined) problems.push(...templateProblems(entry.content), ...htmlProblems(entry.content));

  const options = 'values' in component && Array.isArray(component.values) ? component.values : [];
  for (const value of Object.keys(entry.values ?? {})) {
    if (!options.some((option) => option.value === value)) problems.push(`values: "${value}" is not an option value`);
  }
  const columns = component.type === 'table' ? (component.columns ?? []) : [];
  for (const key of Object.keys(entry.columns ?? {})) {
    if (!columns.some((column) => column.key === key)) problems.push(`columns: "${key}" is not a column key`);
  }
  return problems;
}

/** The form with the translated texts in place of the German ones. The form itself is not changed. */
export function translateForm(form: FormSchema, translation: FormTranslation): FormSchema {
  return { ...form, components: form.components.map((component) => translateComponent(component, translation)) };
}

function translateComponent(component: FormComponent, translation: FormTranslation): FormComponent {
  const entry = Object.hasOwn(translation.components, component.id) ? translation.components[component.id] : undefined;
  const translated = entry === undefined ? component : applyEntry(component, entry);
  if (translated.type === 'group' || translated.type === 'dynamiclist') {
    return { ...translated, components: translated.components.map((child) => translateComponent(child, translation)) };
  }
  return translated;
}

function applyEntry(component: FormComponent, entry: ComponentTranslation): FormComponent {
  switch (component.type) {
    case 'text':
      return { ...component, text: entry.text ?? component.text };
    case 'html':
      return { ...component, content: entry.content ?? component.content };
    case 'image':
      return { ...component, alt: entry.alt ?? component.alt };
    case 'separator':
    case 'spacer':
      return component;
    case 'table':
      return {
        ...component,
        label: entry.label ?? component.label,
        columns: component.columns?.map((column) => ({
          ...column,
          label: entry.columns?.[column.key] ?? column.label,
        })),
      };
    case 'group':
    case 'dynamiclist':
    case 'button':
    case 'expression':
      return entry.label === undefined ? component : { ...component, label: entry.label };
    case 'datetime':
      return {
        ...component,
        label: entry.label ?? component.label,
        description: entry.description ?? component.description,
        dateLabel: entry.dateLabel ?? component.dateLabel,
        timeLabel: entry.timeLabel ?? component.timeLabel,
      };
    case 'textfield':
    case 'number':
      return {
        ...component,
        label: entry.label ?? component.label,
        description: entry.description ?? component.description,
        appearance:
          component.appearance === undefined && entry.appearance === undefined
            ? undefined
            : { ...component.appearance, ...entry.appearance },
      };
    case 'select':
    case 'radio':
    case 'checklist':
    case 'taglist':
      return {
        ...component,
        label: entry.label ?? component.label,
        description: entry.description ?? component.description,
        values: component.values?.map((option) => ({ ...option, label: entry.values?.[option.value] ?? option.label })),
      };
    default:
      return {
        ...component,
        label: entry.label ?? component.label,
        description: entry.description ?? component.description,
      };
  }
}

/** Translatable texts of the form the translation leaves in German, as `<component id>.<property>`. */
export function missingTranslations(form: FormSchema, translation: FormTranslation): string[] {
  const missing: string[] = [];
  for (const component of allComponents(form.components)) {
    const entry = Object.hasOwn(translation.components, component.id)
      ? translation.components[component.id]
      : undefined;
    for (const property of translatable(component)) {
      if (!hasText(component, property)) continue;
      if (entry?.[property] === undefined) missing.push(`${component.id}.${property}`);
    }
  }
  return missing;
}

function hasText(component: FormComponent, property: Property): boolean {
  const value: unknown = Object.hasOwn(component, property) ? Reflect.get(component, property) : undefined;
  if (typeof value === 'string') return value.trim() !== '';
  return value !== undefined;
}

/** The form in the page's language: translated where a translation is attached, else German as written. */
export function localizeForm<F extends Pick<FormSchema, 'components' | 'translations'>>(form: F, locale: string): F {
  const translation = locale === 'en' ? form.translations?.en : undefined;
  if (!translation) return form;
  return {
    ...form,
    components: translateForm({ ...form, id: '', type: 'default', schemaVersion: 0 }, translation).components,
  };
}
