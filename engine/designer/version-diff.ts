/**
 * What changed between two versions of a service (or a draft and the version it will replace), in the terms a
 * designer and a team lead think in: elements of the diagram by id, form fields by key, decisions, the
 * service's description. Shown before publishing and used to judge whether running cases can move.
 */
import { BpmnModdle, type ModdleNode } from 'bpmn-moddle';
import zeebeDescriptor from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { childOf, childrenOf, extensionOf, extensionsOf, idOf, stringOf } from '../model/moddle-reader.js';
import { readMetadata, type ServiceFiles, type ServiceMetadata } from './service-files.js';

/** An aspect of an element that can change. */
export type ElementAspect =
  | 'name'
  | 'kind'
  | 'assignment'
  | 'form'
  | 'jobType'
  | 'headers'
  | 'condition'
  | 'decision'
  | 'mappings'
  | 'timer'
  | 'message'
  | 'status'
  | 'flow'
  | 'properties';

export interface ElementRef {
  id: string;
  name?: string;
  /** BPMN type, e.g. `bpmn:UserTask`. */
  kind: string;
}

export interface FieldChange {
  key: string;
  label?: string;
  /** Properties that differ (label, type, validate, values, …). */
  changes: string[];
}

export interface FormDiff {
  formId: string;
  file: string;
  fieldsAdded: { key: string; label?: string }[];
  fieldsRemoved: { key: string; label?: string }[];
  fieldsChanged: FieldChange[];
}

export interface VersionDiff {
  elementsAdded: ElementRef[];
  elementsRemoved: ElementRef[];
  elementsChanged: (ElementRef & { changes: ElementAspect[] })[];
  formsAdded: string[];
  formsRemoved: string[];
  formsChanged: FormDiff[];
  /** Decisions (DMN) by id. */
  decisionsAdded: string[];
  decisionsRemoved: string[];
  decisionsChanged: string[];
  /** Keys of service.json's metadata that differ (title, summary, description, …). */
  metadataChanged: (keyof ServiceMetadata)[];
  /** Every file whose text differs, was added or was removed (translations and scenarios included). */
  filesAdded: string[];
  filesRemoved: string[];
  filesChanged: string[];
  /** True when nothing at all differs. */
  unchanged: boolean;
}

interface ElementInfo extends ElementRef {
  aspects: Partial<Record<ElementAspect, string>>;
}

/** The diagram's elements by id with a comparable text per aspect. */
async function elementsOf(files: ServiceFiles): Promise<Map<string, ElementInfo>> {
  const elements = new Map<string, ElementInfo>();
  for (const [file, xml] of Object.entries(files)) {
    if (!file.endsWith('.bpmn')) continue;
    let root: ModdleNode;
    try {
      root = (await new BpmnModdle({ zeebe: zeebeDescriptor }).fromXML(xml)).rootElement;
    } catch {
      continue;
    }
    const visit = (node: ModdleNode) => {
      const id = idOf(node);
      if (id && node.$type !== 'bpmn:Definitions' && node.$type !== 'bpmn:Process') {
        elements.set(id, { id, kind: node.$type, ...nameOf(node), aspects: aspectsOf(node) });
      }
      for (const property of ['rootElements', 'flowElements'])
        for (const child of childrenOf(node, property)) visit(child);
    };
    visit(root);
  }
  return elements;
}

function nameOf(node: ModdleNode): { name?: string } {
  const name = stringOf(node, 'name');
  return name ? { name } : {};
}

function attributesOf(node: ModdleNode | undefined, names: string[]): string | undefined {
  if (!node) return undefined;
  return JSON.stringify(names.map((name) => stringOf(node, name) ?? null));
}

