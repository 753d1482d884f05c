/**
 * The one validator for form submissions: used by the portal and admin routes and again inside the
 * case workflow, so it stays pure (no I/O, no clock, no Node built-ins, no zod). Temporal bundles it with
 * everything it imports: the component type modules (registry.ts, components/), paths.ts, decimal.ts,
 * expressions.ts (FEEL through engine/feel), markdown.ts, sanitize-html.ts; from schema.ts only types.
 * This file walks the tree in two passes; how one field is read and checked is its type module's `input`.
 */
import type { FieldOutcome, InputBehaviour, ReadContext } from './component.js';
import { isInputComponent, isKeyedComponent } from './components.js';
import { flagValue, isHidden, itemScope, rootScope, type Variables } from './expressions.js';
import {
  deletePath,
  expandInput,
  fieldId,
  formatPath,
  indexesOf,
  listItems,
  readPath,
  splitKey,
  writePath,
  type PathSegment,
} from './paths.js';
import { definitionOf, inputOf } from './registry.js';
import type {
  DynamicListComponent,
  FieldError,
  FormComponent,
  FormSchema,
  GroupComponent,
  InputComponent,
  KeyedComponent,
  Locale,
} from './model.js';

export type { FieldError, FieldErrorCode, Locale } from './model.js';
export { errorMessage } from './messages.js';
export { normalizeText } from './components/textfield.js';

export interface ValidationResult {
  /**
   * Typed values, nested by key and path, only for keys of the form and only for components that are not
   * hidden. A value that breaks a length, pattern or number rule stays in (with its error) so a
   * re-rendered form keeps the input; values of the wrong type or outside the options do not.
   */
  values: Record<string, unknown>;
  /** At most one error per field (per list item), in form order. Empty means `values` satisfies every rule. */
  errors: FieldError[];
}

export interface ValidationOptions {
  /**
   * FEEL variables (case, company) for conditions, read-only/disabled expressions, `valuesKey`,
   * `valuesExpression` and expression fields. The form's own values shadow variables of the same name.
   * Pass the same context wherever the same submission is validated, or results differ.
   */
  context?: Variables;
  /** Today as `YYYY-MM-DD`, for `disallowPassedDates`. This code has no clock; without it that rule is not checked. */
  today?: string;
  /**
   * The language the user typed numbers in: `de` reads `1.000.000` and `3,5`, `en` `1,000,000` and
   * `3.5`. Without it, numbers are read as data (`12.5`, `12,5`, `1.234,5`, our own values) and shapes
   * that read differently in German and English (`50.000`) are refused. Pass it only for what a person
   * typed in a form of that language, and the same wherever the same input is validated.
   */
  locale?: Locale;
}

/** Checkboxes named like this (value: a document id) remove an uploaded file from any file picker. */
export const REMOVE_FILE_FIELD = '_removeFile';

// Pass 1 reads every field from the input into this tree; pass 2 applies conditions in form order.
type Node =
  | {
      kind: 'field';
      component: InputComponent;
      input: InputBehaviour<FormComponent>;
      path: PathSegment[];
      outcome: FieldOutcome;
    }
  | { kind: 'computed'; component: KeyedComponent; path: PathSegment[] }
  | { kind: 'group'; component: GroupComponent; path: PathSegment[] | undefined; children: Node[] }
  | { kind: 'list'; component: DynamicListComponent; path: PathSegment[]; items: ListItem[] }
  | { kind: 'static'; component: FormComponent };

interface ListItem {
  data: Record<string, unknown>;
  indexes: number[];
  children: Node[];
}

/**
 * Checks a submission against its form. Input is an urlencoded body (strings, repeated names as
 * arrays, nested fields as `address.street` and `contacts[1].email`) or JSON (nested objects and
 * arrays, e.g. this function's own `values`). Never throws, whatever the input.
 *
 * Conditions are evaluated on every call, in form order, over the values read (form-js semantics: a
 * hidden component's value is removed before later conditions see it): hidden components are not
 * required and their values are dropped. Read-only and disabled components keep their defaults.
 */
export function validateSubmission(
  form: FormSchema,
  input: Record<string, unknown>,
  options: ValidationOptions = {},
): ValidationResult {
  const values: Record<string, unknown> = {};
  const tree = expandInput(input);
  const run: Run = { values, read: { locale: options.locale, today: options.today, removedFiles: removedFiles(tree) } };
  const nodes = read(form.components, [], tree, [], run);
  const errors: FieldError[] = [];
  settle(nodes, rootScope(options.context, values), { values, errors, options });
  return { values, errors };
}

interface Run {
  values: Record<string, unknown>;
  read: ReadContext;
}

function removedFiles(tree: Record<string, unknown>): ReadonlySet<string> {
  const raw = tree[REMOVE_FILE_FIELD];
  const ids = Array.isArray(raw) ? raw : [raw];
  return new Set(ids.filter((id): id is string => typeof id === 'string').map((id) => id.toLowerCase()));
}

// --- Pass 1: read and type every field ---

