/**
 * Walking the component tree of a parsed form. Pure and type-only towards schema.ts, so the validator
 * (which runs inside the case workflow) can use it without pulling in zod. What a component is comes from
 * its type's module (registry.ts).
 */
import { definitionOf } from './registry.js';
import type {
  DynamicListComponent,
  FormComponent,
  FormSchema,
  GroupComponent,
  InputComponent,
  KeyedComponent,
} from './model.js';

/** A control the user fills in: it has a key, a label and `validate`. */
export function isInputComponent(component: FormComponent): component is InputComponent {
  return definitionOf(component).kind === 'input';
}

/** Inputs and expression fields: the components that put a value under their `key`. */
export function isKeyedComponent(component: FormComponent): component is KeyedComponent {
  const kind = definitionOf(component).kind;
  return kind === 'input' || kind === 'computed';
}

/** Computed from FEEL (expression fields): it holds a value and shows nothing. */
export function isComputed(component: FormComponent): boolean {
  return definitionOf(component).kind === 'computed';
}

export function isContainer(component: FormComponent): component is GroupComponent | DynamicListComponent {
  return component.type === 'group' || component.type === 'dynamiclist';
}

/** Every component of the form, depth first in form order (a group before its children). */
export function allComponents(components: readonly FormComponent[]): FormComponent[] {
  return components.flatMap((component) =>
    isContainer(component) ? [component, ...allComponents(component.components)] : [component],
  );
}

/** Every input component, including those inside groups and dynamic lists, in form order. */
export function inputComponents(form: Pick<FormSchema, 'components'>): InputComponent[] {
  return allComponents(form.components).filter(isInputComponent);
}

/**
 * The top-level names the form's own values take, as FEEL sees them: `address` for a field `address.street`
 * or a group with path `address`, `contacts` for a dynamic list. Fields inside lists are under the list's name.
 */
export function valueNames(components: readonly FormComponent[], names = new Set<string>()): Set<string> {
  for (const component of components) {
    const key = isKeyedComponent(component) ? component.key : isContainer(component) ? component.path : undefined;
    const first = key === undefined || key === '' ? undefined : key.split('.')[0];
    if (first !== undefined) names.add(first);
    else if (component.type === 'group') valueNames(component.components, names);
  }
  return names;
}

/** Whether the form has a file picker: its <form> then needs `enctype="multipart/form-data"`. */
export function hasFilePicker(form: Pick<FormSchema, 'components'>): boolean {
  return allComponents(form.components).some((component) => component.type === 'filepicker');
}

/** The label that names a component in messages and summaries. */
export function labelOf(component: FormComponent): string | undefined {
  return definitionOf(component).label(component);
}
