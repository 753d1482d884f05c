/**
 * Camunda Forms JSON (the `.form` files the editors write): one type, one validator (`parseForm`).
 * Liberal where form-js is liberal, strict where behaviour would change (ADR 0034): what form-js ignores
 * (properties a component does not have, keys of newer form-js versions, display-only components we do not
 * draw) is left out with a warning next to the form; what we cannot run as the editor means (a rule we cannot
 * enforce, FEEL that does not parse, a component that would collect data we do not know) is a
 * `FormSchemaError` naming form, component and property. Each component type's zod schema is in its module
 * (components/<type>.ts), built from schema-kit.ts; this file holds the form around them: the envelope,
 * nesting depth, unique ids and keys, and the line between warnings and errors.
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

/** A form that runs, with what was left out of it or is worth the designer's attention. */
export interface ParsedForm {
  form: FormSchema;
  warnings: FormSchemaProblem[];
}

/** The newest form-js schema version these rules were written against; newer files load with a warning. */
export const KNOWN_SCHEMA_VERSION = 18;

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

/** One line per problem, naming form and component (for the CLI and logs). */
export function describeProblem(formId: string | undefined, problem: FormSchemaProblem): string {
  const form = `Form ${formId ?? '(without id)'}`;
  if (problem.componentId === undefined && problem.componentType === undefined) return `${form}: ${problem.message}`;
  return `${form}, component ${problem.componentId ?? '(without id)'} (${problem.componentType ?? 'without type'}): ${problem.message}`;
}

const componentSchemas = new Map<ComponentType, z.ZodType<ParsedComponent>>(
  SUPPORTED_COMPONENT_TYPES.map((type) => [type, definitionOfType(type).schema(schemaKit)]),
);

const formEnvelope = z.strictObject({
  // Editor metadata: what wrote the file and for which engine. It changes nothing, so it is accepted quietly.
  $schema: z.string().optional(),
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
  return issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
}

function stringProperty(value: unknown, name: string): string | undefined {
  if (typeof value !== 'object' || value === null || !Object.hasOwn(value, name)) return undefined;
  const property: unknown = Reflect.get(value, name);
  return typeof property === 'string' ? property : undefined;
}

interface Tolerated<T> {
  data?: T;
  errors: string[];
  /** Properties form-js would ignore, left out: `validate.requiredMessage`. */
  ignored: string[];
}

/**
 * Parses `raw`, leaving out every property the schema does not know (form-js ignores them too): the schemas
 * are strict so that nothing is dropped silently, and this is where dropping becomes a warning. Retries
 * because a property left out can reveal none further (strict objects report all of theirs at once).
 */
function parseTolerant<T>(schema: z.ZodType<T>, raw: unknown): Tolerated<T> {
  const ignored: string[] = [];
  let input = raw;
  // Each round leaves out at least one property, and a property is left out once: the loop ends.
  for (;;) {
    const result = schema.safeParse(input);
    if (result.success) return { data: result.data, errors: [], ignored };
    const unknown = result.error.issues.filter((issue) => issue.code === 'unrecognized_keys');
    const errors = result.error.issues.filter((issue) => issue.code !== 'unrecognized_keys');
    const properties = unknown.flatMap((issue) =>
      issue.keys.map((name) => [...issue.path.map(String), name].join('.')),
    );
    if (properties.some((property) => ignored.includes(property))) {
      return {
        errors: [...issueMessages(errors), ...properties.map((property) => `${property} cannot be left out`)],
        ignored,
      };
    }
    ignored.push(...properties);
    for (const issue of unknown) input = withoutKeys(input, issue.path, issue.keys);
    if (errors.length > 0 || unknown.length === 0) return { errors: issueMessages(errors), ignored };
  }
}

/** A copy of `value` without `keys` in the object at `path` (copies only along the path). */
function withoutKeys(value: unknown, path: readonly PropertyKey[], keys: readonly string[]): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    return head === undefined
      ? value
      : value.map((item, index) => (index === head ? withoutKeys(item, rest, keys) : item));
  }
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  if (head === undefined) {
    for (const key of keys) delete copy[key];
  } else if (typeof head === 'string' || typeof head === 'number') {
    copy[head] = withoutKeys(copy[head], rest, keys);
  }
  return copy;
}

const ignoredMessage = (property: string) => `property ${property} is ignored (form-js does not use it here)`;

