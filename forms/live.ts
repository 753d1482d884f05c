/**
 * The pure core of the browser script (forms/browser/forms-live.ts): the form's current values from its
 * controls, typed as `validateSubmission` types them, and what the conditions, expression fields and texts
 * say about them, evaluated as the validator does (form order; a hidden component's values are gone before
 * later conditions look). The server stays the authority: it evaluates everything again on submit. No DOM
 * here, so it runs under vitest; no Node built-ins, so esbuild bundles it for the browser.
 */
import { evaluateReportingMissing, stripExpression } from '../engine/feel/feel.js';
import { formatDecimal, parseDecimal, readNumberText, toNumber } from './decimal.js';
import { displayText, itemScope, jsonValue, rootScope, type Variables } from './expressions.js';
import { renderText } from './markdown.js';
import { deletePath, indexesOf, isRecord, parsePath, readPath, type PathSegment } from './paths.js';
import { normalizeText } from './components/textfield.js';

/**
 * How a control's text becomes a value. `text`: trimmed string (also date inputs); `time`: `14:30`;
 * `number`: a number (`valueType: 'string'` with serializeToString); `checkbox`: boolean; `choice`: a
 * radio's or select's chosen option; `choices`: the ticked boxes of a checklist or tag list, in option
 * order; `date-part`/`time-part`: the two inputs of a date and time; `file`: an uploaded document's id.
 */
export type ControlKind =
  'text' | 'time' | 'number' | 'checkbox' | 'choice' | 'choices' | 'date-part' | 'time-part' | 'file';

export interface ControlState {
  /** The value's data path: the control's name (for date and time parts, without `.date`/`.time`). */
  path: string;
  kind: ControlKind;
  value: string;
  /** Radios, boxes: ticked. Selects: true. Files: not marked for removal. Text inputs: true. */
  checked: boolean;
  /** `data-value-type`: an option value that stands for a number or boolean; a number kept as string. */
  valueType?: string;
}

export type LiveTarget =
  | {
      kind: 'condition';
      /** `data-hide-if`: FEEL without `=`. */
      expression: string;
      /** The element has `hidden` now. */
      hidden: boolean;
      /** The keyboard focus is inside: hiding it would move the focus, so it stays until the focus leaves. */
      holdsFocus: boolean;
      /** Data paths of the values inside (controls, expression fields): gone while it is hidden. */
      paths: string[];
      items: string[];
      parent?: number;
    }
  | { kind: 'expression'; expression: string; path: string; items: string[]; parent?: number }
  | { kind: 'template'; template: string; items: string[]; parent?: number };

/**
 * `items`: the data paths of the dynamic list items the target sits in, outermost first (`contacts[0]`),
 * for FEEL's `this`, `parent` and `i`. `parent`: the index (in the same list) of the closest condition
 * around it; targets come in document order, which is form order.
 */
export interface FormSnapshot {
  controls: ControlState[];
  /** `data-list` paths: a list without items is still `[]`. */
  lists: string[];
  /** List item paths (`contacts[1]`) from their markers: an item of unticked boxes still counts. */
  items: string[];
  targets: LiveTarget[];
}

/** What to do with a target; `undefined`: leave it as it is (FEEL failed, or needs what only the server has). */
export type LiveOutcome = { hidden: boolean } | { blocks: string[] } | undefined;

/** The values of the controls, typed and nested like `validateSubmission`'s (without its checks). */
export function collectValues(snapshot: Pick<FormSnapshot, 'controls' | 'lists' | 'items'>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const path of [...snapshot.lists, ...snapshot.items]) {
    const segments = parsePath(path);
    if (segments !== undefined) ensure(values, segments, typeof segments.at(-1) === 'number' ? {} : []);
  }
  const datetimes = new Map<string, { date?: string; time?: string }>();
  for (const control of snapshot.controls) {
    const segments = parsePath(control.path);
    if (segments === undefined) continue;
    const { kind, value, checked } = control;
    switch (kind) {
      case 'checkbox':
        put(values, segments, checked);
        break;
      case 'choices': {
        const chosen = ensure(values, segments, []);
        if (checked && Array.isArray(chosen)) chosen.push(optionValue(value, control.valueType));
        break;
      }
      case 'choice':
        if (checked && value !== '') put(values, segments, optionValue(value, control.valueType));
        break;
      case 'file':
        if (checked && value.trim() !== '') {
          const ids = ensure(values, segments, []);
          if (Array.isArray(ids)) ids.push(value.trim().toLowerCase());
        }
        break;
      case 'number': {
        // The validator's reading without a locale: `50.000`, which German and English read differently, is
        // left out (as if empty) rather than guessed; the server reads it in the page's language on submit.
        const reading = readNumberText(value);
        if (reading.ok) {
          const { decimal } = reading;
          put(values, segments, control.valueType === 'string' ? formatDecimal(decimal) : toNumber(decimal));
        }
        break;
      }
      case 'time': {
        const time = shortTime(value);
        if (time !== '') put(values, segments, time);
        break;
      }
      case 'date-part':
      case 'time-part': {
        const parts = datetimes.get(control.path) ?? {};
        parts[kind === 'date-part' ? 'date' : 'time'] = kind === 'date-part' ? value.trim() : shortTime(value);
        datetimes.set(control.path, parts);
        break;
      }
      case 'text': {
        const text = normalizeText(value);
        if (text !== '') put(values, segments, text);
        break;
      }
    }
  }
  // Half a date and time is an error on the server, and no value: the same here.
  for (const [path, { date, time }] of datetimes) {
    const segments = parsePath(path);
    if (segments !== undefined && date && time) put(values, segments, `${date}T${time}`);
  }
  return values;
}

