/**
 * One BPMN flow element → one model element, with its Zeebe extensions checked. Sub-processes recurse into
 * their own flow elements. Relations between elements (flows, boundary events, links) are checked afterwards
 * in compile-graph.ts.
 */
import { isExpression } from '../feel/feel.js';
import { keyOf, type Container, type ProcessContext } from './compile-context.js';
import {
  compileBoundaryEvent,
  eventDefinitionOf,
  isCatchable,
  messageDefinitionOf,
  throwJobOf,
  type EventPosition,
} from './compile-events.js';
import type { IssueLog } from './issues.js';
import { booleanOf, childOf, childrenOf, extensionOf, idOf, stringOf, type ModdleNode } from './moddle-reader.js';
import type { ProcessElement, SequenceFlow } from './process-model.js';
import {
  assignmentOf,
  checkFeel,
  externalFormOf,
  formIdOf,
  ioMappingOf,
  jobDefinitionOf,
  multiInstanceOf,
  rejectExtensions,
  rejectHeadersWithoutJob,
  requiredExpression,
  statusOf,
  SUPPORTED_EXTENSIONS,
} from './zeebe-extensions.js';

const UNSUPPORTED_FLOW_ELEMENTS: Record<string, string> = {
  'bpmn:ComplexGateway': 'complex gateways are not supported; use an inclusive gateway',
  'bpmn:AdHocSubProcess':
    'ad-hoc sub-processes are not supported; use an embedded sub-process with a parallel or inclusive gateway',
  'bpmn:Transaction': 'transactions are not supported; use an embedded sub-process with an error boundary event',
};

// Diagram-only: they document data, but change nothing when a case runs.
const DATA_ELEMENTS = new Set(['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference']);

/** Compiles the flow elements of a process or sub-process (`parentKey`), recursing into sub-processes. */
export function compileContainer(
  container: ModdleNode,
  parentKey: string | undefined,
  eventSubProcess: boolean,
  context: ProcessContext,
): Container {
  const startEvents: string[] = [];
  const eventSubProcessIds: string[] = [];
  for (const node of childrenOf(container, 'flowElements')) {
    if (node.$type === 'bpmn:SequenceFlow') {
      const flow = compileFlow(node, context);
      if (flow !== undefined) {
        context.flows.push({ flow, node, ...(parentKey !== undefined && { parentId: parentKey }) });
      }
      continue;
    }
    if (DATA_ELEMENTS.has(node.$type)) {
      context.log.warn(node, 'data objects and stores only document the diagram; they have no effect when a case runs');
      continue;
    }
    const element = compileElement(node, parentKey, eventSubProcess, context);
    if (element === undefined) {
      continue;
    }
    context.elements[element.id] = element;
    context.nodes.set(element.id, node);
    if (element.kind === 'startEvent') {
      startEvents.push(element.id);
    } else if (element.kind === 'subProcess' && element.triggeredByEvent) {
      eventSubProcessIds.push(element.id);
    }
  }
  const where = eventSubProcess ? 'an event sub-process' : parentKey === undefined ? 'the process' : 'a sub-process';
  if (startEvents.length === 0) {
    context.log.error(container, `${where} needs a start event`);
  }
  for (const extra of startEvents.slice(1)) {
    context.log.error(context.nodes.get(extra), `only one start event is supported in ${where}`);
  }
  const startEventId = startEvents[0];
  return { ...(startEventId !== undefined && { startEventId }), eventSubProcessIds };
}

