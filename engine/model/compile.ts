/**
 * BPMN 2.0 + Zeebe extensions → ProcessModel. The compiler is the model's only validator: it accepts the
 * slice the interpreter can run and names the element of everything else, so a designer can fix the diagram.
 */
import { BpmnModdle } from 'bpmn-moddle';
import zeebeDescriptor from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { checkExpression, FeelError, isExpression, stripExpression } from '../feel/feel.js';
import {
  booleanOf,
  childOf,
  childrenOf,
  extensionOf,
  extensionsOf,
  idOf,
  isModdleNode,
  stringOf,
  xmlNameOf,
  type ModdleNode,
} from './moddle-reader.js';
import {
  PROCESS_MODEL_FORMAT,
  type ExclusiveGatewayElement,
  type ProcessElement,
  type ProcessModel,
  type SequenceFlow,
  type ServiceTaskElement,
  type UserTaskElement,
} from './process-model.js';

export interface CompileIssue {
  elementId?: string;
  /** BPMN type as written in the XML, e.g. `bpmn:ParallelGateway`. */
  elementType?: string;
  message: string;
}

export type CompileResult =
  { ok: true; model: ProcessModel; warnings: CompileIssue[] } | { ok: false; errors: CompileIssue[] };

/** Zeebe's default when `zeebe:taskDefinition` has no `retries`. */
export const DEFAULT_JOB_RETRIES = 3;

const SUPPORTED_EXTENSIONS: Record<string, ReadonlySet<string>> = {
  'bpmn:StartEvent': new Set(['zeebe:FormDefinition', 'zeebe:Properties']),
  'bpmn:EndEvent': new Set(['zeebe:Properties']),
  // zeebe:UserTask only marks a "Camunda user task" (the Modeler adds it by default since 8.5); Lotse has one kind.
  'bpmn:UserTask': new Set([
    'zeebe:AssignmentDefinition',
    'zeebe:FormDefinition',
    'zeebe:Properties',
    'zeebe:UserTask',
  ]),
  'bpmn:ServiceTask': new Set(['zeebe:TaskDefinition', 'zeebe:TaskHeaders', 'zeebe:Properties']),
  'bpmn:ExclusiveGateway': new Set(['zeebe:Properties']),
};

const UNSUPPORTED_FLOW_ELEMENTS: Record<string, string> = {
  'bpmn:ParallelGateway': 'parallel gateways are not supported yet; use an exclusive gateway',
  'bpmn:InclusiveGateway': 'inclusive gateways are not supported yet; use an exclusive gateway',
  'bpmn:EventBasedGateway': 'event-based gateways are not supported yet',
  'bpmn:ComplexGateway': 'complex gateways are not supported; use an exclusive gateway',
  'bpmn:BoundaryEvent': 'boundary events are not supported yet',
  'bpmn:IntermediateCatchEvent': 'intermediate events are not supported yet',
  'bpmn:IntermediateThrowEvent': 'intermediate events are not supported yet',
  'bpmn:SubProcess': 'sub-processes are not supported yet',
  'bpmn:AdHocSubProcess': 'sub-processes are not supported yet',
  'bpmn:Transaction': 'sub-processes are not supported yet',
  'bpmn:CallActivity': 'call activities are not supported yet',
  'bpmn:Task': 'tasks without a type are not supported; use a user task or a service task',
  'bpmn:ManualTask': 'manual tasks are not supported; use a user task',
  'bpmn:ScriptTask': 'script tasks are not supported yet; use a service task',
  'bpmn:BusinessRuleTask': 'business rule tasks are not supported yet; use an exclusive gateway or a service task',
  'bpmn:SendTask': 'send tasks are not supported yet; use a service task',
  'bpmn:ReceiveTask': 'receive tasks are not supported yet',
};

/** The fields every element kind shares. */
type ElementBase = Pick<ProcessElement, 'id' | 'name' | 'status' | 'incoming' | 'outgoing'>;

interface ParsedFlow {
  flow: SequenceFlow;
  node: ModdleNode;
}

/** Collects issues while the compiler walks the tree; compiling never stops at the first problem. */
class IssueLog {
  readonly errors: CompileIssue[] = [];
  readonly warnings: CompileIssue[] = [];

  error(node: ModdleNode | undefined, message: string): void {
    this.errors.push(issueAt(node, message));
  }

