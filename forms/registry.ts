/**
 * The component types this engine runs, each found by its `type` in one module under `components/`.
 * Adding a type: write `components/<type>.ts` (and `partials/<type>.hbs`) and list it here and in
 * `FormComponent`. Pure; the validator imports it, so it runs in the case workflow and the browser.
 */
import type { ComponentDefinition, InputBehaviour } from './component.js';
import { button } from './components/button.js';
import { checkbox } from './components/checkbox.js';
import { checklist } from './components/checklist.js';
import { datetime } from './components/datetime.js';
import { dynamiclist } from './components/dynamiclist.js';
import { expression } from './components/expression.js';
import { filepicker } from './components/filepicker.js';
import { group } from './components/group.js';
import { html } from './components/html.js';
import { image } from './components/image.js';
import { number } from './components/number.js';
import { radio } from './components/radio.js';
import { select } from './components/select.js';
import { separator } from './components/separator.js';
import { spacer } from './components/spacer.js';
import { table } from './components/table.js';
import { taglist } from './components/taglist.js';
import { text } from './components/text.js';
import { textarea } from './components/textarea.js';
import { textfield } from './components/textfield.js';
import type { ComponentType, FormComponent, ParsedComponent } from './model.js';

type Definition = ComponentDefinition<FormComponent, ParsedComponent>;

// In the order the modeler's palette lists them. Each module is typed with its own component type; `satisfies`
// checks that each is listed under that type.
const COMPONENTS = {
  text,
  html,
  textfield,
  textarea,
  number,
  datetime,
  checkbox,
  checklist,
  taglist,
  radio,
  select,
  filepicker,
  expression,
  group,
  dynamiclist,
  table,
  image,
  separator,
  spacer,
  button,
} satisfies { [T in ComponentType]: { type: T } };

const REGISTRY: Readonly<Record<ComponentType, Definition>> = COMPONENTS;

export const SUPPORTED_COMPONENT_TYPES: readonly ComponentType[] = Object.values(REGISTRY).map(
  (definition) => definition.type,
);

export function isSupportedType(type: unknown): type is ComponentType {
  return typeof type === 'string' && Object.hasOwn(REGISTRY, type);
}

/** The module of a component's type. */
export function definitionOf(component: FormComponent): Definition {
  return REGISTRY[component.type];
}

/** The module of a supported type name (schema.ts, before a component is parsed). */
export function definitionOfType(type: ComponentType): Definition {
  return REGISTRY[type];
}

/** How an input component's value is read and shown; undefined for components that are not inputs. */
export function inputOf(component: FormComponent): InputBehaviour<FormComponent> | undefined {
  return REGISTRY[component.type].input;
}
