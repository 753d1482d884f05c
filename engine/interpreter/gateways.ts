/**
 * Gateways, with Camunda 8 semantics. Forks: exclusive takes the first flow whose condition is `true`, inclusive
 * every such flow, both falling back to the default flow; parallel takes all. Joins park arriving tokens on the
 * gateway (`arrivedVia`): a parallel join goes on once every incoming flow has brought a token, an inclusive join
 * once no token of its scope can still reach an incoming flow that brought none. Each join consumes one token per
 * flow, so a token that arrives twice over the same flow (a loop) waits for the next round.
 */
import type {
  ExclusiveGatewayElement,
  InclusiveGatewayElement,
  ParallelGatewayElement,
  ProcessElement,
} from '../model/process-model.js';
import { describeFlow, elementOf, removeToken, StepFailure, type PendingStep } from './pending-step.js';
import { openEventGateway } from './events.js';
import { complete } from './flow.js';
import type { Token } from './types.js';
import { evaluate } from './variables.js';

type Gateway = Extract<ProcessElement, { kind: `${string}Gateway` }>;
type JoiningGateway = ParallelGatewayElement | InclusiveGatewayElement;

export function activateGateway(pending: PendingStep, token: Token, gateway: Gateway): void {
  switch (gateway.kind) {
    case 'exclusiveGateway':
      passExclusive(pending, token, gateway);
      return;
    case 'inclusiveGateway':
      passInclusive(pending, token, gateway);
      return;
    case 'parallelGateway':
      complete(pending, token);
      return;
    case 'eventBasedGateway':
      openEventGateway(pending, token, gateway);
      return;
  }
}

/**
 * Conditions in the order of the outgoing flows, the first one that is `true` wins (anything else, null
 * included, does not match), then the default flow. No match, or a condition that cannot be evaluated, is an
 * incident on the gateway: the case waits there until someone retries it.
 */
function passExclusive(pending: PendingStep, token: Token, gateway: ExclusiveGatewayElement): void {
  const taken = gateway.outgoing.find(
    (flowId) => flowId !== gateway.defaultFlow && conditionHolds(pending, token, flowId),
  );
  if (taken !== undefined) {
    complete(pending, token, { flows: [taken], detail: `took ${describeFlow(pending, taken)}` });
  } else if (gateway.defaultFlow !== undefined) {
    complete(pending, token, {
      flows: [gateway.defaultFlow],
      detail: `took default ${describeFlow(pending, gateway.defaultFlow)}`,
    });
  } else {
    throw new StepFailure(
      `No condition of exclusive gateway ${gateway.id} matched and it has no default flow ` +
        `(conditions of ${gateway.outgoing.join(', ')})`,
    );
  }
}

function passInclusive(pending: PendingStep, token: Token, gateway: InclusiveGatewayElement): void {
  const taken = gateway.outgoing.filter(
    (flowId) => flowId !== gateway.defaultFlow && conditionHolds(pending, token, flowId),
  );
  if (taken.length > 0) {
    complete(pending, token, {
      flows: taken,
      detail: `took ${taken.map((flowId) => describeFlow(pending, flowId)).join(', ')}`,
    });
  } else if (gateway.defaultFlow !== undefined) {
    complete(pending, token, {
      flows: [gateway.defaultFlow],
      detail: `took default ${describeFlow(pending, gateway.defaultFlow)}`,
    });
  } else {
    throw new StepFailure(
      `No condition of inclusive gateway ${gateway.id} matched and it has no default flow ` +
        `(conditions of ${gateway.outgoing.join(', ')})`,
    );
  }
}

/** An unconditional flow always holds. */
function conditionHolds(pending: PendingStep, token: Token, flowId: string): boolean {
  const condition = pending.model.flows[flowId]?.condition;
  return (
    condition === undefined ||
    evaluate(pending, token.id, condition, `The condition of sequence flow ${flowId}`) === true
  );
}

export function isJoiningGateway(element: ProcessElement): element is JoiningGateway {
  return (element.kind === 'parallelGateway' || element.kind === 'inclusiveGateway') && element.incoming.length > 1;
}

/** Parks a token that arrived at a joining gateway; true when the join is complete and this token goes on. */
export function joinArrived(
  pending: PendingStep,
  token: Token,
  gateway: JoiningGateway,
  via: string | undefined,
): boolean {
  token.arrivedVia = via ?? gateway.incoming[0] ?? '';
  return tryJoin(pending, gateway, token);
}

/** After the queue ran dry: the first parked inclusive-join token that can now go on, already un-parked. */
export function releaseInclusiveJoin(pending: PendingStep): Token | undefined {
  for (const token of pending.state.tokens) {
    if (token.arrivedVia === undefined) {
      continue;
    }
    const gateway = elementOf(pending.model, token.elementId);
    if (gateway.kind === 'inclusiveGateway' && tryJoin(pending, gateway, token)) {
      return token;
    }
  }
  return undefined;
}

/** If the join is complete, consumes one parked token per arrived flow and lets `goer` through. */
function tryJoin(pending: PendingStep, gateway: JoiningGateway, goer: Token): boolean {
  const parked = pending.state.tokens.filter(
    (token) => token.elementId === gateway.id && token.parentId === goer.parentId && token.arrivedVia !== undefined,
  );
  const arrivedFlows = new Set(parked.map((token) => token.arrivedVia));
  const missing = gateway.incoming.filter((flowId) => !arrivedFlows.has(flowId));
  const ready =
    gateway.kind === 'parallelGateway'
      ? missing.length === 0
      : missing.every((flowId) => !canStillArrive(pending, gateway, goer.parentId, flowId));
  if (!ready) {
    return false;
  }
  for (const flowId of arrivedFlows) {
    if (flowId === goer.arrivedVia) {
      continue;
    }
    const consumed = parked.find((token) => token.arrivedVia === flowId);
    if (consumed !== undefined) {
      removeToken(pending, consumed);
    }
  }
  delete goer.arrivedVia;
  return true;
}

/** Whether a token of the scope sits where it can still reach the gateway over `flowId` (Zeebe 8.6 semantics). */
function canStillArrive(
  pending: PendingStep,
  gateway: InclusiveGatewayElement,
  scopeId: string | undefined,
  flowId: string,
): boolean {
  const sources = new Set(gateway.joinSources?.[flowId] ?? []);
  return pending.state.tokens.some(
    (token) =>
      token.parentId === scopeId &&
      !(token.elementId === gateway.id && token.arrivedVia !== undefined) &&
      sources.has(token.elementId),
  );
}
