/**
 * Reading the Zeebe extension elements (`zeebe:taskDefinition`, `zeebe:ioMapping`, `zeebe:loopCharacteristics`,
 * `zeebe:assignmentDefinition`, …) into checked model values. Every FEEL expression is parsed here, so a typo
 * is a compile error, not an incident in a running case.
 */
import { checkExpression, FeelError, isExpression, stripExpression } from '../feel/feel.js';
import { parseDateTime } from './timers.js';
import type { IssueLog } from './issues.js';
import {
  booleanOf,
  childOf,
  childrenOf,
  extensionOf,
  extensionsOf,
  stringOf,
  xmlNameOf,
  type ModdleNode,
} from './moddle-reader.js';
import type { IoMapping, JobDefinition, MultiInstance, UserTaskElement, VariableMapping } from './process-model.js';

/** Zeebe's default when `zeebe:taskDefinition` has no `retries`. */
export const DEFAULT_JOB_RETRIES = 3;

const JOB = ['zeebe:TaskDefinition', 'zeebe:TaskHeaders'];
const COMMON = ['zeebe:Properties', 'zeebe:IoMapping'];

/** The extension elements each BPMN element may carry; anything else is a compile error. */
export const SUPPORTED_EXTENSIONS: Record<string, ReadonlySet<string>> = {
  'bpmn:StartEvent': new Set(['zeebe:FormDefinition', ...COMMON]),
  'bpmn:EndEvent': new Set([...COMMON, ...JOB]),
  'bpmn:IntermediateThrowEvent': new Set([...COMMON, ...JOB]),
  'bpmn:IntermediateCatchEvent': new Set(COMMON),
  'bpmn:BoundaryEvent': new Set(COMMON),
  // zeebe:UserTask marks a "Camunda user task" (the Modeler adds it by default since 8.5); without it Zeebe makes
  // a job-worker user task. Lotse runs both as its own tasks (ADR 0034).
  'bpmn:UserTask': new Set([
    'zeebe:AssignmentDefinition',
    'zeebe:FormDefinition',
    'zeebe:UserTask',
    'zeebe:TaskSchedule',
    'zeebe:PriorityDefinition',
    ...COMMON,
  ]),
  'bpmn:ServiceTask': new Set([...JOB, ...COMMON]),
  'bpmn:SendTask': new Set([...JOB, ...COMMON]),
  'bpmn:ScriptTask': new Set(['zeebe:Script', ...JOB, ...COMMON]),
  'bpmn:BusinessRuleTask': new Set(['zeebe:CalledDecision', ...JOB, ...COMMON]),
  'bpmn:ReceiveTask': new Set(COMMON),
  'bpmn:ManualTask': new Set(COMMON),
  'bpmn:Task': new Set(COMMON),
  'bpmn:SubProcess': new Set(COMMON),
  'bpmn:CallActivity': new Set(['zeebe:CalledElement', ...COMMON]),
  'bpmn:ExclusiveGateway': new Set(['zeebe:Properties']),
  'bpmn:ParallelGateway': new Set(['zeebe:Properties']),
  'bpmn:InclusiveGateway': new Set(['zeebe:Properties']),
  'bpmn:EventBasedGateway': new Set(['zeebe:Properties']),
};

export function rejectExtensions(node: ModdleNode, supported: ReadonlySet<string>, log: IssueLog): void {
  for (const extension of extensionsOf(node)) {
    if (!supported.has(extension.$type)) {
      const known = extension.$type.startsWith('zeebe:') ? 'not supported on this element (yet)' : 'unknown';
      log.error(node, `extension element <${xmlNameOf(extension.$type)}> is ${known}`);
    }
  }
}

/** Checks a FEEL expression (without `=`); reports `what` is not valid FEEL. */
export function checkFeel(node: ModdleNode, expression: string, what: string, log: IssueLog): void {
  try {
    checkExpression(expression);
  } catch (error) {
    if (!(error instanceof FeelError)) {
      throw error;
    }
    log.error(node, `${what} is not valid FEEL: ${error.message}`);
  }
}

/** A value that is static text or `=` FEEL: checks the FEEL and returns the value as written. */
export function valueOrExpression(node: ModdleNode, value: string, what: string, log: IssueLog): string {
  if (isExpression(value)) {
    checkFeel(node, stripExpression(value), what, log);
  }
  return value;
}

/** A value that must be FEEL: returns it without the `=`. */
export function requiredExpression(node: ModdleNode, value: string | undefined, what: string, log: IssueLog): string {
  const trimmed = value?.trim() ?? '';
  if (!isExpression(trimmed)) {
    log.error(node, `${what} must be a FEEL expression starting with "=", e.g. "=items"`);
    return trimmed;
  }
  const expression = stripExpression(trimmed);
  checkFeel(node, expression, what, log);
  return expression;
}