function compileElement(
  node: ModdleNode,
  parentKey: string | undefined,
  inEventSubProcess: boolean,
  context: ProcessContext,
): ProcessElement | undefined {
  const { log } = context;
  const unsupported = UNSUPPORTED_FLOW_ELEMENTS[node.$type];
  const supportedExtensions = SUPPORTED_EXTENSIONS[node.$type];
  if (unsupported !== undefined || supportedExtensions === undefined) {
    log.error(node, unsupported ?? `${node.$type} elements are not supported`);
    return undefined;
  }
  const bpmnId = idOf(node);
  if (bpmnId === undefined) {
    log.error(node, 'the element has no id');
    return undefined;
  }
  rejectExtensions(node, supportedExtensions, log);
  if (booleanOf(node, 'isForCompensation') === true) {
    log.error(
      node,
      'compensation activities are not supported; model the undo steps as tasks after an error boundary event',
    );
  }
  const name = stringOf(node, 'name');
  const status = statusOf(node);
  const isActivity = !node.$type.endsWith('Event') && !node.$type.endsWith('Gateway');
  const isEvent = node.$type.endsWith('Event');
  const eventSubProcess = node.$type === 'bpmn:SubProcess' && booleanOf(node, 'triggeredByEvent') === true;
  // Inputs go to an element instance that does work: an activity, or a throw event that runs a job.
  const takesInputs =
    (!isEvent && !eventSubProcess) || ['bpmn:EndEvent', 'bpmn:IntermediateThrowEvent'].includes(node.$type);
  const ioMapping = node.$type.endsWith('Gateway') ? undefined : ioMappingOf(node, log, takesInputs);
  const multiInstance = isActivity ? multiInstanceOf(node, log) : undefined;
  if (!isActivity && childOf(node, 'loopCharacteristics') !== undefined) {
    log.error(node, 'only activities can be multi-instance');
  }
  if (eventSubProcess && (ioMapping !== undefined || multiInstance !== undefined)) {
    log.error(node, 'an event sub-process cannot have variable mappings or be multi-instance; put them on its tasks');
  }
  const base = {
    id: keyOf(context, bpmnId),
    ...(name !== undefined && { name }),
    ...(status !== undefined && { status }),
    incoming: [],
    outgoing: [],
    ...(parentKey !== undefined && { parentId: parentKey }),
    ...(context.calledProcessId !== undefined && { processId: context.calledProcessId }),
    ...(ioMapping !== undefined && { ioMapping }),
  };
  const activity = { ...base, ...(multiInstance !== undefined && { multiInstance }) };
  rejectHeadersWithoutJob(node, log);

  switch (node.$type) {
    case 'bpmn:StartEvent': {
      const position: EventPosition = inEventSubProcess ? 'eventSubProcessStart' : 'start';
      const event = eventDefinitionOf(node, position, log);
      const formId = formIdOf(node, log);
      if (formId !== undefined && (parentKey !== undefined || context.calledProcessId !== undefined)) {
        log.error(node, 'a start form only works on the start event of the main process');
      }
      const interrupting = booleanOf(node, 'isInterrupting') !== false;
      if (event?.type === 'error' && !interrupting) {
        log.error(node, 'an error start event always interrupts; make the event sub-process interrupting');
      }
      return {
        kind: 'startEvent',
        ...base,
        ...(formId !== undefined && { formId }),
        ...(isCatchable(event) && { event }),
        ...(inEventSubProcess && { interrupting }),
      };
    }
    case 'bpmn:EndEvent': {
      const event = eventDefinitionOf(node, 'end', log);
      const job = throwJobOf(node, event, log);
      const endEvent =
        event?.type === 'terminate' ||
        event?.type === 'error' ||
        event?.type === 'escalation' ||
        event?.type === 'message' ||
        event?.type === 'signal'
          ? event
          : undefined;
      return {
        kind: 'endEvent',
        ...base,
        ...(endEvent !== undefined && { event: endEvent }),
        ...(job !== undefined && { job }),
      };
    }
    case 'bpmn:IntermediateThrowEvent': {
      const event = eventDefinitionOf(node, 'throw', log);
      const job = throwJobOf(node, event, log);
      const throwEvent =
        event?.type === 'escalation' || event?.type === 'link' || event?.type === 'message' || event?.type === 'signal'
          ? event
          : undefined;
      return {
        kind: 'intermediateThrowEvent',
        ...base,
        ...(throwEvent !== undefined && { event: throwEvent }),
        ...(job !== undefined && { job }),
      };
    }
    case 'bpmn:IntermediateCatchEvent': {
      const event = eventDefinitionOf(node, 'catch', log);
      if (
        event?.type === 'link' ||
        (isCatchable(event) && (event.type === 'timer' || event.type === 'message' || event.type === 'signal'))
      ) {
        return { kind: 'intermediateCatchEvent', ...base, event };
      }
      return undefined;
    }
    case 'bpmn:BoundaryEvent':
      return compileBoundaryEvent(node, base, context);
    case 'bpmn:UserTask': {
      const formId = formIdOf(node, log);
      const externalForm = externalFormOf(node);
      return {
        kind: 'userTask',
        ...activity,
        ...assignmentOf(node, log),
        ...(formId !== undefined && { formId }),
        ...(externalForm !== undefined && { externalForm }),
      };
    }
    case 'bpmn:ServiceTask':
    case 'bpmn:SendTask': {
      const job = jobDefinitionOf(node, log);
      if (job === undefined) {
        log.error(node, 'zeebe:taskDefinition type is missing; it chooses the activity that runs the task');
      }
      const kind = node.$type === 'bpmn:ServiceTask' ? 'serviceTask' : 'sendTask';
      return { kind, ...activity, job: job ?? { taskType: '', retries: 0, headers: {} } };
    }
    case 'bpmn:ScriptTask':
      return { kind: 'scriptTask', ...activity, ...scriptOf(node, log) };
    case 'bpmn:BusinessRuleTask':
      return { kind: 'businessRuleTask', ...activity, ...decisionOf(node, context) };
    case 'bpmn:ReceiveTask': {
      const message = messageDefinitionOf(node, childOf(node, 'messageRef'), log);
      return { kind: 'receiveTask', ...activity, message: message ?? { messageName: '', correlationKey: '' } };
    }
    case 'bpmn:ManualTask':
      return { kind: 'manualTask', ...activity };
    case 'bpmn:Task':
      return { kind: 'task', ...activity };
    case 'bpmn:SubProcess': {
      const inner = compileContainer(node, base.id, eventSubProcess, context);
      return {
        kind: 'subProcess',
        ...activity,
        startEventId: inner.startEventId ?? '',
        eventSubProcessIds: inner.eventSubProcessIds,
        ...(eventSubProcess && { triggeredByEvent: true }),
      };
    }
    case 'bpmn:CallActivity':
      return { kind: 'callActivity', ...activity, ...calledElementOf(node, context) };
    case 'bpmn:ExclusiveGateway':
    case 'bpmn:InclusiveGateway': {
      const defaultFlow = idOfReference(childOf(node, 'default'));
      const kind = node.$type === 'bpmn:ExclusiveGateway' ? 'exclusiveGateway' : 'inclusiveGateway';
      return { kind, ...base, ...(defaultFlow !== undefined && { defaultFlow: keyOf(context, defaultFlow) }) };
    }
    case 'bpmn:ParallelGateway':
      return { kind: 'parallelGateway', ...base };
    case 'bpmn:EventBasedGateway':
      return { kind: 'eventBasedGateway', ...base };
    default:
      log.error(node, `${node.$type} elements are not supported`);
      return undefined;
  }
}