function read(
  components: readonly FormComponent[],
  base: PathSegment[],
  input: unknown,
  indexes: number[],
  run: Run,
): Node[] {
  return components.map((component): Node => {
    switch (component.type) {
      case 'group': {
        const relative = splitKey(component.path);
        const path = relative.length > 0 ? [...base, ...relative] : undefined;
        const inner = relative.length > 0 ? readPath(input, relative) : input;
        return {
          kind: 'group',
          component,
          path,
          children: read(component.components, path ?? base, inner, indexes, run),
        };
      }
      case 'dynamiclist': {
        const relative = splitKey(component.path);
        const path = [...base, ...relative];
        const array: Record<string, unknown>[] = [];
        writePath(run.values, path, array);
        const items = listItems(readPath(input, relative)).map((item, index): ListItem => {
          const data: Record<string, unknown> = {};
          array.push(data);
          const itemIndexes = [...indexes, index];
          return {
            data,
            indexes: itemIndexes,
            children: read(component.components, [...path, index], item, itemIndexes, run),
          };
        });
        return { kind: 'list', component, path, items };
      }
      default: {
        if (!isKeyedComponent(component)) return { kind: 'static', component };
        const relative = splitKey(component.key);
        const path = [...base, ...relative];
        const field = inputOf(component);
        if (field === undefined || !isInputComponent(component)) return { kind: 'computed', component, path };
        const outcome = field.read(component, readPath(input, relative), run.read);
        if (outcome.value !== undefined) writePath(run.values, path, outcome.value);
        return { kind: 'field', component, input: field, path, outcome };
      }
    }
  });
}

// --- Pass 2: conditions, read-only/disabled, dynamic options, computed values, errors in form order ---

interface Settle {
  values: Record<string, unknown>;
  errors: FieldError[];
  options: ValidationOptions;
}

function settle(nodes: readonly Node[], scope: Variables, run: Settle): void {
  const write = (path: PathSegment[], value: unknown) => {
    if (value === undefined) clear(path);
    else {
      writePath(run.values, path, value);
      syncTopLevel(path);
    }
  };
  const clear = (path: PathSegment[]) => {
    deletePath(run.values, path);
    syncTopLevel(path);
  };
  // The root scope holds the top-level values; nested objects are shared, top-level slots are copied.
  const syncTopLevel = (path: PathSegment[]) => {
    const top = String(path[0]);
    if (Object.hasOwn(run.values, top)) scope[top] = run.values[top];
    else if (Object.hasOwn(scope, top)) delete scope[top];
  };

  const visit = (list: readonly Node[], local: Variables) => {
    for (const node of list) {
      if (isHidden(node.component.conditional, local)) {
        clearNode(node, clear);
        continue;
      }
      switch (node.kind) {
        case 'field': {
          const { component, input, path } = node;
          const outcome =
            flagValue(component.readonly, local) || flagValue(component.disabled, local)
              ? { value: input.initial(component) }
              : (input.settle?.(component, node.outcome, local) ?? node.outcome);
          write(path, outcome.value);
          if (outcome.error) {
            run.errors.push({
              componentId: component.id,
              key: formatPath(path),
              fieldId: fieldId(component.id, indexesOf(path)),
              ...outcome.error,
            });
          }
          break;
        }
        case 'computed':
          write(node.path, definitionOf(node.component).compute?.(node.component, local) ?? undefined);
          break;
        case 'group':
          visit(node.children, local);
          break;
        case 'list':
          for (const item of node.items) visit(item.children, itemScope(local, item.data, item.indexes));
          break;
        case 'static':
          break;
      }
    }
  };
  visit(nodes, scope);
}

function clearNode(node: Node, clear: (path: PathSegment[]) => void): void {
  switch (node.kind) {
    case 'field':
    case 'computed':
    case 'list':
      clear(node.path);
      return;
    case 'group':
      if (node.path !== undefined) clear(node.path);
      else for (const child of node.children) clearNode(child, clear);
      return;
    case 'static':
      return;
  }
}

// --- Initial values ---

/**
 * The values of an untouched form: defaults, unticked checkboxes as false, empty checklists as [],
 * dynamic lists with `defaultRepetitions` items (default 1). Conditions are not applied: a hidden
 * component is simply not rendered, and the validator drops its value.
 */
export function initialValues(form: Pick<FormSchema, 'components'>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  fillInitial(form.components, values);
  return values;
}

/** The values of one new item of a dynamic list (the `add` action). */
export function initialListItem(list: DynamicListComponent): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  fillInitial(list.components, item);
  return item;
}

function fillInitial(components: readonly FormComponent[], target: Record<string, unknown>): void {
  for (const component of components) {
    if (component.type === 'group') {
      const path = splitKey(component.path);
      if (path.length === 0) fillInitial(component.components, target);
      else {
        const inner: Record<string, unknown> = {};
        fillInitial(component.components, inner);
        if (Object.keys(inner).length > 0) writePath(target, path, inner);
      }
    } else if (component.type === 'dynamiclist') {
      const count = component.defaultRepetitions ?? 1;
      writePath(
        target,
        splitKey(component.path),
        Array.from({ length: count }, () => initialListItem(component)),
      );
    } else if (isInputComponent(component)) {
      const value = inputOf(component)?.initial(component);
      if (value !== undefined) writePath(target, splitKey(component.key), value);
    }
  }
}