export function statusOf(node: ModdleNode): string | undefined {
  const properties = extensionOf(node, 'zeebe:Properties');
  const statusProperty = properties
    ? childrenOf(properties, 'properties').find((property) => stringOf(property, 'name') === 'status')
    : undefined;
  const value = statusProperty ? stringOf(statusProperty, 'value')?.trim() : undefined;
  return value === '' ? undefined : value;
}

/** The prefix of a `formKey` that names a form embedded in the process (`zeebe:userTaskForm`). */
export const EMBEDDED_FORM_KEY_PREFIX = 'camunda-forms:bpmn:';

/**
 * An attribute as written in the file, not its schema default: zeebe-bpmn-moddle gives `bindingType` the default
 * "latest", which the Modeler leaves out; only a written one is worth a warning. Undeclared attributes sit in `$attrs`.
 */
function writtenAttributeOf(node: ModdleNode, name: string): string | undefined {
  const attributes: unknown = node['$attrs'];
  const value: unknown = Object.hasOwn(node, name)
    ? node[name]
    : typeof attributes === 'object' && attributes !== null
      ? Reflect.get(attributes, name)
      : undefined;
  return typeof value === 'string' ? value.trim() : undefined;
}

/**
 * The id of the form a start event or user task shows (ADR 0034): a linked form (`formId`, from the service's
 * `.form` files) or a form embedded in the process (`formKey="camunda-forms:bpmn:<id>"`, the id of its
 * `zeebe:userTaskForm`). External forms (`externalReference`, any other `formKey`) have no form here: undefined,
 * with a warning; the task is done with a plain button.
 */
export function formIdOf(node: ModdleNode, log: IssueLog): string | undefined {
  const form = extensionOf(node, 'zeebe:FormDefinition');
  if (form === undefined) {
    return undefined;
  }
  const formKey = stringOf(form, 'formKey')?.trim();
  const externalReference = stringOf(form, 'externalReference')?.trim();
  const formId = stringOf(form, 'formId')?.trim();
  const given = [formKey, externalReference, formId].filter((value) => value !== undefined && value !== '');
  if (given.length > 1) {
    log.error(node, 'zeebe:formDefinition has more than one of formId, formKey and externalReference; keep one');
    return undefined;
  }
  if (formKey !== undefined && formKey.startsWith(EMBEDDED_FORM_KEY_PREFIX)) {
    const embeddedId = formKey.slice(EMBEDDED_FORM_KEY_PREFIX.length).trim();
    if (embeddedId === '') log.error(node, `the formKey "${formKey}" names no embedded form`);
    return embeddedId === '' ? undefined : embeddedId;
  }
  const external = externalReference !== undefined && externalReference !== '' ? externalReference : formKey;
  if (external !== undefined && external !== '') {
    if (isExpression(external)) checkFeel(node, stripExpression(external), 'the external form reference', log);
    log.warn(
      node,
      `the form is external ("${external}"): Lotse shows no form for it; the task page links to it and the task is ` +
        'completed with a plain "Erledigt" button',
    );
    return undefined;
  }
  if (formId === undefined || formId === '') {
    log.error(node, 'zeebe:formDefinition has no formId');
    return undefined;
  }
  if (isExpression(formId)) {
    log.error(node, 'FEEL expressions in formId are not supported; name the form');
    return undefined;
  }
  const bindingType = writtenAttributeOf(form, 'bindingType');
  if (bindingType === 'latest' || bindingType === 'versionTag') {
    log.warn(
      node,
      `bindingType "${bindingType}" binds the form when the task starts; Lotse binds every form when the service ` +
        'version is published, with the forms published alongside (as bindingType "deployment")',
    );
  } else if (bindingType !== undefined && bindingType !== 'deployment') {
    log.error(node, `bindingType "${bindingType}" is unknown; use deployment, latest or versionTag`);
  }
  return formId;
}

/** The external form reference of a start event or user task (`externalReference` or a non-embedded `formKey`). */
export function externalFormOf(node: ModdleNode): string | undefined {
  const form = extensionOf(node, 'zeebe:FormDefinition');
  if (form === undefined) return undefined;
  const externalReference = stringOf(form, 'externalReference')?.trim();
  if (externalReference !== undefined && externalReference !== '') return externalReference;
  const formKey = stringOf(form, 'formKey')?.trim();
  return formKey !== undefined && formKey !== '' && !formKey.startsWith(EMBEDDED_FORM_KEY_PREFIX) ? formKey : undefined;
}

/**
 * The forms embedded in a process (`zeebe:userTaskForm`, as older Camunda Modeler versions write them): JSON text
 * by id. The JSON is checked with the service's forms (forms/schema.ts `parseEmbeddedForms`), not here.
 */
