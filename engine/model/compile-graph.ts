/**
 * The relations between compiled elements: sequence flows (and that each stays inside its scope), boundary
 * events on their activities, link events, the rules for what may start, end and branch, and the reachability
 * an inclusive join needs to know which tokens it still waits for.
 */
import type { ParsedFlow, ProcessContext } from './compile-context.js';
import type { IssueLog } from './issues.js';
import type { ModdleNode } from './moddle-reader.js';
import {
  isActivity,
  type ExclusiveGatewayElement,
  type InclusiveGatewayElement,
  type ProcessElement,
  type SequenceFlow,
} from './process-model.js';

/** Fills incoming/outgoing from the flows: `<bpmn:incoming>` children are optional in hand-written XML. */
export function connect(context: ProcessContext): Record<string, SequenceFlow> {
  const flows: Record<string, SequenceFlow> = {};
  for (const { flow, node, parentId } of context.flows) {
    const source = context.elements[flow.sourceId];
    const target = context.elements[flow.targetId];
    // A flow touching an unsupported element cannot run; that element has its own error.
    if (source === undefined || target === undefined) {
      continue;
    }
    if (source.parentId !== parentId || target.parentId !== parentId) {
      context.log.error(
        node,
        'the sequence flow crosses the border of a sub-process; connect to the sub-process itself',
      );
      continue;
    }
    flows[flow.id] = flow;
    // Order of outgoing = document order of the flows: gateways evaluate conditions in this order.
    source.outgoing.push(flow.id);
    target.incoming.push(flow.id);
  }
  return flows;
}

export function attachBoundaryEvents(context: ProcessContext): void {
  for (const boundary of Object.values(context.elements)) {
    if (boundary.kind !== 'boundaryEvent') {
      continue;
    }
    const node = context.nodes.get(boundary.id);
    const activity = context.elements[boundary.attachedToId];
    if (activity === undefined) {
      // Attached to an element that did not compile: that element has its own error.
      if (!context.nodes.has(boundary.attachedToId)) {
        context.log.error(node, `the boundary event is attached to ${boundary.attachedToId}, which does not exist`);
      }
      continue;
    }
    if (!isActivity(activity) || (activity.kind === 'subProcess' && activity.triggeredByEvent)) {
      context.log.error(node, 'boundary events can only be attached to tasks, sub-processes and call activities');
      continue;
    }
    if (activity.parentId !== boundary.parentId) {
      context.log.error(node, 'the boundary event must be in the same scope as its activity');
      continue;
    }
    if (boundary.event.type === 'escalation' && activity.kind !== 'subProcess' && activity.kind !== 'callActivity') {
      context.log.error(
        node,
        'an escalation boundary event catches escalations thrown inside a sub-process or call activity; attach it to one',
      );
      continue;
    }
    activity.boundaryEventIds = [...(activity.boundaryEventIds ?? []), boundary.id];
  }
}

/** A link throw event continues at the link catch event of the same name in the same scope. */
export function resolveLinks(context: ProcessContext): void {
  const catches = new Map<string, ProcessElement>();
  const scopeKey = (element: ProcessElement, name: string) => `${element.parentId ?? ''}\u0000${name}`;
  for (const element of Object.values(context.elements)) {
    if (element.kind === 'intermediateCatchEvent' && element.event.type === 'link') {
      const key = scopeKey(element, element.event.linkName);
      if (catches.has(key)) {
        context.log.error(
          context.nodes.get(element.id),
          `there are two link catch events named "${element.event.linkName}"`,
        );
      }
      catches.set(key, element);
    }
  }
  for (const element of Object.values(context.elements)) {
    if (element.kind === 'intermediateThrowEvent' && element.event?.type === 'link') {
      const target = catches.get(scopeKey(element, element.event.linkName));
      if (target === undefined) {
        context.log.error(
          context.nodes.get(element.id),
          `there is no link catch event named "${element.event.linkName}" in the same scope`,
        );
      } else {
        element.event = { ...element.event, targetId: target.id };
      }
    }
  }
}

export function checkGraph(context: ProcessContext): void {
  const { elements, flows, log, nodes } = context;
  // Counted over all flows, also those touching an unsupported element: one unsupported element should be
  // one error, not one more for every neighbour that would look unconnected without it.
  const incomingCount = countBy(flows, ({ flow }) => flow.targetId);
  const outgoingCount = countBy(flows, ({ flow }) => flow.sourceId);

  for (const element of Object.values(elements)) {
    const node = nodes.get(element.id);
    const incoming = incomingCount.get(element.id) ?? 0;
    const outgoing = outgoingCount.get(element.id) ?? 0;
    const noIncoming = noIncomingReason(element);
    const noOutgoing = noOutgoingReason(element);
    if (noIncoming !== undefined && incoming > 0) {
      log.error(node, noIncoming);
    }
    if (noIncoming === undefined && incoming === 0) {
      log.error(node, 'the element has no incoming sequence flow, so it can never be reached');
    }
    if (noOutgoing !== undefined && outgoing > 0 && noOutgoing !== noIncoming) {
      log.error(node, noOutgoing);
    }
    if (noOutgoing === undefined && outgoing === 0) {
      log.error(node, 'the element has no outgoing sequence flow; connect it or end the path with an end event');
    }
  }

  for (const { flow, node } of flows) {
    const source = elements[flow.sourceId];
    if (
      flow.condition !== undefined &&
      source !== undefined &&
      source.kind !== 'exclusiveGateway' &&
      source.kind !== 'inclusiveGateway'
    ) {
      log.error(node, 'conditions are only supported on sequence flows leaving an exclusive or inclusive gateway');
    }
  }

  for (const gateway of Object.values(elements)) {
    if (gateway.kind === 'exclusiveGateway' || gateway.kind === 'inclusiveGateway') {
      checkConditionalGateway(gateway, nodes.get(gateway.id), flows, log);
    } else if (gateway.kind === 'eventBasedGateway') {
      checkEventBasedGateway(gateway.id, gateway.outgoing, context);
    }
  }
}