  warn(node: ModdleNode | undefined, message: string): void {
    this.warnings.push(issueAt(node, message));
  }
}

/** Parses and validates a BPMN file; never throws for bad input, every problem becomes an issue. */
export async function compileProcess(bpmnXml: string): Promise<CompileResult> {
  const moddle = new BpmnModdle({ zeebe: zeebeDescriptor });
  let definitions: ModdleNode;
  const log = new IssueLog();
  try {
    const parsed = await moddle.fromXML(bpmnXml);
    definitions = parsed.rootElement;
    for (const warning of parsed.warnings) {
      // Moddle drops what it cannot read (unknown elements, dangling references) and only warns;
      // running a process with silently missing parts would be worse than refusing it.
      const element = isModdleNode(warning['element']) ? warning['element'] : undefined;
      log.error(element, `the BPMN file cannot be read: ${oneLine(warning.message)}`);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, errors: [{ message: `the BPMN file cannot be read: ${oneLine(message)}` }] };
  }
  const model = compileDefinitions(definitions, log);
  if (log.errors.length > 0 || model === undefined) {
    return { ok: false, errors: log.errors };
  }
  return { ok: true, model, warnings: log.warnings };
}

/** `Task_1 (bpmn:UserTask): message` per line, for the CLI and the designer UI. */
export function compileErrorsToText(issues: CompileIssue[]): string {
  return issues.map(formatCompileIssue).join('\n');
}

export function formatCompileIssue(issue: CompileIssue): string {
  if (issue.elementId === undefined) {
    return issue.message;
  }
  const type = issue.elementType === undefined ? '' : ` (${issue.elementType})`;
  return `${issue.elementId}${type}: ${issue.message}`;
}

function compileDefinitions(definitions: ModdleNode, log: IssueLog): ProcessModel | undefined {
  const process = selectProcess(definitions, log);
  if (process === undefined) {
    return undefined;
  }
  const processId = idOf(process) ?? 'process';
  rejectExtensions(process, new Set(), log);

  const elements: Record<string, ProcessElement> = {};
  const flowNodes: ParsedFlow[] = [];
  for (const node of childrenOf(process, 'flowElements')) {
    if (node.$type === 'bpmn:SequenceFlow') {
      const flow = compileFlow(node, log);
      if (flow !== undefined) {
        flowNodes.push({ flow, node });
      }
      continue;
    }
    const element = compileElement(node, log);
    if (element !== undefined) {
      elements[element.id] = element;
    }
  }

  const flows = connect(elements, flowNodes);
  checkGraph(process, elements, flowNodes, log);

  const startEvents = Object.values(elements).filter((element) => element.kind === 'startEvent');
  const startEvent = startEvents[0];
  if (startEvent === undefined) {
    return undefined;
  }
  const name = stringOf(process, 'name');
  return {
    format: PROCESS_MODEL_FORMAT,
    processId,
    ...(name !== undefined && { name }),
    startEventId: startEvent.id,
    elements,
    flows,
  };
}

function selectProcess(definitions: ModdleNode, log: IssueLog): ModdleNode | undefined {
  const rootElements = childrenOf(definitions, 'rootElements');
  const processes = rootElements.filter((node) => node.$type === 'bpmn:Process');
  const executable = processes.filter((node) => booleanOf(node, 'isExecutable') === true);

  for (const node of rootElements) {
    if (node.$type === 'bpmn:Collaboration' && childrenOf(node, 'messageFlows').length > 0) {
      log.error(node, 'message flows are not supported yet');
    }
  }
  if (processes.length === 0) {
    log.error(undefined, 'the file contains no process');
    return undefined;
  }
  if (executable.length === 0) {
    log.error(processes[0], 'no process is executable; set isExecutable="true" on the process');
    return undefined;
  }
  if (executable.length > 1) {
    const ids = executable.map((node) => idOf(node) ?? '?').join(', ');
    for (const node of executable.slice(1)) {
      log.error(
        node,
        `the file contains ${executable.length} executable processes (${ids}); a service has exactly one`,
      );
    }
    return undefined;
  }
  for (const node of processes) {
    if (booleanOf(node, 'isExecutable') !== true) {
      log.warn(node, 'this process is not executable and is ignored');
    }
  }
  return executable[0];
}

