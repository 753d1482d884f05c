/**
 * The interpreter: (model, state, event) → (new state, commands, audit). Pure and deterministic, because
 * the Temporal workflow replays it: no clock (time comes with the event), no randomness (ids come from
 * state.nextId), no I/O, and the inputs are never mutated.
 *
 * Token flow as in BPMN: a token enters an element, and the element either passes it on along its outgoing
 * flows within the same step (start event, gateway) or keeps it waiting for an event (user task, service
 * task, incident). Only waiting tokens are stored. Every visit of an element gets a fresh token id, so a
 * task id (= token id) names exactly one task, even when a loop leads back to the same element.
 */
import { evaluateExpression, FeelError } from '../feel/feel.js';
import type {
  ExclusiveGatewayElement,
  ProcessElement,
  ProcessModel,
  ServiceTaskElement,
  UserTaskElement,
} from '../model/process-model.js';
import {
  InvalidEventError,
  type AuditEntry,
  type CaseEvent,
  type CaseState,
  type Command,
  type Incident,
  type StepResult,
  type Token,
  type Variables,
} from './types.js';

/** Actor of what the engine does by itself: job results and job failures carry no person. */
export const SYSTEM_ACTOR = 'system';

/**
 * A process that keeps moving without ever waiting (a gateway loop whose conditions never change) would
 * hang the workflow task; after this many element entries in one step it becomes an incident instead.
 */
export const MAX_ENTRIES_PER_STEP = 1000;

export type StartCaseEvent = Extract<CaseEvent, { type: 'start' }>;

/** The state before the start event: no tokens, nothing happened yet. */
export function initialState(): CaseState {
  return { seq: 0, status: 'active', variables: {}, tokens: [], incidents: [], nextId: 1 };
}

export function startCase(model: ProcessModel, event: StartCaseEvent): StepResult {
  return step(model, initialState(), event);
}

/** Applies one event. Throws InvalidEventError, and changes nothing, if the event does not fit the state. */
export function step(model: ProcessModel, state: CaseState, event: CaseEvent): StepResult {
  checkAccepts(model, state, event);
  const draft: Draft = {
    model,
    state: { ...copyJson(state), seq: state.seq + 1 },
    commands: [],
    audit: [],
    at: event.at,
    actor: 'actor' in event ? event.actor : SYSTEM_ACTOR,
    entries: 0,
  };

  switch (event.type) {
    case 'start':
      mergeVariables(draft, event.variables);
      advance(draft, [model.startEventId]);
      break;
    case 'completeTask':
      completeTask(draft, event.tokenId, event.variables);
      break;
    case 'completeJob':
      completeJob(draft, event.tokenId, event.variables);
      break;
    case 'failJob':
      raiseIncident(draft, waitingToken(draft, event.tokenId), event.message);
      break;
    case 'retryIncident':
      retryIncident(draft, event.incidentId, event.variables ?? {});
      break;
  }

  settleStatus(draft);
  return { state: draft.state, commands: draft.commands, audit: draft.audit };
}

/** The step under construction. Mutable, but built on copies: the caller's state and event stay untouched. */
interface Draft {
  readonly model: ProcessModel;
  readonly state: CaseState;
  readonly commands: Command[];
  readonly audit: AuditEntry[];
  readonly at: string;
  /** Who caused this step; everything that follows from it is recorded under their name. */
  readonly actor: string;
  entries: number;
}

function checkAccepts(model: ProcessModel, state: CaseState, event: CaseEvent): void {
  if (state.status === 'completed') {
    throw new InvalidEventError(`The case is completed; it accepts no ${event.type} event`);
  }
  const started = state.seq > 0;
  if (event.type === 'start') {
    if (started) {
      throw new InvalidEventError('The case has already started');
    }
    return;
  }
  if (!started) {
    throw new InvalidEventError(`The case has not started; it accepts no ${event.type} event`);
  }

  const kindOfToken = (tokenId: string): ProcessElement['kind'] | undefined => {
    const token = state.tokens.find((candidate) => candidate.id === tokenId);
    return token ? elementOf(model, token.elementId).kind : undefined;
  };
  switch (event.type) {
    case 'completeTask':
      if (kindOfToken(event.tokenId) !== 'userTask') {
        throw new InvalidEventError(`${event.tokenId} is not an open user task`);
      }
      return;
    case 'completeJob':
    case 'failJob':
      if (kindOfToken(event.tokenId) !== 'serviceTask') {
        throw new InvalidEventError(`${event.tokenId} is not a running job`);
      }
      if (state.incidents.some((incident) => incident.tokenId === event.tokenId && !incident.resolved)) {
        // The job already failed for good; only a retry may start it again.
        throw new InvalidEventError(`The job ${event.tokenId} has an open incident; retry the incident first`);
      }
      return;
    case 'retryIncident':
      if (!state.incidents.some((incident) => incident.id === event.incidentId && !incident.resolved)) {
        throw new InvalidEventError(`There is no open incident ${event.incidentId}`);
      }
      return;
  }
}

