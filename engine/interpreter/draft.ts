/**
 * The step under construction and the small helpers every part of the interpreter shares. The draft is
 * mutable, but built on copies: the caller's state and event stay untouched.
 */
import type { ProcessElement, ProcessModel } from '../model/process-model.js';
import type {
  AuditEntry,
  CaseState,
  Command,
  Incident,
  SubscriptionState,
  TimerState,
  Token,
  Variables,
} from './types.js';

/** Actor of what the engine does by itself: job results, timers and messages carry no person. */
export const SYSTEM_ACTOR = 'system';

/**
 * A process that keeps moving without ever waiting (a gateway loop whose conditions never change) would
 * hang the workflow task; after this many element entries in one step it becomes an incident instead.
 */
export const MAX_ENTRIES_PER_STEP = 1000;

/** The state inside a step: timers and subscriptions are always lists here. */
export type DraftState = CaseState & { timers: TimerState[]; subscriptions: SubscriptionState[] };

/** A token that took a sequence flow (or was started) and has not entered its element yet. */
export interface Arrival {
  tokenId: string;
  /** The sequence flow it took: a joining gateway counts arrivals per incoming flow. */
  via?: string;
}

export interface Draft {
  readonly model: ProcessModel;
  readonly state: DraftState;
  readonly commands: Command[];
  readonly audit: AuditEntry[];
  readonly at: string;
  /** Who caused this step; everything that follows from it is recorded under their name. */
  readonly actor: string;
  /** Arrivals in the order the flows were taken; processed breadth-first. */
  readonly queue: Arrival[];
  /** Tokens whose job reported back in this step: a job that is over needs no cancelJob. */
  readonly reportedJobs: Set<string>;
  entries: number;
}

/**
 * A step of the process failed on data (a FEEL error, a missing decision result, an uncaught BPMN error).
 * Thrown inside the interpreter and turned into an incident on the token that tried; never leaves `step`.
 */
export class StepFailure extends Error {
  override name = 'StepFailure';
}

type IdPrefix = 't' | 'i' | 'tm' | 's';

/** Ids come from the state, never from randomness: a replay hands out the same ids. */
export function nextId(draft: Draft, prefix: IdPrefix): string {
  const id = `${prefix}${draft.state.nextId}`;
  draft.state.nextId += 1;
  return id;
}

/** The model is compiled and trusted: a missing element is a bug, not a caller error. */
export function elementOf(model: ProcessModel, elementId: string): ProcessElement {
  const element = model.elements[elementId];
  if (element === undefined) {
    throw new Error(`The process model has no element ${elementId}`);
  }
  return element;
}

export function tokenById(draft: Draft, tokenId: string | undefined): Token | undefined {
  return tokenId === undefined ? undefined : draft.state.tokens.find((token) => token.id === tokenId);
}

/** The tokens directly inside a scope token (or on the process level, for `undefined`). */
export function childrenOf(draft: Draft, scopeId: string | undefined): Token[] {
  return draft.state.tokens.filter((token) => token.parentId === scopeId);
}

export function removeToken(draft: Draft, token: Token): void {
  const index = draft.state.tokens.indexOf(token);
  if (index >= 0) {
    draft.state.tokens.splice(index, 1);
  }
}

export function openIncidentOf(draft: Draft, tokenId: string): Incident | undefined {
  return draft.state.incidents.find((incident) => incident.tokenId === tokenId && !incident.resolved);
}

/** The token stays where it is: an incident never moves it. */
export function raiseIncident(
  draft: Draft,
  token: Token,
  message: string,
  failedStep: NonNullable<Incident['failedStep']>,
): void {
  const incident: Incident = {
    id: nextId(draft, 'i'),
    elementId: token.elementId,
    tokenId: token.id,
    message,
    at: draft.at,
    resolved: false,
    failedStep,
  };
  draft.state.incidents.push(incident);
  record(draft, 'incidentRaised', elementOf(draft.model, token.elementId), message);
}

export function record(draft: Draft, type: AuditEntry['type'], element: ProcessElement, detail?: string): void {
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

export function describeFlow(draft: Draft, flowId: string): string {
  const name = draft.model.flows[flowId]?.name;
  return name === undefined ? flowId : `${flowId} (${name})`;
}

export function targetOf(draft: Draft, flowId: string): string {
  const flow = draft.model.flows[flowId];
  if (flow === undefined) {
    throw new Error(`The process model has no sequence flow ${flowId}`);
  }
  return flow.targetId;
}

/**
 * Deep copy of JSON data. Case state is JSON by contract (it travels in Temporal payloads), and
 * the workflow sandbox has no `structuredClone`.
 */
export function copyJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

export function copyVariables(variables: Variables): Variables {
  return copyJson(variables);
}