export function embeddedFormsOf(process: ModdleNode, log: IssueLog): Record<string, string> {
  const forms: Record<string, string> = {};
  for (const extension of extensionsOf(process)) {
    if (extension.$type !== 'zeebe:UserTaskForm') continue;
    const id = stringOf(extension, 'id')?.trim() ?? '';
    const body = stringOf(extension, 'body') ?? '';
    if (id === '') log.error(process, 'a zeebe:userTaskForm has no id');
    else if (id in forms) log.error(process, `the embedded form id "${id}" is used twice`);
    else if (body.trim() === '') log.error(process, `the embedded form "${id}" is empty`);
    else forms[id] = body;
  }
  return forms;
}

/** `zeebe:taskDefinition` and `zeebe:taskHeaders`; undefined (and no error) when the element has no task definition. */
export function jobDefinitionOf(node: ModdleNode, log: IssueLog): JobDefinition | undefined {
  const definition = extensionOf(node, 'zeebe:TaskDefinition');
  if (definition === undefined) {
    return undefined;
  }
  const taskType = stringOf(definition, 'type')?.trim() ?? '';
  if (taskType === '') {
    log.error(node, 'zeebe:taskDefinition type is missing; it chooses the activity that runs the task');
  } else {
    valueOrExpression(node, taskType, 'the task type', log);
  }

  const retriesText = stringOf(definition, 'retries')?.trim();
  let retries = DEFAULT_JOB_RETRIES;
  if (retriesText !== undefined && retriesText !== '') {
    if (/^[1-9]\d*$/.test(retriesText)) {
      retries = Number(retriesText);
    } else {
      log.error(node, `retries must be a positive whole number, not "${retriesText}"`);
    }
  }

  const headers: Record<string, string> = {};
  const headerContainer = extensionOf(node, 'zeebe:TaskHeaders');
  for (const header of headerContainer ? childrenOf(headerContainer, 'values') : []) {
    const key = stringOf(header, 'key')?.trim();
    if (key === undefined || key === '') {
      log.error(node, 'a task header has no key');
    } else if (key in headers) {
      log.error(node, `the task header "${key}" is defined twice`);
    } else {
      headers[key] = stringOf(header, 'value') ?? '';
    }
  }
  return { taskType, retries, headers };
}

/** Task headers without a task definition would be sent nowhere. */
export function rejectHeadersWithoutJob(node: ModdleNode, log: IssueLog): void {
  if (extensionOf(node, 'zeebe:TaskHeaders') !== undefined && extensionOf(node, 'zeebe:TaskDefinition') === undefined) {
    log.error(node, 'zeebe:taskHeaders without zeebe:taskDefinition have no job to go to');
  }
}