function aspectsOf(node: ModdleNode): Partial<Record<ElementAspect, string>> {
  const aspects: Partial<Record<ElementAspect, string>> = {};
  const set = (aspect: ElementAspect, value: string | undefined) => {
    if (value !== undefined) aspects[aspect] = value;
  };
  set('name', stringOf(node, 'name'));
  set('kind', node.$type);
  set(
    'assignment',
    attributesOf(extensionOf(node, 'zeebe:AssignmentDefinition'), ['assignee', 'candidateGroups', 'candidateUsers']),
  );
  set('form', attributesOf(extensionOf(node, 'zeebe:FormDefinition'), ['formId', 'formKey']));
  set('jobType', attributesOf(extensionOf(node, 'zeebe:TaskDefinition'), ['type', 'retries']));
  const headers = extensionOf(node, 'zeebe:TaskHeaders');
  if (headers)
    set(
      'headers',
      JSON.stringify(childrenOf(headers, 'values').map((h) => [stringOf(h, 'key'), stringOf(h, 'value')])),
    );
  const condition = childOf(node, 'conditionExpression');
  if (condition) set('condition', stringOf(condition, 'body'));
  set('decision', attributesOf(extensionOf(node, 'zeebe:CalledDecision'), ['decisionId', 'resultVariable']));
  const io = extensionOf(node, 'zeebe:IoMapping');
  if (io) {
    const mapping = (property: string) =>
      childrenOf(io, property).map((entry) => [stringOf(entry, 'source'), stringOf(entry, 'target')]);
    set('mappings', JSON.stringify({ inputs: mapping('inputParameters'), outputs: mapping('outputParameters') }));
  }
  const definitions = childrenOf(node, 'eventDefinitions');
  const timer = definitions.find((definition) => definition.$type === 'bpmn:TimerEventDefinition');
  if (timer) {
    set(
      'timer',
      JSON.stringify(
        ['timeDuration', 'timeDate', 'timeCycle'].map((property) => {
          const expression = childOf(timer, property);
          return expression ? stringOf(expression, 'body') : null;
        }),
      ),
    );
  }
  const message = definitions.find((definition) => definition.$type === 'bpmn:MessageEventDefinition');
  if (message) {
    const ref = childOf(message, 'messageRef');
    set('message', JSON.stringify([ref ? stringOf(ref, 'name') : null]));
  }
  const properties = extensionOf(node, 'zeebe:Properties');
  if (properties) {
    const entries = childrenOf(properties, 'properties').map((p) => [stringOf(p, 'name'), stringOf(p, 'value')]);
    set('status', JSON.stringify(entries.filter(([name]) => name === 'status')));
    set('properties', JSON.stringify(entries.filter(([name]) => name !== 'status')));
  }
  if (node.$type === 'bpmn:SequenceFlow') {
    const source = childOf(node, 'sourceRef');
    const target = childOf(node, 'targetRef');
    set('flow', JSON.stringify([source ? idOf(source) : null, target ? idOf(target) : null]));
  }
  // Other extensions (called elements, scripts, …) count as properties.
  const known = new Set([
    'zeebe:AssignmentDefinition',
    'zeebe:FormDefinition',
    'zeebe:TaskDefinition',
    'zeebe:TaskHeaders',
    'zeebe:CalledDecision',
    'zeebe:IoMapping',
    'zeebe:Properties',
  ]);
  const others = extensionsOf(node).filter((extension) => !known.has(extension.$type));
  if (others.length > 0) {
    const flat = others.map((extension) =>
      Object.fromEntries(
        Object.entries(extension).filter(([key, value]) => !key.startsWith('$') && typeof value !== 'object'),
      ),
    );
    aspects.properties = JSON.stringify([aspects.properties ?? null, others.map((e) => e.$type), flat]);
  }
  return aspects;
}

interface FieldInfo {
  key: string;
  label?: string;
  json: Record<string, unknown>;
}

interface FormInfo {
  id: string;
  file: string;
  fields: Map<string, FieldInfo>;
}

/** Forms by id with their components by key (or id for components without a key), nested ones included. */
function formsOf(files: ServiceFiles): Map<string, FormInfo> {
  const forms = new Map<string, FormInfo>();
  for (const [file, text] of Object.entries(files)) {
    if (!file.endsWith('.form')) continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      continue;
    }
    if (typeof json !== 'object' || json === null) continue;
    const form = json as { id?: unknown; components?: unknown };
    const id = typeof form.id === 'string' ? form.id : file.replace(/\.form$/, '');
    const fields = new Map<string, FieldInfo>();
    const visit = (components: unknown) => {
      if (!Array.isArray(components)) return;
      for (const component of components) {
        if (typeof component !== 'object' || component === null) continue;
        const entry = component as Record<string, unknown>;
        const key = typeof entry.key === 'string' ? entry.key : typeof entry.id === 'string' ? entry.id : undefined;
        if (key) {
          const { components: children, layout: _layout, ...rest } = entry;
          void _layout;
          fields.set(key, { key, ...(typeof entry.label === 'string' && { label: entry.label }), json: rest });
          visit(children);
        } else {
          visit(entry.components);
        }
      }
    };
    visit(form.components);
    forms.set(id, { id, file, fields });
  }
  return forms;
}

