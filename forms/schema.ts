/**
 * Camunda Forms JSON (the `.form` files the designer exports): one type, one validator (`parseForm`).
 * Everything the engine cannot run as the modeler means it is rejected with a `FormSchemaError` naming
 * form, component and property, instead of being dropped, so a form never behaves differently here.
 * Each component type's zod schema is in its module (components/<type>.ts), built from schema-kit.ts;
 * this file holds the form around them: the envelope, nesting depth, unique ids and keys.
 */
import { z } from 'zod';
import { allComponents, isKeyedComponent } from './components.js';
import { definitionOfType, isSupportedType, SUPPORTED_COMPONENT_TYPES } from './registry.js';
import { schemaKit } from './schema-kit.js';
import type { ComponentType, FormComponent, FormSchema, ParsedComponent } from './model.js';

export { allComponents, hasFilePicker, inputComponents, isInputComponent, labelOf } from './components.js';
export { SUPPORTED_COMPONENT_TYPES } from './registry.js';
export { htmlProblems, staticTextProblems, templateProblems } from './schema-kit.js';
export type {
  Adorners,
  ButtonComponent,
  CheckboxComponent,
  ChecklistComponent,
  ChoiceComponent,
  ChoiceValidation,
  ComponentType,
  Conditional,
  DatetimeComponent,
  DynamicListComponent,
  Expression,
  ExpressionComponent,
  FilePickerComponent,
  FormComponent,
  FormSchema,
  GroupComponent,
  HtmlComponent,
  ImageComponent,
  InputComponent,
  KeyedComponent,
  Layout,
  NumberComponent,
  NumberValidation,
  Option,
  OptionValue,
  RadioComponent,
  SelectComponent,
  SeparatorComponent,
  SpacerComponent,
  TableColumn,
  TableComponent,
  TaglistComponent,
  TextAreaComponent,
  TextComponent,
  TextFieldComponent,
  TextFieldValidation,
  TextValidation,
} from './model.js';

export interface FormSchemaProblem {
  componentId?: string;
  componentType?: string;
  message: string;
}

/** A form file the engine cannot run as it is. The message has one line per problem, each naming form and component. */
export class FormSchemaError extends Error {
  override name = 'FormSchemaError';

  constructor(
    readonly formId: string | undefined,
    readonly problems: FormSchemaProblem[],
  ) {
    super(problems.map((problem) => describeProblem(formId, problem)).join('\n'));
  }
}

function describeProblem(formId: string | undefined, problem: FormSchemaProblem): string {
  const form = `Form ${formId ?? '(without id)'}`;
  if (problem.componentId === undefined && problem.componentType === undefined) return `${form}: ${problem.message}`;
  return `${form}, component ${problem.componentId ?? '(without id)'} (${problem.componentType ?? 'without type'}): ${problem.message}`;
}

const componentSchemas = new Map<ComponentType, z.ZodType<ParsedComponent>>(
  SUPPORTED_COMPONENT_TYPES.map((type) => [type, definitionOfType(type).schema(schemaKit)]),
);

const formEnvelope = z.strictObject({
  id: z.string().min(1, 'id must not be empty'),
  type: z.literal('default'),
  schemaVersion: z.int().nonnegative(),
  executionPlatform: z.string().optional(),
  executionPlatformVersion: z.string().optional(),
  exporter: z.strictObject({ name: z.string(), version: z.string() }).optional(),
  versionTag: z.string().optional(),
  components: z.array(z.unknown()),
});

/** Groups and lists nest; deeper than this is not a form people can fill in (and would be a recursion risk). */
const MAX_DEPTH = 6;

function issueMessages(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((name) => `property ${path === '' ? name : `${path}.${name}`} not supported yet`);
    }
    return [path === '' ? issue.message : `${path}: ${issue.message}`];
  });
}

function stringProperty(value: unknown, name: string): string | undefined {
  if (typeof value !== 'object' || value === null || !Object.hasOwn(value, name)) return undefined;
  const property: unknown = Reflect.get(value, name);
  return typeof property === 'string' ? property : undefined;
}