/**
 * Evaluates every target in order over the snapshot's values. A condition that comes out true clears the
 * values inside before later targets look; targets inside a hidden one are not evaluated (as on the
 * server). FEEL that fails, or that looks up a variable the form does not have (the case and company
 * variables the server has), leaves its target as the server rendered it.
 */
export function evaluateSnapshot(snapshot: FormSnapshot): LiveOutcome[] {
  const values = collectValues(snapshot);
  const known = knownNames(snapshot);
  const unknown = new Set<string>();
  const hiddenNow: boolean[] = [];
  // `unknown`: the result depends on a variable only the server has. `failed`: FEEL failed, the server's too.
  type Result = { ok: true; value: unknown } | { ok: false; unknown: boolean };
  const evaluate = (expression: string, scope: Variables): Result => {
    try {
      const { value, missing } = evaluateReportingMissing(stripExpression(expression), scope);
      return missing.some((name) => !known.has(name) || unknown.has(name))
        ? { ok: false, unknown: true }
        : { ok: true, value };
    } catch {
      return { ok: false, unknown: false };
    }
  };

  return snapshot.targets.map((target, index): LiveOutcome => {
    if (target.parent !== undefined && hiddenNow[target.parent] === true) {
      hiddenNow[index] = true;
      return undefined;
    }
    const scope = scopeOf(values, target.items);
    switch (target.kind) {
      case 'condition': {
        const result = evaluate(target.expression, scope);
        const decided = result.ok && !(result.value === true && target.holdsFocus);
        const hidden = decided ? result.value === true : target.hidden;
        hiddenNow[index] = hidden;
        if (hidden) for (const path of target.paths) clear(values, path);
        return decided ? { hidden } : undefined;
      }
      case 'expression': {
        const segments = parsePath(target.path);
        if (segments === undefined) return undefined;
        const result = evaluate(target.expression, scope);
        const value = result.ok ? jsonValue(result.value) : undefined;
        // Computed from variables only the server has: so is everything that uses it.
        if (!result.ok && result.unknown) unknown.add(String(segments[0]));
        if (value === undefined || value === null) clear(values, target.path);
        else put(values, segments, value);
        return undefined;
      }
      case 'template': {
        let complete = true;
        const blocks = renderText(target.template, (expression) => {
          const result = evaluate(expression, scope);
          if (!result.ok) complete = false;
          return result.ok ? displayText(result.value) : '';
        });
        return complete ? { blocks } : undefined;
      }
    }
  });
}

function knownNames(snapshot: FormSnapshot): Set<string> {
  const names = new Set(['this', 'parent', 'i']);
  const paths = [
    ...snapshot.controls.map((control) => control.path),
    ...snapshot.lists,
    ...snapshot.targets.flatMap((target) => (target.kind === 'expression' ? [target.path] : [])),
  ];
  for (const path of paths) {
    const first = parsePath(path)?.[0];
    if (typeof first === 'string') names.add(first);
  }
  return names;
}

function scopeOf(values: Record<string, unknown>, items: readonly string[]): Variables {
  let scope = rootScope(undefined, values);
  for (const item of items) {
    const segments = parsePath(item) ?? [];
    const data = readPath(values, segments);
    scope = itemScope(scope, isRecord(data) ? data : {}, indexesOf(segments));
  }
  return scope;
}

function optionValue(value: string, type: string | undefined): unknown {
  if (type === 'number') {
    const decimal = parseDecimal(value);
    return decimal === undefined ? value : toNumber(decimal);
  }
  if (type === 'boolean') return value === 'true';
  return value;
}

/** `14:30:00` (a time input with a seconds step) → `14:30`, as the server stores times. */
function shortTime(value: string): string {
  const match = /^(\d{2}):(\d{2})/.exec(value.trim());
  return match ? `${match[1]}:${match[2]}` : '';
}

/** The value at the path, created (arrays where the next segment is an index) when it is not there yet. */
function ensure(root: Record<string, unknown>, segments: readonly PathSegment[], empty: unknown): unknown {
  let node: unknown = root;
  for (const [index, segment] of segments.entries()) {
    const next = segments[index + 1];
    const fallback = next === undefined ? empty : typeof next === 'number' ? [] : {};
    if (typeof node !== 'object' || node === null) return undefined;
    const existing: unknown = Object.hasOwn(node, String(segment)) ? Reflect.get(node, String(segment)) : undefined;
    if (existing === undefined) Reflect.set(node, String(segment), fallback);
    node = existing ?? fallback;
  }
  return node;
}

function put(root: Record<string, unknown>, segments: readonly PathSegment[], value: unknown): void {
  const parent = ensure(root, segments.slice(0, -1), {});
  const last = segments.at(-1);
  if (typeof parent === 'object' && parent !== null && last !== undefined) Reflect.set(parent, String(last), value);
}

function clear(values: Record<string, unknown>, path: string): void {
  const segments = parsePath(path);
  if (segments !== undefined) deletePath(values, segments);
}
