import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { deliverSignalUpdate, EVENT_NOT_ACCEPTED, NO_SUBSCRIPTION } from '../case/contract.js';
import type { SignalReach, SignalRepository } from '../repositories/signal.repository.js';

export interface BroadcastSignalInput {
  name: string;
  variables?: Record<string, unknown>;
  /**
   * Names this broadcast: a second broadcast with the same id reaches no case twice (a retried job passes its
   * idempotency key). Absent: a new id, so every call is a new signal.
   */
  signalId?: string;
  /** Narrows the broadcast (a scenario's cases); absent: every case. */
  reach?: SignalReach;
}

export interface BroadcastSignalResult {
  signalKey: string;
  /** The cases the signal reached, in the order their subscriptions opened. */
  reachedCaseIds: string[];
}

export interface SignalService {
  /**
   * A broadcast, as in Zeebe: every case that waits for a signal with this name now takes it, each once, with its
   * variables. A signal is not buffered: a case that subscribes later does not see it (ADR 0031).
   */
  broadcast(input: BroadcastSignalInput): Promise<BroadcastSignalResult>;
}

export interface SignalServiceDeps {
  signals: Pick<SignalRepository, 'subscribers'>;
  temporal: Client;
}

export function createSignalService(deps: SignalServiceDeps): SignalService {
  const { signals, temporal } = deps;
  return {
    async broadcast(input) {
      // Taken as given, as the interpreter keeps evaluated names: " go" and "go" are two signals.
      const name = input.name;
      if (name.trim() === '') throw new Error('A signal needs a name');
      const signalKey = input.signalId ?? randomUUID();
      const variables = input.variables ?? {};
      const reachedCaseIds: string[] = [];
      const failures: unknown[] = [];
      for (const caseId of await signals.subscribers(name, input.reach)) {
        try {
          await temporal.workflow.getHandle(caseId).executeUpdate(deliverSignalUpdate, {
            args: [{ signalName: name, variables }],
            updateId: `signal:${signalKey}`,
          });
          reachedCaseIds.push(caseId);
        } catch (error) {
          // The case moved on (or ended) between our read and the delivery: the signal passes it by, as in Zeebe.
          if (passedBy(error)) continue;
          // One case that cannot take it now must not keep the signal from the others; the caller hears of it.
          failures.push(error);
        }
      }
      if (failures.length > 0) {
        throw new AggregateError(
          failures,
          `Signal ${name} reached ${reachedCaseIds.length} cases; ${failures.length} failed`,
        );
      }
      return { signalKey, reachedCaseIds };
    },
  };
}

function passedBy(error: unknown): boolean {
  if (error instanceof WorkflowNotFoundError) return true;
  return (
    error instanceof WorkflowUpdateFailedError &&
    error.cause instanceof ApplicationFailure &&
    (error.cause.type === NO_SUBSCRIPTION || error.cause.type === EVENT_NOT_ACCEPTED)
  );
}