/** Parses and checks a `.form` file's JSON. Throws `FormSchemaError` listing every problem that would change behaviour. */
export function parseForm(json: unknown): ParsedForm {
  const formId = stringProperty(json, 'id');
  const envelope = parseTolerant(formEnvelope, json);
  if (envelope.data === undefined) {
    throw new FormSchemaError(
      formId,
      envelope.errors.map((message) => ({ message })),
    );
  }
  const warnings: FormSchemaProblem[] = envelope.ignored.map((property) => ({ message: ignoredMessage(property) }));
  if (envelope.data.schemaVersion > KNOWN_SCHEMA_VERSION) {
    warnings.push({
      message:
        `schemaVersion ${envelope.data.schemaVersion} is newer than ${KNOWN_SCHEMA_VERSION}, the newest Lotse knows; ` +
        'properties it does not know are ignored with a warning',
    });
  }

  const problems: FormSchemaProblem[] = [];
  const components = parseComponents(envelope.data.components, { problems, warnings }, 1);
  problems.push(...duplicates(components));

  if (problems.length > 0) throw new FormSchemaError(envelope.data.id, problems);
  const { $schema: _schema, ...form } = envelope.data;
  return { form: { ...form, components }, warnings };
}

/** The embedded forms of a model (`zeebe:userTaskForm`, ADR 0034), parsed, by their id in the model. */
export function parseEmbeddedForms(bodies: Readonly<Record<string, string>>): Record<string, ParsedForm> {
  const parsed: Record<string, ParsedForm> = {};
  for (const [id, body] of Object.entries(bodies)) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (error) {
      throw new FormSchemaError(id, [{ message: `the embedded form is not valid JSON: ${(error as Error).message}` }]);
    }
    const { form, warnings } = parseForm(json);
    // The model names the form by its zeebe:userTaskForm id; the JSON's own id may be anything (often Form_…).
    parsed[id] = { form: { ...form, id }, warnings };
  }
  return parsed;
}

interface Findings {
  problems: FormSchemaProblem[];
  warnings: FormSchemaProblem[];
}

/** Whether an unknown component would hold data (a key or path) or other components: leaving it out would lose them. */
function holdsData(raw: unknown): boolean {
  const key = stringProperty(raw, 'key') ?? stringProperty(raw, 'path');
  const children: unknown = typeof raw === 'object' && raw !== null ? Reflect.get(raw, 'components') : undefined;
  return (key !== undefined && key !== '') || (Array.isArray(children) && children.length > 0);
}

function parseComponents(raws: readonly unknown[], findings: Findings, depth: number): FormComponent[] {
  const { problems, warnings } = findings;
  const components: FormComponent[] = [];
  for (const raw of raws) {
    const componentId = stringProperty(raw, 'id');
    const componentType = stringProperty(raw, 'type');
    const where = { componentId, componentType };
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      problems.push({ ...where, message: 'a component must be a JSON object' });
      continue;
    }
    if (!isSupportedType(componentType)) {
      if (holdsData(raw)) {
        problems.push({ ...where, message: 'component type not supported yet (it would collect data or hold fields)' });
      } else {
        warnings.push({ ...where, message: 'component type not supported yet; it is not shown' });
      }
      continue;
    }
    const definition = definitionOfType(componentType);
    const schema = componentSchemas.get(componentType);
    if (schema === undefined) continue;
    const parsed = parseTolerant(schema, raw);
    warnings.push(...parsed.ignored.map((property) => ({ ...where, message: ignoredMessage(property) })));
    if (parsed.data === undefined) {
      problems.push(...parsed.errors.map((message) => ({ ...where, message })));
      continue;
    }
    const component = parsed.data;
    warnings.push(...(definition.warnings?.(component, schemaKit) ?? []).map((message) => ({ ...where, message })));
    if (component.type !== 'group' && component.type !== 'dynamiclist') {
      components.push(component);
    } else if (depth >= MAX_DEPTH) {
      problems.push({ ...where, message: `groups and lists nested deeper than ${MAX_DEPTH} levels are not supported` });
    } else if (component.type === 'group') {
      components.push({ ...component, components: parseComponents(component.components, findings, depth + 1) });
    } else {
      components.push({ ...component, components: parseComponents(component.components, findings, depth + 1) });
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
