/**
 * Where a case stands on its process diagram: per element of the main process, whether it is completed, active
 * (with its tokens), has an open incident, was left without completing, or was never reached — and which sequence
 * flows the case took. Pure: it reads the audit trail, the active elements, the open incidents and the tasks the
 * read model already holds.
 *
 * The trail records elements, not sequence flows, so the taken flows are derived (see `takenFlowsOf`).
 */
import type { ElementKind, ProcessElement, ProcessModel } from '../model/process-model.js';

/** One entry of the case's audit trail (`case_events`), in the trail's order (step `seq`, then position). */
export interface TrailEntry {
  seq: number;
  type: string;
  elementId: string | null;
  /** For a gateway's completion: `took <flow id> (<name>), …` (engine/interpreter/gateways.ts). */
  detail: string | null;
}

export interface OpenIncident {
  incidentId: string;
  elementId: string;
  message: string;
}

/** Strongest first: an element with an open incident is shown as such even though its token is active too. */
export type ElementState = 'incident' | 'active' | 'completed' | 'terminated' | 'notReached';

export interface ElementDiagramState<Task> {
  /** The BPMN id: the id of the shape in the diagram. */
  elementId: string;
  name: string | undefined;
  kind: ElementKind;
  state: ElementState;
  /** Tokens on the element now (a multi-instance activity: its running instances). */
  tokens: number;
  /** How often it completed (a loop completes an element more than once). */
  timesCompleted: number;
  incidents: OpenIncident[];
  tasks: Task[];
}

export interface DiagramState<Task> {
  /** The main process's elements in process order: as first reached in the trail, then the unreached ones in model order. */
  elements: ElementDiagramState<Task>[];
  /** The sequence flows the case took, in the order it first took them. */
  takenFlowIds: string[];
}

export interface DiagramInput<Task extends { elementId: string }> {
  model: ProcessModel;
  trail: readonly TrailEntry[];
  /** The element of every token of the case now (`cases.active_element_ids`). */
  activeElementIds: readonly string[];
  openIncidents: readonly OpenIncident[];
  tasks: readonly Task[];
}

export function diagramStateOf<Task extends { elementId: string }>(input: DiagramInput<Task>): DiagramState<Task> {
  const { model, trail } = input;
  const tokens = countBy(input.activeElementIds);
  const completed = countBy(trail.filter((entry) => entry.type === 'elementCompleted').map(elementIdOf));
  const terminated = new Set(trail.filter((entry) => entry.type === 'elementTerminated').map(elementIdOf));
  const firstReached = new Map<string, number>();
  trail.forEach((entry, index) => {
    if (entry.type === 'elementEntered' && entry.elementId !== null && !firstReached.has(entry.elementId)) {
      firstReached.set(entry.elementId, index);
    }
  });

  // Elements of a called process are keyed `<processId>/<id>` and drawn in another file; the version keeps the
  // BPMN of the main process only, so only its elements are on the diagram.
  const elements = Object.values(model.elements).filter((element) => element.processId === undefined);
  // A token waiting at a join has not entered it (no trail entry) but is there now: after everything entered.
  const reachedFirst = (element: ProcessElement) =>
    firstReached.get(element.id) ?? (tokens.has(element.id) ? trail.length : Number.MAX_SAFE_INTEGER);
  const ordered = elements
    .map((element, modelOrder) => ({ element, modelOrder }))
    .sort((a, b) => reachedFirst(a.element) - reachedFirst(b.element) || a.modelOrder - b.modelOrder)
    .map(({ element }) => element);

  return {
    elements: ordered.map((element) => {
      const incidents = input.openIncidents.filter((incident) => incident.elementId === element.id);
      const tokenCount = tokensOn(element, tokens.get(element.id) ?? 0);
      const timesCompleted = completed.get(element.id) ?? 0;
      return {
        elementId: element.id,
        name: element.name,
        kind: element.kind,
        state:
          incidents.length > 0
            ? 'incident'
            : tokenCount > 0
              ? 'active'
              : timesCompleted > 0
                ? 'completed'
                : terminated.has(element.id)
                  ? 'terminated'
                  : 'notReached',
        tokens: tokenCount,
        timesCompleted,
        incidents,
        tasks: input.tasks.filter((task) => task.elementId === element.id),
      };
    }),
    takenFlowIds: takenFlowsOf(model, trail, tokens),
  };
}

