/**
 * For tests only: compiles BPMN snippets and drives a case through the pure interpreter by element ids instead of
 * token ids, the way the shell would (find the open task, the due timer, the matching subscription).
 */
import { compileErrorsToText, compileService } from '../model/compile.js';
import type { ProcessModel } from '../model/process-model.js';
import { initialState, step } from './interpret.js';
import type { AuditEntry, CaseEvent, CaseState, Command, StepResult, Token, Variables } from './types.js';

/** A definitions document around one executable process; `rootElements` go next to it (messages, errors). */
export function bpmn(processBody: string, rootElements = '', processId = 'test-process'): string {
  return `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Definitions_${processId}">
    ${rootElements}
    <bpmn:process id="${processId}" isExecutable="true">${processBody}</bpmn:process>
  </bpmn:definitions>`;
}

export async function compile(bpmnXml: string, others: string[] = [], dmn: string[] = []): Promise<ProcessModel> {
  const result = await compileService({ bpmn: [bpmnXml, ...others], dmn });
  if (!result.ok) {
    throw new Error(compileErrorsToText(result.errors));
  }
  return result.model;
}

export const START_AT = '2025-03-01T09:00:00.000Z';

/** One case, step by step. Every method applies one event and keeps its result. */
export class CaseDriver {
  state: CaseState = initialState();
  readonly results: StepResult[] = [];
  readonly events: CaseEvent[] = [];
  now = START_AT;

  constructor(readonly model: ProcessModel) {}

  get last(): StepResult {
    const result = this.results.at(-1);
    if (result === undefined) {
      throw new Error('no step ran');
    }
    return result;
  }

  get commands(): Command[] {
    return this.last.commands;
  }

  get audit(): AuditEntry[] {
    return this.last.audit;
  }

  get variables(): Variables {
    return this.state.variables;
  }

  at(now: string): this {
    this.now = now;
    return this;
  }

  apply(event: CaseEvent): this {
    const result = step(this.model, this.state, event);
    this.events.push(event);
    this.results.push(result);
    this.state = result.state;
    return this;
  }

  start(variables: Variables = {}): this {
    return this.apply({ type: 'start', at: this.now, actor: 'applicant:42', variables });
  }

  /** Completes the one open user task at the element (or the given token). */
  completeTask(elementId: string, variables: Variables = {}, tokenId?: string): this {
    const token = tokenId ?? this.tokenAt(elementId).id;
    return this.apply({ type: 'completeTask', at: this.now, actor: 'staff:mueller', tokenId: token, variables });
  }

  completeJob(elementId: string, variables: Variables = {}, tokenId?: string): this {
    const token = tokenId ?? this.tokenAt(elementId).id;
    return this.apply({ type: 'completeJob', at: this.now, tokenId: token, variables });
  }

  failJob(elementId: string, message: string): this {
    return this.apply({ type: 'failJob', at: this.now, tokenId: this.tokenAt(elementId).id, message });
  }

  throwJobError(elementId: string, errorCode: string, variables?: Variables): this {
    const tokenId = this.tokenAt(elementId).id;
    return this.apply({ type: 'throwJobError', at: this.now, tokenId, errorCode, ...(variables && { variables }) });
  }

  /** Fires the one running timer of the element, at its due time. */
  fireTimer(elementId: string): this {
    const timers = (this.state.timers ?? []).filter((timer) => timer.elementId === elementId);
    const timer = timers[0];
    if (timer === undefined || timers.length > 1) {
      throw new Error(`expected one timer on ${elementId}, found ${timers.length}`);
    }
    this.now = timer.dueAt;
    return this.apply({ type: 'fireTimer', at: timer.dueAt, timerId: timer.id });
  }

  /** Publishes a message as the shell would route it: to the subscription with that name and key. */
  correlate(messageName: string, correlationKey: string, variables: Variables = {}): this {
    const subscription = (this.state.subscriptions ?? []).find(
      (candidate) => candidate.messageName === messageName && candidate.correlationKey === correlationKey,
    );
    if (subscription === undefined) {
      throw new Error(`no subscription for ${messageName} / ${correlationKey}`);
    }
    return this.apply({
      type: 'correlateMessage',
      at: this.now,
      subscriptionId: subscription.id,
      messageName,
      variables,
    });
  }

  /** A broadcast signal as the shell delivers it: to the whole case, once. */
  broadcast(signalName: string, variables: Variables = {}): this {
    return this.apply({ type: 'broadcastSignal', at: this.now, signalName, variables });
  }

  retry(incidentId?: string, variables?: Variables): this {
    const id = incidentId ?? this.state.incidents.find((incident) => !incident.resolved)?.id;
    if (id === undefined) {
      throw new Error('no open incident');
    }
    return this.apply({
      type: 'retryIncident',
      at: this.now,
      actor: 'staff:admin',
      incidentId: id,
      ...(variables && { variables }),
    });
  }

  tokensAt(elementId: string): Token[] {
    return this.state.tokens.filter((token) => token.elementId === elementId && token.role === undefined);
  }

  tokenAt(elementId: string): Token {
    const tokens = this.tokensAt(elementId);
    const token = tokens[0];
    if (token === undefined || tokens.length > 1) {
      throw new Error(
        `expected one token at ${elementId}, found ${tokens.length}: ${JSON.stringify(this.state.tokens)}`,
      );
    }
    return token;
  }

  /** Where the case waits: element ids of the tokens that are not scopes, sorted. */
  waitingAt(): string[] {
    const scopes = new Set(this.state.tokens.map((token) => token.parentId));
    return this.state.tokens
      .filter((token) => token.role === undefined && !scopes.has(token.id))
      .map((token) => token.elementId)
      .sort();
  }

  commandsOf<T extends Command['type']>(type: T): Extract<Command, { type: T }>[] {
    return this.commands.filter((command): command is Extract<Command, { type: T }> => command.type === type);
  }

  /** `type elementId` of the last step's audit, e.g. `elementTerminated Task_Review`. */
  auditTrail(): string[] {
    return this.audit.map((entry) => `${entry.type} ${entry.elementId ?? ''}`.trim());
  }
}