function completeTask(draft: Draft, tokenId: string, variables: Variables): void {
  const token = removeToken(draft, tokenId);
  const task = elementOf(draft.model, token.elementId);
  mergeVariables(draft, variables);
  draft.commands.push({ type: 'closeTask', tokenId, elementId: task.id, actor: draft.actor });
  record(draft, 'elementCompleted', task);
  advance(draft, targetsOf(draft, task.outgoing));
}

function completeJob(draft: Draft, tokenId: string, variables: Variables): void {
  const token = removeToken(draft, tokenId);
  const task = elementOf(draft.model, token.elementId);
  mergeVariables(draft, variables);
  record(draft, 'elementCompleted', task);
  advance(draft, targetsOf(draft, task.outgoing));
}

function retryIncident(draft: Draft, incidentId: string, variables: Variables): void {
  const incident = draft.state.incidents.find((candidate) => candidate.id === incidentId);
  if (incident === undefined) {
    throw new InvalidEventError(`There is no open incident ${incidentId}`);
  }
  incident.resolved = true;
  mergeVariables(draft, variables);
  const element = elementOf(draft.model, incident.elementId);
  record(draft, 'incidentResolved', element, `${incident.id}: ${incident.message}`);

  // The token stays the same: it is still the same visit of the element, and for a job the same task id.
  const token = removeToken(draft, incident.tokenId);
  advance(draft, activate(draft, token, element));
}

/**
 * Moves tokens into the given elements and on, until every token waits or has ended.
 * A queue rather than recursion, so that later fork/join elements can add several arrivals at once.
 */
function advance(draft: Draft, arrivals: string[]): void {
  const queue = [...arrivals];
  for (let elementId = queue.shift(); elementId !== undefined; elementId = queue.shift()) {
    const element = elementOf(draft.model, elementId);
    const token: Token = { id: nextId(draft, 't'), elementId };
    draft.entries += 1;
    if (draft.entries > MAX_ENTRIES_PER_STEP) {
      draft.state.tokens.push(token);
      raiseIncident(
        draft,
        token,
        `The process entered ${MAX_ENTRIES_PER_STEP} elements in one step without waiting; ` +
          'check the gateway conditions for an endless loop',
      );
      continue;
    }
    record(draft, 'elementEntered', element);
    if (element.status !== undefined) {
      draft.state.publicStatus = element.status;
    }
    queue.push(...activate(draft, token, element));
  }
}

/** What the element does with an arriving (or retried) token; returns the elements the token moves on to. */
function activate(draft: Draft, token: Token, element: ProcessElement): string[] {
  switch (element.kind) {
    case 'startEvent':
      return targetsOf(draft, element.outgoing);
    case 'endEvent':
      return [];
    case 'userTask':
      draft.state.tokens.push(token);
      draft.commands.push(openTaskCommand(token, element));
      return [];
    case 'serviceTask':
      draft.state.tokens.push(token);
      draft.commands.push(runJobCommand(draft, token, element));
      return [];
    case 'exclusiveGateway':
      return passGateway(draft, token, element);
  }
}

/**
 * Camunda semantics: conditions in the order of the outgoing flows, the first one that is `true` wins
 * (anything else, null included, does not match), then the default flow. No match, or a condition that
 * cannot be evaluated, is an incident on the gateway: the case waits there until someone retries it.
 */
function passGateway(draft: Draft, token: Token, gateway: ExclusiveGatewayElement): string[] {
  for (const flowId of gateway.outgoing) {
    const flow = draft.model.flows[flowId];
    if (flow === undefined) {
      throw new Error(`The process model has no sequence flow ${flowId}`);
    }
    if (flowId === gateway.defaultFlow) {
      continue;
    }
    let matches: boolean;
    try {
      matches = flow.condition === undefined || evaluateExpression(flow.condition, draft.state.variables) === true;
    } catch (error) {
      if (!(error instanceof FeelError)) {
        throw error;
      }
      draft.state.tokens.push(token);
      raiseIncident(draft, token, `The condition of sequence flow ${flow.id} could not be evaluated: ${error.message}`);
      return [];
    }
    if (matches) {
      record(draft, 'elementCompleted', gateway, `took ${describeFlow(flow.id, flow.name)}`);
      return [flow.targetId];
    }
  }

  if (gateway.defaultFlow !== undefined) {
    const defaultFlow = draft.model.flows[gateway.defaultFlow];
    if (defaultFlow === undefined) {
      throw new Error(`The process model has no sequence flow ${gateway.defaultFlow}`);
    }
    record(draft, 'elementCompleted', gateway, `took default ${describeFlow(defaultFlow.id, defaultFlow.name)}`);
    return [defaultFlow.targetId];
  }

  draft.state.tokens.push(token);
  raiseIncident(
    draft,
    token,
    `No condition of exclusive gateway ${gateway.id} matched and it has no default flow ` +
      `(conditions of ${gateway.outgoing.join(', ')})`,
  );
  return [];
}