function compileElement(node: ModdleNode, log: IssueLog): ProcessElement | undefined {
  const unsupported = UNSUPPORTED_FLOW_ELEMENTS[node.$type];
  const supportedExtensions = SUPPORTED_EXTENSIONS[node.$type];
  if (unsupported !== undefined || supportedExtensions === undefined) {
    log.error(node, unsupported ?? `${node.$type} elements are not supported`);
    return undefined;
  }
  const id = idOf(node);
  if (id === undefined) {
    log.error(node, 'the element has no id');
    return undefined;
  }
  rejectExtensions(node, supportedExtensions, log);
  if (childOf(node, 'loopCharacteristics') !== undefined) {
    log.error(node, 'multi-instance and loop markers are not supported yet');
  }
  const name = stringOf(node, 'name');
  const status = statusOf(node);
  const base: ElementBase = {
    id,
    ...(name !== undefined && { name }),
    ...(status !== undefined && { status }),
    incoming: [],
    outgoing: [],
  };

  switch (node.$type) {
    case 'bpmn:StartEvent': {
      rejectEventDefinitions(node, 'start', log);
      const formId = formIdOf(node, log);
      return { kind: 'startEvent', ...base, ...(formId !== undefined && { formId }) };
    }
    case 'bpmn:EndEvent':
      rejectEventDefinitions(node, 'end', log);
      return { kind: 'endEvent', ...base };
    case 'bpmn:UserTask':
      return compileUserTask(node, base, log);
    case 'bpmn:ServiceTask':
      return compileServiceTask(node, base, log);
    case 'bpmn:ExclusiveGateway': {
      const defaultFlow = idOfReference(childOf(node, 'default'));
      return { kind: 'exclusiveGateway', ...base, ...(defaultFlow !== undefined && { defaultFlow }) };
    }
    default:
      log.error(node, `${node.$type} elements are not supported`);
      return undefined;
  }
}

function compileUserTask(node: ModdleNode, base: ElementBase, log: IssueLog): UserTaskElement {
  const formId = formIdOf(node, log);
  const assignment = extensionOf(node, 'zeebe:AssignmentDefinition');
  const candidateGroupsText = assignment ? stringOf(assignment, 'candidateGroups') : undefined;
  const assigneeText = assignment ? stringOf(assignment, 'assignee') : undefined;

  if (assignment && stringOf(assignment, 'candidateUsers') !== undefined) {
    log.error(node, 'candidateUsers are not supported yet; use candidateGroups or assignee');
  }
  let candidateGroups: string[] = [];
  if (candidateGroupsText !== undefined && isExpression(candidateGroupsText)) {
    log.error(node, 'FEEL expressions in candidateGroups are not supported yet; list the groups, comma-separated');
  } else if (candidateGroupsText !== undefined) {
    candidateGroups = candidateGroupsText
      .split(',')
      .map((group) => group.trim())
      .filter((group) => group !== '');
  }
  let assignee: string | undefined;
  if (assigneeText !== undefined && isExpression(assigneeText)) {
    log.error(node, 'FEEL expressions in assignee are not supported yet; name the user');
  } else if (assigneeText !== undefined && assigneeText.trim() !== '') {
    assignee = assigneeText.trim();
  }
  if (candidateGroups.length === 0 && assignee === undefined) {
    log.warn(node, 'the user task has neither candidateGroups nor an assignee; nobody will see it');
  }
  return {
    kind: 'userTask',
    ...base,
    candidateGroups,
    ...(assignee !== undefined && { assignee }),
    ...(formId !== undefined && { formId }),
  };
}

function compileServiceTask(node: ModdleNode, base: ElementBase, log: IssueLog): ServiceTaskElement {
  const definition = extensionOf(node, 'zeebe:TaskDefinition');
  const taskType = definition ? stringOf(definition, 'type')?.trim() : undefined;
  if (taskType === undefined || taskType === '') {
    log.error(node, 'zeebe:taskDefinition type is missing; it chooses the activity that runs the task');
  } else if (isExpression(taskType)) {
    log.error(node, 'FEEL expressions in the task type are not supported; name the activity');
  }

  const retriesText = definition ? stringOf(definition, 'retries')?.trim() : undefined;
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
  return { kind: 'serviceTask', ...base, taskType: taskType ?? '', retries, headers };
}

