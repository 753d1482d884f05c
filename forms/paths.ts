/**
 * Data paths (`address.street`, `contacts[1].email`): the names of rendered controls, the `key` of field
 * errors and the way urlencoded bodies carry nested values. Pure; also runs inside the case workflow.
 */

export type PathSegment = string | number;

/** At most this many items are read per dynamic list: a body cannot make the validator build huge arrays. */
export const MAX_LIST_ITEMS = 200;

/**
 * Hidden per-item marker the renderer puts into every dynamic list item (`contacts[0]._item`), so an item
 * whose fields send nothing (unticked checkboxes only) still counts. The validator never outputs it.
 */
export const LIST_ITEM_MARKER = '_item';

// Names start with a letter or _ (the marker); keys of a form start with a letter (checked in schema.ts).
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d{1,6}\])*$/;
const SEGMENT = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d{1,6})\]|^([A-Za-z_][A-Za-z0-9_]*)/g;

/** `contacts[1].email` → `['contacts', 1, 'email']`; undefined for anything else. */
export function parsePath(text: string): PathSegment[] | undefined {
  if (!PATH.test(text)) return undefined;
  return [...text.matchAll(SEGMENT)].map(([, name, index, first]) =>
    index !== undefined ? Number(index) : (name ?? first ?? ''),
  );
}

export function formatPath(segments: readonly PathSegment[]): string {
  let text = '';
  for (const segment of segments) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text;
}

/** `a.b` (a form key or group path, already checked by parseForm) → `['a', 'b']`; `''` and undefined → `[]`. */
export function splitKey(key: string | undefined): string[] {
  return key === undefined || key === '' ? [] : key.split('.');
}

/**
 * The HTML id of a field's control (for radios and checklists: the first option), the target of error
 * summary links: `field-<component id>`, plus `-<index>` per enclosing dynamic list item.
 */
export function fieldId(componentId: string, indexes: readonly number[] = []): string {
  return `field-${componentId}${indexes.map((index) => `-${index}`).join('')}`;
}

/** The indexes of the list items in a path, outermost first: `a[1].b[2].c` → `[1, 2]`. */
export function indexesOf(segments: readonly PathSegment[]): number[] {
  return segments.filter((segment) => typeof segment === 'number');
}

/** An own property of an object (or an array element); never inherited ones like `constructor`. */
export function childAt(node: unknown, segment: PathSegment): unknown {
  if (typeof node !== 'object' || node === null) return undefined;
  const name = String(segment);
  if (!Object.hasOwn(node, name)) return undefined;
  return Reflect.get(node, name);
}

export function readPath(node: unknown, segments: readonly PathSegment[]): unknown {
  let current = node;
  for (const segment of segments) {
    current = childAt(current, segment);
    if (current === undefined) return undefined;
  }
  return current;
}

/** The items of a dynamic list in the input: a JSON array, or the numbered entries of an urlencoded body. */
export function listItems(node: unknown): unknown[] {
  if (Array.isArray(node)) return node.slice(0, MAX_LIST_ITEMS);
  if (typeof node !== 'object' || node === null) return [];
  return Object.keys(node)
    .filter((name) => /^\d{1,6}$/.test(name))
    .map(Number)
    .sort((a, b) => a - b)
    .slice(0, MAX_LIST_ITEMS)
    .map((index) => Reflect.get(node, String(index)));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Turns an urlencoded body's flat names (`address.street`, `contacts[1].email`) into nested objects;
 * keys without `.` or `[` are kept as they are, so JSON input passes through. Containers are
 * null-prototype objects, so no name reaches Object.prototype. Where a flat name and a plain key claim the
 * same place, the flat name wins (a body is one or the other; mixing them is not a supported input).
 */
export function expandInput(input: unknown): Record<string, unknown> {
  const tree: Record<string, unknown> = Object.create(null);
  if (typeof input !== 'object' || input === null) return tree;
  const flat: [PathSegment[], unknown][] = [];
  for (const name of Object.keys(input)) {
    const value: unknown = Reflect.get(input, name);
    if (!/[.[]/.test(name)) tree[name] = value;
    else {
      const path = parsePath(name);
      if (path !== undefined) flat.push([path, value]);
    }
  }
  const containers = new WeakSet<object>();
  for (const [path, value] of flat) {
    let node = tree;
    for (const segment of path.slice(0, -1)) {
      const name = String(segment);
      const existing = node[name];
      if (isRecord(existing) && containers.has(existing)) {
        node = existing;
        continue;
      }
      const created: Record<string, unknown> = Object.create(null);
      containers.add(created);
      node[name] = created;
      node = created;
    }
    const last = String(path[path.length - 1]);
    const existing = node[last];
    if (!(isRecord(existing) && containers.has(existing))) node[last] = value;
  }
  return tree;
}

/** Sets a value in a values object, creating plain objects on the way; arrays on the way are kept. */
export function writePath(root: Record<string, unknown>, segments: readonly PathSegment[], value: unknown): void {
  let node: object = root;
  for (let index = 0; index < segments.length - 1; index++) {
    const segment = segments[index] ?? '';
    const existing: unknown = childAt(node, segment);
    if (typeof existing === 'object' && existing !== null) {
      node = existing;
      continue;
    }
    const created: Record<string, unknown> = {};
    Reflect.set(node, String(segment), created);
    node = created;
  }
  Reflect.set(node, String(segments[segments.length - 1] ?? ''), value);
}

/**
 * Removes a value and then every object on the way that became empty, up to (not including) a list
 * item or the root: a group whose fields are all hidden leaves no `{}` behind, a list item stays.
 */
export function deletePath(root: Record<string, unknown>, segments: readonly PathSegment[]): void {
  const parents: unknown[] = [root];
  for (const segment of segments.slice(0, -1)) {
    const next = childAt(parents[parents.length - 1], segment);
    if (typeof next !== 'object' || next === null) return;
    parents.push(next);
  }
  for (let depth = segments.length - 1; depth >= 0; depth--) {
    const parent = parents[depth];
    const segment = segments[depth] ?? '';
    if (!isRecord(parent) || typeof segment === 'number') return;
    delete parent[segment];
    if (depth === 0 || Object.keys(parent).length > 0 || typeof segments[depth - 1] === 'number') return;
  }
}
