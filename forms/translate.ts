/**
 * Translations of a form's texts. German is written in the `.form` file; every other language is a
 * file next to it named `<form file basename>.<locale>.json` (`general-inquiry-start.en.json`):
 *
 *   { "components": { "<component id>": { "label": "…", "values": { "<option value>": "…" } } } }
 *
 * A component without an entry (or an entry without a property) keeps its German text.
 * `parseFormTranslation` checks a file against its form; `translateForm` applies it. Pure. Which texts a
 * component type has, and how they are put in, is its type module's `translatable` and `translate`.
 */
import { z } from 'zod';
import { allComponents } from './components.js';
import { definitionOf } from './registry.js';
import { evaluatedTextProblems, htmlProblems, staticTextProblems, templateProblems } from './schema-kit.js';
import type { ComponentTranslation, FormComponent, FormSchema, FormTranslation, TranslationLocale } from './model.js';

export type { ComponentTranslation, FormTranslation, TranslationLocale } from './model.js';

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

/** Which properties a component can have translated: its type module says. */
function translatable(component: FormComponent): ReadonlySet<Property> {
  return new Set(definitionOf(component).translatable(component));
}

function entryProblems(component: FormComponent, entry: ComponentTranslation): string[] {
  const allowed: ReadonlySet<string> = translatable(component);
  const problems: string[] = [];
  for (const property of Object.keys(entry)) {
    if (!allowed.has(property)) problems.push(`a ${component.type} component has no translatable ${property}`);
  }
  const statics = [entry.label, entry.alt, entry.dateLabel, entry.timeLabel];
  statics.push(...Object.values(entry.values ?? {}), ...Object.values(entry.columns ?? {}));
  for (const value of statics) if (value !== undefined) problems.push(...staticTextProblems(value));
  // Descriptions and adorners are evaluated when shown, translated or not (ADR 0034).
  const evaluated = [entry.description, entry.appearance?.prefixAdorner, entry.appearance?.suffixAdorner];
  for (const value of evaluated) if (value !== undefined) problems.push(...evaluatedTextProblems(value));
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
  const translated = entry === undefined ? component : definitionOf(component).translate(component, entry);
  if (translated.type === 'group' || translated.type === 'dynamiclist') {
    return { ...translated, components: translated.components.map((child) => translateComponent(child, translation)) };
  }
  return translated;
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