function compileFlow(node: ModdleNode, log: IssueLog): SequenceFlow | undefined {
  const id = idOf(node);
  const sourceId = idOfReference(childOf(node, 'sourceRef'));
  const targetId = idOfReference(childOf(node, 'targetRef'));
  if (id === undefined) {
    log.error(node, 'the sequence flow has no id');
    return undefined;
  }
  rejectExtensions(node, new Set(), log);
  if (sourceId === undefined || targetId === undefined) {
    log.error(node, 'the sequence flow must connect a source and a target element');
    return undefined;
  }
  const name = stringOf(node, 'name');
  const condition = conditionOf(node, log);
  return {
    id,
    ...(name !== undefined && { name }),
    sourceId,
    targetId,
    ...(condition !== undefined && { condition }),
  };
}

function conditionOf(node: ModdleNode, log: IssueLog): string | undefined {
  const expression = childOf(node, 'conditionExpression');
  if (expression === undefined) {
    return undefined;
  }
  const body = (stringOf(expression, 'body') ?? '').trim();
  if (!isExpression(body)) {
    log.error(node, `the condition must be a FEEL expression starting with "=", e.g. "=approved = true"`);
    // Still a condition: the gateway checks must not report this flow a second time as unconditional.
    return body;
  }
  const condition = stripExpression(body);
  try {
    checkExpression(condition);
  } catch (error) {
    if (!(error instanceof FeelError)) {
      throw error;
    }
    log.error(node, `the condition is not valid FEEL: ${error.message}`);
  }
  return condition;
}

/** Fills incoming/outgoing from the flows themselves: `<bpmn:incoming>` children are optional in hand-written XML. */
function connect(elements: Record<string, ProcessElement>, flowNodes: ParsedFlow[]): Record<string, SequenceFlow> {
  const flows: Record<string, SequenceFlow> = {};
  for (const { flow } of flowNodes) {
    const source = elements[flow.sourceId];
    const target = elements[flow.targetId];
    // A flow touching an unsupported element cannot run; that element has its own error.
    if (source === undefined || target === undefined) {
      continue;
    }
    flows[flow.id] = flow;
    // Order of outgoing = document order of the flows: the gateway evaluates conditions in this order.
    source.outgoing.push(flow.id);
    target.incoming.push(flow.id);
  }
  return flows;
}

function checkGraph(
  process: ModdleNode,
  elements: Record<string, ProcessElement>,
  flowNodes: ParsedFlow[],
  log: IssueLog,
): void {
  const nodesById = new Map<string, ModdleNode>();
  for (const node of childrenOf(process, 'flowElements')) {
    const id = idOf(node);
    if (id !== undefined) {
      nodesById.set(id, node);
    }
  }
  // Counted over all flows, also those touching an unsupported element: one unsupported element should be
  // one error, not one more for every neighbour that would look unconnected without it.
  const incomingCount = countBy(flowNodes, ({ flow }) => flow.targetId);
  const outgoingCount = countBy(flowNodes, ({ flow }) => flow.sourceId);

  const startEvents = Object.values(elements).filter((element) => element.kind === 'startEvent');
  if (startEvents.length === 0) {
    log.error(process, 'the process needs a start event');
  }
  for (const extra of startEvents.slice(1)) {
    log.error(nodesById.get(extra.id), 'only one start event is supported');
  }

  for (const element of Object.values(elements)) {
    const node = nodesById.get(element.id);
    const incoming = incomingCount.get(element.id) ?? 0;
    const outgoing = outgoingCount.get(element.id) ?? 0;
    if (element.kind === 'startEvent' && incoming > 0) {
      log.error(node, 'a start event cannot have incoming sequence flows');
    }
    if (element.kind !== 'startEvent' && incoming === 0) {
      log.error(node, 'the element has no incoming sequence flow, so it can never be reached');
    }
    if (element.kind === 'endEvent' && outgoing > 0) {
      log.error(node, 'an end event cannot have outgoing sequence flows');
    }
    if (element.kind !== 'endEvent' && outgoing === 0) {
      log.error(node, 'the element has no outgoing sequence flow; connect it or end the path with an end event');
    }
    if (element.kind !== 'exclusiveGateway' && element.kind !== 'endEvent' && outgoing > 1) {
      log.error(
        node,
        `the element has ${outgoing} outgoing sequence flows, which would run in parallel; ` +
          'not supported yet, use an exclusive gateway to choose one path',
      );
    }
  }

  for (const { flow, node } of flowNodes) {
    const source = elements[flow.sourceId];
    if (flow.condition !== undefined && source !== undefined && source.kind !== 'exclusiveGateway') {
      log.error(node, 'conditions are only supported on sequence flows leaving an exclusive gateway');
    }
  }

  for (const gateway of Object.values(elements)) {
    if (gateway.kind === 'exclusiveGateway') {
      checkGateway(gateway, nodesById.get(gateway.id), flowNodes, log);
    }
  }
}