/** Parses and checks a `.form` file's JSON. Throws `FormSchemaError` listing every problem found. */
export function parseForm(json: unknown): FormSchema {
  const formId = stringProperty(json, 'id');
  const envelope = formEnvelope.safeParse(json);
  if (!envelope.success) {
    throw new FormSchemaError(
      formId,
      issueMessages(envelope.error.issues).map((message) => ({ message })),
    );
  }

  const problems: FormSchemaProblem[] = [];
  const components = parseComponents(envelope.data.components, problems, 1);
  problems.push(...duplicates(components));

  if (problems.length > 0) throw new FormSchemaError(envelope.data.id, problems);
  return { ...envelope.data, components };
}

function parseComponents(raws: readonly unknown[], problems: FormSchemaProblem[], depth: number): FormComponent[] {
  const components: FormComponent[] = [];
  for (const raw of raws) {
    const componentId = stringProperty(raw, 'id');
    const componentType = stringProperty(raw, 'type');
    const where = { componentId, componentType };
    if (!isSupportedType(componentType)) {
      problems.push({ ...where, message: 'component type not supported yet' });
      continue;
    }
    const parsed = componentSchemas.get(componentType)?.safeParse(raw);
    if (parsed === undefined) continue;
    if (!parsed.success) {
      problems.push(...issueMessages(parsed.error.issues).map((message) => ({ ...where, message })));
      continue;
    }
    const component = parsed.data;
    if (component.type !== 'group' && component.type !== 'dynamiclist') {
      components.push(component);
    } else if (depth >= MAX_DEPTH) {
      problems.push({ ...where, message: `groups and lists nested deeper than ${MAX_DEPTH} levels are not supported` });
    } else if (component.type === 'group') {
      components.push({ ...component, components: parseComponents(component.components, problems, depth + 1) });
    } else {
      components.push({ ...component, components: parseComponents(component.components, problems, depth + 1) });
    }
  }
  return components;
}

/**
 * Ids are unique in the whole form. Keys (with the paths of enclosing groups and lists) must not collide
 * and no value may sit inside another: `address` and `address.street` cannot both be fields.
 */
function duplicates(components: FormComponent[]): FormSchemaProblem[] {
  const problems: FormSchemaProblem[] = [];
  const ids = new Set<string>();
  for (const component of allComponents(components)) {
    if (ids.has(component.id)) {
      problems.push({
        componentId: component.id,
        componentType: component.type,
        message: 'id is used by another component',
      });
    }
    ids.add(component.id);
  }

  const leaves = new Map<string, FormComponent>();
  const collect = (list: readonly FormComponent[], prefix: string[]) => {
    for (const component of list) {
      if (component.type === 'group') collect(component.components, [...prefix, ...segments(component.path)]);
      else if (component.type === 'dynamiclist') {
        const path = [...prefix, ...segments(component.path)];
        claim(path, component, component.path);
        collect(component.components, [...path, '[]']);
      } else if (isKeyedComponent(component)) claim([...prefix, ...segments(component.key)], component, component.key);
    }
  };
  const claim = (path: string[], component: FormComponent, name: string) => {
    const joined = path.join('.');
    const where = { componentId: component.id, componentType: component.type };
    const other = leaves.get(joined);
    if (other !== undefined) problems.push({ ...where, message: `key "${name}" is used by another component` });
    else leaves.set(joined, component);
  };
  collect(components, []);

  for (const [joined, component] of leaves) {
    const parts = joined.split('.');
    for (let length = 1; length < parts.length; length++) {
      const outer = leaves.get(parts.slice(0, length).join('.'));
      // A list's own fields sit inside its items (`contacts.[].email`); anything else inside it collides.
      if (outer === undefined || (outer.type === 'dynamiclist' && parts[length] === '[]')) continue;
      problems.push({
        componentId: component.id,
        componentType: component.type,
        message: `its value would sit inside the value of component ${outer.id}: a value cannot be both`,
      });
    }
  }
  return problems;
}

function segments(path: string | undefined): string[] {
  return path === undefined || path === '' ? [] : path.split('.');
}
