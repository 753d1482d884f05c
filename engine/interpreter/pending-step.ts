/**
 * The step under construction (the pending step) and the small helpers every part of the interpreter shares. It is
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
export type PendingState = CaseState & { timers: TimerState[]; subscriptions: SubscriptionState[] };

/** A token that took a sequence flow (or was started) and has not entered its element yet. */
export interface Arrival {
  tokenId: string;
  /** The sequence flow it took: a joining gateway counts arrivals per incoming flow. */
  via?: string;
}

export interface PendingStep {
  readonly model: ProcessModel;
  readonly state: PendingState;
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

type IdPrefix = 't' | 'i' | 'tm' | 's' | 'sg';

/** Ids come from the state, never from randomness: a replay hands out the same ids. */
export function nextId(pending: PendingStep, prefix: IdPrefix): string {
  const id = `${prefix}${pending.state.nextId}`;
  pending.state.nextId += 1;
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

export function tokenById(pending: PendingStep, tokenId: string | undefined): Token | undefined {
  return tokenId === undefined ? undefined : pending.state.tokens.find((token) => token.id === tokenId);
}

/** The tokens directly inside a scope token (or on the process level, for `undefined`). */
export function childrenOf(pending: PendingStep, scopeId: string | undefined): Token[] {
  return pending.state.tokens.filter((token) => token.parentId === scopeId);
}

export function removeToken(pending: PendingStep, token: Token): void {
  const index = pending.state.tokens.indexOf(token);
  if (index >= 0) {
    pending.state.tokens.splice(index, 1);
  }
}

export function openIncidentOf(pending: PendingStep, tokenId: string): Incident | undefined {
  return pending.state.incidents.find((incident) => incident.tokenId === tokenId && !incident.resolved);
}

/** The token stays where it is: an incident never moves it. */
export function raiseIncident(
  pending: PendingStep,
  token: Token,
  message: string,
  failedStep: NonNullable<Incident['failedStep']>,
): void {
  const incident: Incident = {
    id: nextId(pending, 'i'),
    elementId: token.elementId,
    tokenId: token.id,
    message,
    at: pending.at,
    resolved: false,
    failedStep,
  };
  pending.state.incidents.push(incident);
  record(pending, 'incidentRaised', elementOf(pending.model, token.elementId), message);
}

export function record(pending: PendingStep, type: AuditEntry['type'], element: ProcessElement, detail?: string): void {
  pending.audit.push({
    type,
    elementId: element.id,
    ...(element.name !== undefined && { elementName: element.name }),
    ...(type === 'elementEntered' && element.status !== undefined && { status: element.status }),
    actor: pending.actor,
    at: pending.at,
    ...(detail !== undefined && { detail }),
  });
}

export function describeFlow(pending: PendingStep, flowId: string): string {
  const name = pending.model.flows[flowId]?.name;
  return name === undefined ? flowId : `${flowId} (${name})`;
}

export function targetOf(pending: PendingStep, flowId: string): string {
  const flow = pending.model.flows[flowId];
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