// A variable name or a path into one: `order`, `order.status`; no spaces or operators (Zeebe's rules).
const TARGET = /^[^\s.=+\-*/<>?!,;:()[\]{}"']+(\.[^\s.=+\-*/<>?!,;:()[\]{}"']+)*$/;

export function ioMappingOf(node: ModdleNode, log: IssueLog, allowInputs: boolean): IoMapping | undefined {
  const mapping = extensionOf(node, 'zeebe:IoMapping');
  if (mapping === undefined) {
    return undefined;
  }
  const read = (parameters: ModdleNode[], kind: 'input' | 'output'): VariableMapping[] =>
    parameters.map((parameter) => {
      const source = stringOf(parameter, 'source')?.trim() ?? '';
      const target = stringOf(parameter, 'target')?.trim() ?? '';
      if (!TARGET.test(target)) {
        log.error(node, `the ${kind} mapping target "${target}" is not a variable name or a path like "order.status"`);
      }
      valueOrExpression(node, source, `the source of the ${kind} mapping "${target}"`, log);
      return { source, target };
    });
  const inputs = read(childrenOf(mapping, 'inputParameters'), 'input');
  const outputs = read(childrenOf(mapping, 'outputParameters'), 'output');
  if (inputs.length > 0 && !allowInputs) {
    log.error(node, 'input mappings are not supported on this element; use output mappings, or map on the activity');
  }
  if (inputs.length === 0 && outputs.length === 0) {
    return undefined;
  }
  return { inputs: allowInputs ? inputs : [], outputs };
}

export function multiInstanceOf(node: ModdleNode, log: IssueLog): MultiInstance | undefined {
  const characteristics = childOf(node, 'loopCharacteristics');
  if (characteristics === undefined) {
    return undefined;
  }
  if (characteristics.$type !== 'bpmn:MultiInstanceLoopCharacteristics') {
    log.error(node, 'loop markers are not supported; use multi-instance, or a gateway that loops back');
    return undefined;
  }
  if (childOf(characteristics, 'loopCardinality') !== undefined) {
    log.error(
      node,
      'loopCardinality is not supported; iterate over an inputCollection, e.g. "=for i in 1..3 return i"',
    );
  }
  const loop = extensionOf(characteristics, 'zeebe:LoopCharacteristics');
  if (loop === undefined || stringOf(loop, 'inputCollection') === undefined) {
    log.error(node, 'a multi-instance activity needs zeebe:loopCharacteristics with an inputCollection');
    return undefined;
  }
  const inputCollection = requiredExpression(node, stringOf(loop, 'inputCollection'), 'the inputCollection', log);
  const inputElement = stringOf(loop, 'inputElement')?.trim() || undefined;
  const outputCollection = stringOf(loop, 'outputCollection')?.trim() || undefined;
  const outputElementText = stringOf(loop, 'outputElement')?.trim() || undefined;
  if ((outputCollection === undefined) !== (outputElementText === undefined)) {
    log.error(node, 'outputCollection and outputElement go together; set both or neither');
  }
  const outputElement =
    outputElementText === undefined ? undefined : requiredExpression(node, outputElementText, 'the outputElement', log);
  const conditionNode = childOf(characteristics, 'completionCondition');
  const conditionText = conditionNode === undefined ? undefined : stringOf(conditionNode, 'body')?.trim();
  const completionCondition =
    conditionText === undefined || conditionText === ''
      ? undefined
      : requiredExpression(node, conditionText, 'the completionCondition', log);
  return {
    sequential: booleanOf(characteristics, 'isSequential') === true,
    inputCollection,
    ...(inputElement !== undefined && { inputElement }),
    ...(outputCollection !== undefined && { outputCollection }),
    ...(outputElement !== undefined && { outputElement }),
    ...(completionCondition !== undefined && { completionCondition }),
  };
}

type Assignment = Pick<
  UserTaskElement,
  'candidateGroups' | 'assignee' | 'candidateUsers' | 'dueDate' | 'followUpDate' | 'priority' | 'expressions'
>;

/** `zeebe:assignmentDefinition`, `zeebe:taskSchedule` and `zeebe:priorityDefinition` of a user task. */
export function assignmentOf(node: ModdleNode, log: IssueLog): Assignment {
  const assignment = extensionOf(node, 'zeebe:AssignmentDefinition');
  const schedule = extensionOf(node, 'zeebe:TaskSchedule');
  const priorityDefinition = extensionOf(node, 'zeebe:PriorityDefinition');
  const read = (extension: ModdleNode | undefined, property: string): string | undefined => {
    const value = extension ? stringOf(extension, property)?.trim() : undefined;
    return value === '' ? undefined : value;
  };
  const expressions: NonNullable<Assignment['expressions']> = {};
  const expressionOf = (field: keyof typeof expressions, value: string | undefined, what: string): boolean => {
    if (value === undefined || !isExpression(value)) {
      return false;
    }
    expressions[field] = stripExpression(value);
    checkFeel(node, expressions[field], what, log);
    return true;
  };

  const groupsText = read(assignment, 'candidateGroups');
  const usersText = read(assignment, 'candidateUsers');
  const assigneeText = read(assignment, 'assignee');
  const candidateGroups = expressionOf('candidateGroups', groupsText, 'candidateGroups') ? [] : listOf(groupsText);
  const candidateUsers = expressionOf('candidateUsers', usersText, 'candidateUsers') ? [] : listOf(usersText);
  const assignee = expressionOf('assignee', assigneeText, 'the assignee') ? undefined : assigneeText;
  if (groupsText === undefined && usersText === undefined && assigneeText === undefined) {
    log.warn(node, 'the user task has neither candidateGroups nor an assignee; nobody will see it');
  }

  const dateOf = (field: 'dueDate' | 'followUpDate', what: string): string | undefined => {
    const text = read(schedule, field);
    if (text === undefined || expressionOf(field, text, what)) {
      return undefined;
    }
    const parsed = parseDateTime(text);
    if (!parsed.ok) {
      log.error(node, `the ${what} is invalid: ${parsed.message}`);
    }
    return text;
  };
  const dueDate = dateOf('dueDate', 'due date');
  const followUpDate = dateOf('followUpDate', 'follow-up date');

  const priorityText = read(priorityDefinition, 'priority');
  let priority: number | undefined;
  if (priorityText !== undefined && !expressionOf('priority', priorityText, 'the priority')) {
    priority = Number(priorityText);
    if (!/^\d+$/.test(priorityText) || priority > 100) {
      log.error(node, `the priority must be a whole number from 0 to 100, not "${priorityText}"`);
    }
  }
  return {
    candidateGroups,
    ...(assignee !== undefined && { assignee }),
    ...(candidateUsers.length > 0 && { candidateUsers }),
    ...(dueDate !== undefined && { dueDate }),
    ...(followUpDate !== undefined && { followUpDate }),
    ...(priority !== undefined && { priority }),
    ...(Object.keys(expressions).length > 0 && { expressions }),
  };
}

function listOf(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}