function checkGateway(
  gateway: ExclusiveGatewayElement,
  gatewayNode: ModdleNode | undefined,
  flowNodes: ParsedFlow[],
  log: IssueLog,
): void {
  const leaving = flowNodes.filter(({ flow }) => flow.sourceId === gateway.id);
  if (gateway.defaultFlow !== undefined) {
    const defaultFlow = leaving.find(({ flow }) => flow.id === gateway.defaultFlow);
    if (defaultFlow === undefined) {
      log.error(gatewayNode, `the default flow ${gateway.defaultFlow} does not leave this gateway`);
    } else if (defaultFlow.flow.condition !== undefined) {
      log.error(defaultFlow.node, `the default flow of ${gateway.id} must not have a condition`);
    }
  }
  if (leaving.length < 2) {
    // A single unconditional flow is a plain pass-through (e.g. a gateway that only merges paths).
    return;
  }
  for (const { flow, node } of leaving) {
    if (flow.id !== gateway.defaultFlow && flow.condition === undefined) {
      log.error(
        node,
        `the sequence flow leaves exclusive gateway ${gateway.id} without a condition; ` +
          'add a condition or make it the default flow',
      );
    }
  }
}

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  }
  return counts;
}

function statusOf(node: ModdleNode): string | undefined {
  const properties = extensionOf(node, 'zeebe:Properties');
  const statusProperty = properties
    ? childrenOf(properties, 'properties').find((property) => stringOf(property, 'name') === 'status')
    : undefined;
  const value = statusProperty ? stringOf(statusProperty, 'value')?.trim() : undefined;
  return value === '' ? undefined : value;
}

function formIdOf(node: ModdleNode, log: IssueLog): string | undefined {
  const form = extensionOf(node, 'zeebe:FormDefinition');
  if (form === undefined) {
    return undefined;
  }
  if (stringOf(form, 'formKey') !== undefined || stringOf(form, 'externalReference') !== undefined) {
    log.error(node, 'only linked forms (zeebe:formDefinition formId) are supported');
    return undefined;
  }
  const formId = stringOf(form, 'formId')?.trim();
  if (formId === undefined || formId === '') {
    log.error(node, 'zeebe:formDefinition has no formId');
    return undefined;
  }
  if (isExpression(formId)) {
    log.error(node, 'FEEL expressions in formId are not supported; name the form');
    return undefined;
  }
  return formId;
}

function rejectExtensions(node: ModdleNode, supported: ReadonlySet<string>, log: IssueLog): void {
  for (const extension of extensionsOf(node)) {
    if (!supported.has(extension.$type)) {
      const known = extension.$type.startsWith('zeebe:') ? 'not supported on this element (yet)' : 'unknown';
      log.error(node, `extension element <${xmlNameOf(extension.$type)}> is ${known}`);
    }
  }
}

function rejectEventDefinitions(node: ModdleNode, position: 'start' | 'end', log: IssueLog): void {
  for (const definition of childrenOf(node, 'eventDefinitions')) {
    const kind = definition.$type
      .replace(/^bpmn:/, '')
      .replace(/EventDefinition$/, '')
      .toLowerCase();
    log.error(node, `${kind} ${position} events are not supported yet; use a none ${position} event`);
  }
}

function idOfReference(reference: ModdleNode | undefined): string | undefined {
  return reference ? idOf(reference) : undefined;
}

function issueAt(node: ModdleNode | undefined, message: string): CompileIssue {
  const elementId = node ? idOf(node) : undefined;
  return {
    ...(elementId !== undefined && { elementId }),
    ...(node !== undefined && { elementType: node.$type }),
    message,
  };
}

/** Moddle's messages span lines (`…\n\tline: 0\n\tcolumn: 6`); issues are one line each. */
function oneLine(message: string): string {
  return message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(', ');
}