function noIncomingReason(element: ProcessElement): string | undefined {
  switch (element.kind) {
    case 'startEvent':
      return 'a start event cannot have incoming sequence flows';
    case 'boundaryEvent':
      return 'a boundary event cannot have incoming sequence flows';
    case 'intermediateCatchEvent':
      return element.event.type === 'link'
        ? 'a link catch event cannot have incoming sequence flows; its link throw event leads to it'
        : undefined;
    case 'subProcess':
      return element.triggeredByEvent
        ? 'an event sub-process cannot have incoming or outgoing sequence flows'
        : undefined;
    default:
      return undefined;
  }
}

function noOutgoingReason(element: ProcessElement): string | undefined {
  switch (element.kind) {
    case 'endEvent':
      return 'an end event cannot have outgoing sequence flows';
    case 'intermediateThrowEvent':
      return element.event?.type === 'link'
        ? 'a link throw event cannot have outgoing sequence flows; the path goes on at its link catch event'
        : undefined;
    case 'subProcess':
      return element.triggeredByEvent
        ? 'an event sub-process cannot have incoming or outgoing sequence flows'
        : undefined;
    default:
      return undefined;
  }
}

function checkConditionalGateway(
  gateway: ExclusiveGatewayElement | InclusiveGatewayElement,
  gatewayNode: ModdleNode | undefined,
  flows: ParsedFlow[],
  log: IssueLog,
): void {
  const kindName = gateway.kind === 'exclusiveGateway' ? 'exclusive' : 'inclusive';
  const leaving = flows.filter(({ flow }) => flow.sourceId === gateway.id);
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
        `the sequence flow leaves ${kindName} gateway ${gateway.id} without a condition; ` +
          'add a condition or make it the default flow',
      );
    }
  }
}

function checkEventBasedGateway(gatewayId: string, outgoing: string[], context: ProcessContext): void {
  const node = context.nodes.get(gatewayId);
  if (outgoing.length < 2) {
    context.log.error(node, 'an event-based gateway needs at least two outgoing sequence flows, each to a catch event');
  }
  for (const flowId of outgoing) {
    const target = context.elements[context.flows.find(({ flow }) => flow.id === flowId)?.flow.targetId ?? ''];
    if (target === undefined) {
      continue;
    }
    if (target.kind !== 'intermediateCatchEvent' || target.event.type === 'link') {
      context.log.error(
        node,
        `an event-based gateway can only lead to timer or message catch events, not to ${target.id}`,
      );
    } else if (target.incoming.length > 1) {
      context.log.error(
        context.nodes.get(target.id),
        'an event after an event-based gateway cannot have other incoming sequence flows',
      );
    }
  }
}

/**
 * For each inclusive gateway that joins: per incoming flow, every element of the same scope from which a token
 * can still reach that flow without passing the gateway itself (over flows, from an activity to its boundary
 * events, from a link throw to its catch).
 */
export function computeJoinSources(context: ProcessContext, flows: Record<string, SequenceFlow>): void {
  const predecessors = new Map<string, string[]>();
  const link = (from: string, to: string) => predecessors.set(to, [...(predecessors.get(to) ?? []), from]);
  for (const flow of Object.values(flows)) {
    link(flow.sourceId, flow.targetId);
  }
  for (const element of Object.values(context.elements)) {
    if (element.kind === 'boundaryEvent') {
      link(element.attachedToId, element.id);
    } else if (element.kind === 'intermediateThrowEvent' && element.event?.type === 'link' && element.event.targetId) {
      link(element.id, element.event.targetId);
    }
  }
  for (const gateway of Object.values(context.elements)) {
    if (gateway.kind !== 'inclusiveGateway' || gateway.incoming.length < 2) {
      continue;
    }
    const joinSources: Record<string, string[]> = {};
    for (const flowId of gateway.incoming) {
      const start = flows[flowId]?.sourceId;
      const seen = new Set<string>();
      const pending = start === undefined || start === gateway.id ? [] : [start];
      for (let current = pending.shift(); current !== undefined; current = pending.shift()) {
        if (seen.has(current)) {
          continue;
        }
        seen.add(current);
        pending.push(...(predecessors.get(current) ?? []).filter((id) => id !== gateway.id && !seen.has(id)));
      }
      joinSources[flowId] = [...seen];
    }
    gateway.joinSources = joinSources;
  }
}

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  }
  return counts;
}
