/**
 * Form actions without JavaScript: the add and remove buttons of dynamic lists (and a plain refresh)
 * are submit buttons named `_action`. A route that sees one re-renders the form with the action applied
 * instead of submitting it. Pure.
 */
import { allComponents } from './components.js';
import { parsePath, readPath, splitKey, type PathSegment } from './paths.js';
import { initialListItem } from './validate.js';
import type { DynamicListComponent, FormComponent, FormSchema } from './model.js';

export { addActionValue, removeActionValue } from './components/dynamiclist.js';

/** The name of the submit buttons that change the form instead of submitting it. */
export const FORM_ACTION_FIELD = '_action';

/**
 * `add:<list path>` appends an item (with the defaults of its fields); `remove:<list path>:<index>`
 * removes one; `refresh` changes nothing (re-evaluates conditions after the user changed answers).
 * The list path is the list's data path including enclosing items: `contacts`, `contacts[0].phones`.
 */
export type FormAction =
  { type: 'add'; list: string } | { type: 'remove'; list: string; index: number } | { type: 'refresh' };

/** The action a submitted body asks for, or undefined for a real submit (no or an unreadable `_action`). */
export function parseFormAction(input: Record<string, unknown>): FormAction | undefined {
  const raw: unknown = Object.hasOwn(input, FORM_ACTION_FIELD) ? input[FORM_ACTION_FIELD] : undefined;
  if (typeof raw !== 'string') return undefined;
  if (raw === 'refresh') return { type: 'refresh' };
  const add = /^add:([^:]+)$/.exec(raw);
  if (add && parsePath(add[1] ?? '')) return { type: 'add', list: add[1] ?? '' };
  const remove = /^remove:([^:]+):(\d{1,6})$/.exec(raw);
  if (remove && parsePath(remove[1] ?? '')) return { type: 'remove', list: remove[1] ?? '', index: Number(remove[2]) };
  return undefined;
}

/**
 * Applies an action to the values `validateSubmission` returned and gives the values to re-render the
 * form with (no errors: nothing was submitted). Unknown lists, lists without `allowAddRemove` and
 * indexes out of range leave the values as they are. The input values are not changed.
 */
export function applyFormAction(
  form: Pick<FormSchema, 'components'>,
  values: Record<string, unknown>,
  action: FormAction,
): Record<string, unknown> {
  if (action.type === 'refresh') return values;
  const path = parsePath(action.list);
  const list = path === undefined ? undefined : listAt(form.components, path);
  if (path === undefined || list === undefined || list.allowAddRemove === false) return values;

  const next = copyAlong(values, path);
  const current = readPath(next, path);
  const items = Array.isArray(current) ? [...current] : [];
  if (action.type === 'add') items.push(initialListItem(list));
  else if (action.index < items.length) items.splice(action.index, 1);
  else return values;
  setAt(next, path, items);
  return next;
}

/** The dynamic list a data path points at (`contacts[0].phones` → the list `phones` inside `contacts`). */
function listAt(components: readonly FormComponent[], path: readonly PathSegment[]): DynamicListComponent | undefined {
  for (const component of components) {
    if (component.type === 'group') {
      const prefix = splitKey(component.path);
      if (startsWith(path, prefix)) {
        const found = listAt(component.components, path.slice(prefix.length));
        if (found) return found;
      }
    } else if (component.type === 'dynamiclist') {
      const prefix = splitKey(component.path);
      if (!startsWith(path, prefix)) continue;
      const rest = path.slice(prefix.length);
      if (rest.length === 0) return component;
      if (typeof rest[0] === 'number') {
        const found = listAt(component.components, rest.slice(1));
        if (found) return found;
      }
    }
  }
  return undefined;
}

function startsWith(path: readonly PathSegment[], prefix: readonly string[]): boolean {
  return prefix.every((segment, index) => path[index] === segment);
}

/** A copy of the values in which every object and array on the way to `path` is new. */
function copyAlong(values: Record<string, unknown>, path: readonly PathSegment[]): Record<string, unknown> {
  const root: Record<string, unknown> = { ...values };
  let node: object = root;
  for (const segment of path.slice(0, -1)) {
    const child: unknown = Reflect.get(node, String(segment));
    if (typeof child !== 'object' || child === null) break;
    const copy: object = Array.isArray(child) ? [...child] : { ...child };
    Reflect.set(node, String(segment), copy);
    node = copy;
  }
  return root;
}

function setAt(root: Record<string, unknown>, path: readonly PathSegment[], value: unknown): void {
  let node: object = root;
  for (const segment of path.slice(0, -1)) {
    let child: unknown = Reflect.get(node, String(segment));
    if (typeof child !== 'object' || child === null) {
      child = {};
      Reflect.set(node, String(segment), child);
    }
    if (typeof child === 'object' && child !== null) node = child;
  }
  Reflect.set(node, String(path[path.length - 1]), value);
}

/** Whether a form has a list with add or remove buttons (the renderer then protects the Enter key). */
export function hasListActions(form: Pick<FormSchema, 'components'>): boolean {
  return allComponents(form.components).some(
    (component) => component.type === 'dynamiclist' && component.allowAddRemove !== false,
  );
}