/** The token must already be among the waiting tokens: an incident never moves it. */
function raiseIncident(draft: Draft, token: Token, message: string): void {
  const incident: Incident = {
    id: nextId(draft, 'i'),
    elementId: token.elementId,
    tokenId: token.id,
    message,
    at: draft.at,
    resolved: false,
  };
  draft.state.incidents.push(incident);
  record(draft, 'incidentRaised', elementOf(draft.model, token.elementId), message);
}

function settleStatus(draft: Draft): void {
  const { state } = draft;
  if (state.tokens.length === 0) {
    state.status = 'completed';
    draft.audit.push({ type: 'caseCompleted', actor: draft.actor, at: draft.at });
    return;
  }
  state.status = state.incidents.some((incident) => !incident.resolved) ? 'incident' : 'active';
}

function openTaskCommand(token: Token, task: UserTaskElement): Command {
  return {
    type: 'openTask',
    tokenId: token.id,
    elementId: task.id,
    ...(task.name !== undefined && { name: task.name }),
    ...(task.formId !== undefined && { formId: task.formId }),
    candidateGroups: [...task.candidateGroups],
    ...(task.assignee !== undefined && { assignee: task.assignee }),
  };
}

function runJobCommand(draft: Draft, token: Token, task: ServiceTaskElement): Command {
  return {
    type: 'runJob',
    tokenId: token.id,
    elementId: task.id,
    taskType: task.taskType,
    retries: task.retries,
    headers: { ...task.headers },
    // A copy: the shell may hand it to an activity, and the state must not change with it.
    variables: copyJson(draft.state.variables),
  };
}

function record(draft: Draft, type: AuditEntry['type'], element: ProcessElement, detail?: string): void {
  draft.audit.push({
    type,
    elementId: element.id,
    ...(element.name !== undefined && { elementName: element.name }),
    ...(type === 'elementEntered' && element.status !== undefined && { status: element.status }),
    actor: draft.actor,
    at: draft.at,
    ...(detail !== undefined && { detail }),
  });
}

/** Shallow merge, as Zeebe does for completed tasks: top-level names are replaced, not deep-merged. */
function mergeVariables(draft: Draft, variables: Variables): void {
  Object.assign(draft.state.variables, copyJson(variables));
}

function targetsOf(draft: Draft, flowIds: string[]): string[] {
  return flowIds.map((flowId) => {
    const flow = draft.model.flows[flowId];
    if (flow === undefined) {
      throw new Error(`The process model has no sequence flow ${flowId}`);
    }
    return flow.targetId;
  });
}

function waitingToken(draft: Draft, tokenId: string): Token {
  const token = draft.state.tokens.find((candidate) => candidate.id === tokenId);
  if (token === undefined) {
    throw new InvalidEventError(`There is no waiting token ${tokenId}`);
  }
  return token;
}

function removeToken(draft: Draft, tokenId: string): Token {
  const token = waitingToken(draft, tokenId);
  draft.state.tokens.splice(draft.state.tokens.indexOf(token), 1);
  return token;
}

function nextId(draft: Draft, prefix: 't' | 'i'): string {
  const id = `${prefix}${draft.state.nextId}`;
  draft.state.nextId += 1;
  return id;
}

/** The model is compiled and trusted: a missing element is a bug, not a caller error. */
function elementOf(model: ProcessModel, elementId: string): ProcessElement {
  const element = model.elements[elementId];
  if (element === undefined) {
    throw new Error(`The process model has no element ${elementId}`);
  }
  return element;
}

function describeFlow(flowId: string, name: string | undefined): string {
  return name === undefined ? flowId : `${flowId} (${name})`;
}

/**
 * Deep copy of JSON data. Case state is JSON by contract (it travels in Temporal payloads), and
 * the workflow sandbox has no `structuredClone`.
 */
function copyJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}