function scriptOf(node: ModdleNode, log: IssueLog) {
  const script = extensionOf(node, 'zeebe:Script');
  const job = jobDefinitionOf(node, log);
  if (script !== undefined && job !== undefined) {
    log.error(node, 'a script task has either zeebe:script or zeebe:taskDefinition, not both');
  }
  if (script === undefined) {
    if (job === undefined) {
      log.error(
        node,
        'a script task needs zeebe:script (a FEEL expression and a resultVariable) or zeebe:taskDefinition',
      );
    }
    return job === undefined ? {} : { job };
  }
  const expression = requiredExpression(node, stringOf(script, 'expression'), 'the script', log);
  const resultVariable = stringOf(script, 'resultVariable')?.trim() ?? '';
  if (resultVariable === '') {
    log.error(node, 'zeebe:script needs a resultVariable to store the result in');
  }
  return { script: { expression, resultVariable } };
}

function decisionOf(node: ModdleNode, context: ProcessContext) {
  const { log } = context;
  const called = extensionOf(node, 'zeebe:CalledDecision');
  const job = jobDefinitionOf(node, log);
  if (called !== undefined && job !== undefined) {
    log.error(node, 'a business rule task has either zeebe:calledDecision or zeebe:taskDefinition, not both');
  }
  if (called === undefined) {
    if (job === undefined) {
      log.error(node, 'a business rule task needs zeebe:calledDecision (decisionId and resultVariable)');
    }
    return job === undefined ? {} : { job };
  }
  const decisionId = stringOf(called, 'decisionId')?.trim() ?? '';
  const resultVariable = stringOf(called, 'resultVariable')?.trim() ?? '';
  if (decisionId === '' || isExpression(decisionId)) {
    log.error(node, 'zeebe:calledDecision needs a static decisionId, the id of a decision in the service’s DMN files');
  } else {
    context.decisionRefs.push({ decisionId, node });
  }
  if (resultVariable === '') {
    log.error(node, 'zeebe:calledDecision needs a resultVariable to store the result in');
  }
  return { decision: { decisionId, resultVariable } };
}

function calledElementOf(node: ModdleNode, context: ProcessContext) {
  const called = extensionOf(node, 'zeebe:CalledElement');
  const processId = (called ? stringOf(called, 'processId') : undefined)?.trim() ?? '';
  if (processId === '' || isExpression(processId)) {
    context.log.error(
      node,
      'zeebe:calledElement needs a static processId, the id of a process in the service’s BPMN files',
    );
  } else {
    context.calls.push({ processId, node });
  }
  if (called !== undefined && stringOf(called, 'processIdExpression') !== undefined) {
    checkFeel(node, stringOf(called, 'processIdExpression') ?? '', 'the processIdExpression', context.log);
  }
  return {
    calledProcessId: processId,
    propagateAllParentVariables: called ? booleanOf(called, 'propagateAllParentVariables') !== false : true,
    propagateAllChildVariables: called ? booleanOf(called, 'propagateAllChildVariables') !== false : true,
  };
}

function compileFlow(node: ModdleNode, context: ProcessContext): SequenceFlow | undefined {
  const { log } = context;
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
    id: keyOf(context, id),
    ...(name !== undefined && { name }),
    sourceId: keyOf(context, sourceId),
    targetId: keyOf(context, targetId),
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
  return requiredExpression(node, body, 'the condition', log);
}

function idOfReference(reference: ModdleNode | undefined): string | undefined {
  return reference ? idOf(reference) : undefined;
}