function decisionsOf(files: ServiceFiles): Map<string, string> {
  const decisions = new Map<string, string>();
  for (const [file, xml] of Object.entries(files)) {
    if (!file.endsWith('.dmn')) continue;
    // Each decision's element text, from its opening tag to its closing tag: enough to tell it changed.
    for (const match of xml.matchAll(/<(?:dmn:)?decision\b[^>]*\bid="([^"]+)"[\s\S]*?<\/(?:dmn:)?decision>/g)) {
      const id = match[1];
      if (id) decisions.set(id, match[0]);
    }
  }
  return decisions;
}

const ref = (info: ElementInfo): ElementRef => ({
  id: info.id,
  kind: info.kind,
  ...(info.name && { name: info.name }),
});

const ASPECTS: ElementAspect[] = [
  'name',
  'kind',
  'assignment',
  'form',
  'jobType',
  'headers',
  'condition',
  'decision',
  'mappings',
  'timer',
  'message',
  'status',
  'flow',
  'properties',
];

export async function diffServiceFiles(before: ServiceFiles, after: ServiceFiles): Promise<VersionDiff> {
  const [oldElements, newElements] = await Promise.all([elementsOf(before), elementsOf(after)]);
  const elementsAdded = [...newElements.values()].filter((e) => !oldElements.has(e.id)).map(ref);
  const elementsRemoved = [...oldElements.values()].filter((e) => !newElements.has(e.id)).map(ref);
  const elementsChanged: VersionDiff['elementsChanged'] = [];
  for (const [id, next] of newElements) {
    const previous = oldElements.get(id);
    if (!previous) continue;
    const changes = ASPECTS.filter((aspect) => previous.aspects[aspect] !== next.aspects[aspect]);
    if (changes.length > 0) elementsChanged.push({ ...ref(next), changes });
  }

  const oldForms = formsOf(before);
  const newForms = formsOf(after);
  const formsChanged: FormDiff[] = [];
  for (const [id, next] of newForms) {
    const previous = oldForms.get(id);
    if (!previous) continue;
    const brief = (field: FieldInfo) => ({ key: field.key, ...(field.label && { label: field.label }) });
    const fieldsAdded = [...next.fields.values()].filter((f) => !previous.fields.has(f.key)).map(brief);
    const fieldsRemoved = [...previous.fields.values()].filter((f) => !next.fields.has(f.key)).map(brief);
    const fieldsChanged: FieldChange[] = [];
    for (const [key, field] of next.fields) {
      const old = previous.fields.get(key);
      if (!old) continue;
      const properties = new Set([...Object.keys(old.json), ...Object.keys(field.json)]);
      const changes = [...properties].filter(
        (property) => JSON.stringify(old.json[property]) !== JSON.stringify(field.json[property]),
      );
      if (changes.length > 0) fieldsChanged.push({ ...brief(field), changes: changes.sort() });
    }
    if (fieldsAdded.length + fieldsRemoved.length + fieldsChanged.length > 0) {
      formsChanged.push({ formId: id, file: next.file, fieldsAdded, fieldsRemoved, fieldsChanged });
    }
  }

  const oldDecisions = decisionsOf(before);
  const newDecisions = decisionsOf(after);

  const oldMetadata = readMetadata(before);
  const newMetadata = readMetadata(after);
  const metadataKeys = new Set([...Object.keys(oldMetadata ?? {}), ...Object.keys(newMetadata ?? {})]);
  const metadataChanged = [...metadataKeys].filter(
    (key) =>
      JSON.stringify(oldMetadata?.[key as keyof ServiceMetadata]) !==
      JSON.stringify(newMetadata?.[key as keyof ServiceMetadata]),
  ) as (keyof ServiceMetadata)[];

  const filesAdded = Object.keys(after)
    .filter((name) => !(name in before))
    .sort();
  const filesRemoved = Object.keys(before)
    .filter((name) => !(name in after))
    .sort();
  const filesChanged = Object.keys(after)
    .filter((name) => name in before && before[name] !== after[name])
    .sort();

  return {
    elementsAdded,
    elementsRemoved,
    elementsChanged,
    formsAdded: [...newForms.keys()].filter((id) => !oldForms.has(id)),
    formsRemoved: [...oldForms.keys()].filter((id) => !newForms.has(id)),
    formsChanged,
    decisionsAdded: [...newDecisions.keys()].filter((id) => !oldDecisions.has(id)),
    decisionsRemoved: [...oldDecisions.keys()].filter((id) => !newDecisions.has(id)),
    decisionsChanged: [...newDecisions.keys()].filter(
      (id) => oldDecisions.has(id) && oldDecisions.get(id) !== newDecisions.get(id),
    ),
    metadataChanged,
    filesAdded,
    filesRemoved,
    filesChanged,
    unchanged: filesAdded.length + filesRemoved.length + filesChanged.length === 0,
  };
}
