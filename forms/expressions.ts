/**
 * FEEL in forms: conditions, read-only and disabled flags, options, computed values and `{{…}}`
 * templates, evaluated over the form's data the way form-js does. Pure; runs inside the case workflow.
 */
import { evaluateExpression, isExpression, stripExpression } from '../engine/feel/feel.js';
import type { Conditional, Option, OptionValue } from './model.js';

export type { Variables } from '../engine/feel/feel.js';
import type { Variables } from '../engine/feel/feel.js';

/**
 * The variables of the form's top level: the caller's context (case, company), the form's values on top
 * (they shadow context variables of the same name), and form-js's `this`/`parent`/`i`. Null prototype:
 * a context key `__proto__` stays an ordinary variable.
 */
export function rootScope(context: Variables | undefined, values: Record<string, unknown>): Variables {
  const scope: Variables = Object.assign(Object.create(null), context ?? {}, values);
  return Object.assign(scope, { this: values, parent: null, i: [], _this_: values, _parent_: null, _i_: [] });
}

/**
 * The variables inside a dynamic list item: everything of the enclosing scope, `this` the item's data,
 * `parent` the enclosing item's (or the form's) data, `i` the 1-based item numbers from the outside in.
 */
export function itemScope(outer: Variables, item: Record<string, unknown>, indexes: readonly number[]): Variables {
  const numbers = indexes.map((index) => index + 1);
  const parent = outer['this'];
  return Object.assign(Object.create(null), outer, {
    this: item,
    parent,
    i: numbers,
    _this_: item,
    _parent_: parent,
    _i_: numbers,
  });
}

/** Evaluates `=…` (or a bare expression); `undefined` when it fails. Never throws: forms must always render. */
export function tryEvaluate(expression: string, scope: Variables): unknown {
  try {
    return evaluateExpression(stripExpression(expression), scope);
  } catch {
    return undefined;
  }
}

/** `conditional.hide`: `true`, or a FEEL expression that evaluates to `true`. A failing expression shows the component. */
export function isHidden(conditional: Conditional | undefined, scope: Variables): boolean {
  const hide = conditional?.hide;
  if (hide === undefined || hide === false) return false;
  if (hide === true) return true;
  return isExpression(hide) && tryEvaluate(hide, scope) === true;
}

/** `readonly` and `disabled`: a boolean or a FEEL expression that evaluates to `true`. */
export function flagValue(flag: boolean | string | undefined, scope: Variables): boolean {
  if (flag === undefined || typeof flag === 'boolean') return flag === true;
  return isExpression(flag) && tryEvaluate(flag, scope) === true;
}

export interface ResolvedOption {
  label: string;
  value: OptionValue;
}

export interface OptionSource {
  values?: Option[];
  valuesKey?: string;
  valuesExpression?: string;
}

const MAX_OPTIONS = 1000;

/**
 * The options of a select, radio, checklist or taglist: static `values`, the variable named by
 * `valuesKey`, or the result of `valuesExpression`. Dynamic entries are normalized like form-js does
 * (a string, number or boolean is its own label); entries without a usable value are skipped, a value
 * seen before is skipped, so option values stay unique.
 */
export function resolveOptions(source: OptionSource, scope: Variables): ResolvedOption[] {
  if (source.values !== undefined) return source.values;
  const raw =
    source.valuesKey !== undefined
      ? Object.hasOwn(scope, source.valuesKey)
        ? scope[source.valuesKey]
        : undefined
      : source.valuesExpression !== undefined
        ? tryEvaluate(source.valuesExpression, scope)
        : undefined;
  if (!Array.isArray(raw)) return [];
  const options: ResolvedOption[] = [];
  const seen = new Set<string>();
  for (const entry of raw.slice(0, MAX_OPTIONS)) {
    const option = normalizeOption(entry);
    if (option === undefined || seen.has(String(option.value))) continue;
    seen.add(String(option.value));
    options.push(option);
  }
  return options;
}

function isOptionValue(value: unknown): value is OptionValue {
  return (
    (typeof value === 'string' && value !== '') ||
    (typeof value === 'number' && Number.isFinite(value)) ||
    typeof value === 'boolean'
  );
}

function normalizeOption(entry: unknown): ResolvedOption | undefined {
  if (isOptionValue(entry)) return { label: String(entry), value: entry };
  if (typeof entry !== 'object' || entry === null) return undefined;
  const value: unknown = Object.hasOwn(entry, 'value') ? Reflect.get(entry, 'value') : undefined;
  const label: unknown = Object.hasOwn(entry, 'label') ? Reflect.get(entry, 'label') : undefined;
  if (!isOptionValue(value)) return undefined;
  return { label: typeof label === 'string' && label.trim() !== '' ? label : String(value), value };
}

/** The option a submitted value (always a string in an urlencoded body) stands for. */
export function findOption(options: readonly ResolvedOption[], raw: unknown): ResolvedOption | undefined {
  if (!isOptionValue(raw)) return undefined;
  const wanted = String(raw);
  return options.find((option) => String(option.value) === wanted);
}

// --- Templates: `Hallo {{companyName}}`; every `{{…}}` holds one FEEL expression. ---

export type TemplatePart = { text: string } | { expression: string };

/** Splits a template into text and expressions; a `{{` without `}}` stays text (schema.ts rejects it). */
export function parseTemplate(source: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let rest = source;
  for (;;) {
    const start = rest.indexOf('{{');
    const end = start < 0 ? -1 : rest.indexOf('}}', start + 2);
    if (start < 0 || end < 0) break;
    if (start > 0) parts.push({ text: rest.slice(0, start) });
    parts.push({ expression: rest.slice(start + 2, end).trim() });
    rest = rest.slice(end + 2);
  }
  if (rest !== '') parts.push({ text: rest });
  return parts;
}

/** A value as text for people: lists joined with commas, nothing for null; FEEL dates as ISO text. */
export function displayText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value))
    return value
      .map(displayText)
      .filter((text) => text !== '')
      .join(', ');
  const json = jsonValue(value);
  return typeof json === 'string' ? json : '';
}

/**
 * A FEEL result as JSON data, for computed values stored with the submission: dates become their ISO
 * text (feelin's values define `toJSON`), functions and other non-data disappear.
 */
export function jsonValue(value: unknown, depth = 0): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'object' || depth > 20) return undefined;
  if (Array.isArray(value)) return value.map((item) => jsonValue(item, depth + 1) ?? null);
  const toJSON: unknown = Reflect.get(value, 'toJSON');
  if (typeof toJSON === 'function') {
    try {
      return jsonValue(Reflect.apply(toJSON, value, []), depth + 1);
    } catch {
      return undefined;
    }
  }
  const result: Record<string, unknown> = {};
  for (const name of Object.keys(value)) {
    if (name === '__proto__') continue;
    const item = jsonValue(Reflect.get(value, name), depth + 1);
    if (item !== undefined) result[name] = item;
  }
  return result;
}

/** Fills a template's `{{…}}` with the expressions' values as text; the caller escapes the result. */
export function fillTemplate(parts: readonly TemplatePart[], scope: Variables): string {
  return parts.map((part) => ('text' in part ? part.text : displayText(tryEvaluate(part.expression, scope)))).join('');
}