/**
 * A multi-instance activity has a token for its body and one per running instance (engine/interpreter/
 * multi-instance.ts); people count the instances.
 */
function tokensOn(element: ProcessElement, count: number): number {
  return 'multiInstance' in element && element.multiInstance !== undefined && count > 1 ? count - 1 : count;
}

/**
 * The sequence flows the trail shows were taken. The interpreter records `elementCompleted` of the source and
 * `elementEntered` of the target, not the flow, so a flow counts as taken when its source completed and its target
 * was entered afterwards, pairing them the way tokens move:
 * - a completed element offers its outgoing flows; a gateway offers only those its audit detail names (an exclusive
 *   gateway takes one, an inclusive one some);
 * - an entered element takes the oldest offer on one of its incoming flows; a joining gateway (parallel or
 *   inclusive with several incoming flows) is entered once for all its arrived tokens and takes every offer;
 * - a token enters a non-joining element in the step it took the flow (the interpreter runs its queue empty), so
 *   offers to such elements end with their step; offers to a join wait until the join is entered;
 * - a token that arrived at a join waits there, not entered (no trail entry) but among the case's tokens: as many
 *   of the join's open offers as it has waiting tokens were taken.
 * Flows of the same scope only connect elements of that scope, so the pairing needs no scope of its own.
 */
export function takenFlowsOf(
  model: ProcessModel,
  trail: readonly TrailEntry[],
  tokens: ReadonlyMap<string, number>,
): string[] {
  const taken = new Set<string>();
  let offers: { flowId: string; seq: number }[] = [];
  let currentSeq: number | undefined;
  for (const entry of trail) {
    if (entry.seq !== currentSeq) {
      currentSeq = entry.seq;
      offers = offers.filter((offer) => isJoin(model.elements[targetOf(model, offer.flowId)]));
    }
    const element = entry.elementId === null ? undefined : model.elements[entry.elementId];
    if (element === undefined) continue;
    if (entry.type === 'elementCompleted') {
      for (const flowId of flowsLeaving(element, entry.detail)) offers.push({ flowId, seq: entry.seq });
    } else if (entry.type === 'elementEntered') {
      const arriving = offers.filter((offer) => element.incoming.includes(offer.flowId));
      const consumed = isJoin(element) ? uniqueFlows(arriving) : arriving.slice(0, 1);
      for (const offer of consumed) {
        taken.add(offer.flowId);
        offers.splice(offers.indexOf(offer), 1);
      }
    }
  }
  const waitingAtJoins = offers.filter((offer) => isJoin(model.elements[targetOf(model, offer.flowId)]));
  for (const [joinId, count] of tokens) {
    const arrived = waitingAtJoins.filter((offer) => targetOf(model, offer.flowId) === joinId).slice(0, count);
    for (const offer of arrived) taken.add(offer.flowId);
  }
  return [...taken];
}

function uniqueFlows<T extends { flowId: string }>(offers: T[]): T[] {
  return offers.filter((offer, index) => offers.findIndex((other) => other.flowId === offer.flowId) === index);
}

/** A gateway's completion detail names the flows it took; BPMN ids are NCNames, so a name cannot pass for one. */
function flowsLeaving(element: ProcessElement, detail: string | null): string[] {
  const isGateway = element.kind.endsWith('Gateway');
  if (!isGateway || detail === null) return element.outgoing;
  const named = element.outgoing.filter((flowId) =>
    new RegExp(`(?:^took (?:default )?|, )${escapeRegExp(flowId)}(?: \\(|,|$)`).test(detail),
  );
  return named.length > 0 ? named : element.outgoing;
}

function isJoin(element: ProcessElement | undefined): boolean {
  return (
    element !== undefined &&
    (element.kind === 'parallelGateway' || element.kind === 'inclusiveGateway') &&
    element.incoming.length > 1
  );
}

function targetOf(model: ProcessModel, flowId: string): string {
  return model.flows[flowId]?.targetId ?? '';
}

function elementIdOf(entry: TrailEntry): string {
  return entry.elementId ?? '';
}

function countBy(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
