import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { deliverMessageUpdate, NO_SUBSCRIPTION } from '../case/contract.js';
import type { MessageRepository } from '../repositories/message.repository.js';

export interface PublishMessageInput {
  name: string;
  correlationKey: string;
  variables?: Record<string, unknown>;
  /** Deduplication: a second publish with the same name and id changes nothing. */
  messageId?: string;
  /** How long an uncorrelated message waits for a subscription; 0 (default) means it is dropped. */
  timeToLiveMs?: number;
  /** Who publishes it (`applicant:<id>`), when a person does: the case's trail names them. */
  actor?: string;
}

export interface PublishMessageResult {
  messageKey: string;
  duplicate: boolean;
  /** The case that took the message now; none if it was buffered or dropped. */
  correlatedCaseId?: string;
}

export interface MessageService {
  /**
   * Publishing by name and correlation key, as in Zeebe: the message goes to the case that
   * subscribed first, else it is buffered for its time to live and a case that subscribes later
   * takes it (see the projection activity). One message reaches one case (ADR 0005).
   */
  publish(input: PublishMessageInput): Promise<PublishMessageResult>;
}

export interface MessageServiceDeps {
  messages: MessageRepository;
  temporal: Client;
  clock?: () => Date;
}

export function createMessageService(deps: MessageServiceDeps): MessageService {
  const { messages, temporal } = deps;
  const clock = deps.clock ?? (() => new Date());

  return {
    async publish(input) {
      const variables = input.variables ?? {};
      const { row, created } = await messages.insert({
        name: input.name,
        correlationKey: input.correlationKey,
        messageId: input.messageId,
        variables,
        expiresAt: new Date(clock().getTime() + Math.max(0, input.timeToLiveMs ?? 0)),
      });
      if (!created) return { messageKey: row.id, duplicate: true, correlatedCaseId: row.correlatedCaseId ?? undefined };

      for (const subscriber of await messages.subscribers(input.name, input.correlationKey)) {
        if (!(await messages.markCorrelated(row.id, subscriber.caseId))) break; // a subscribing case claimed it
        try {
          await temporal.workflow.getHandle(subscriber.caseId).executeUpdate(deliverMessageUpdate, {
            args: [
              {
                messageName: input.name,
                correlationKey: input.correlationKey,
                variables,
                ...(input.actor !== undefined && { actor: input.actor }),
              },
            ],
            updateId: `message:${row.id}`,
          });
          return { messageKey: row.id, duplicate: false, correlatedCaseId: subscriber.caseId };
        } catch (error) {
          if (!isNoSubscription(error)) throw error;
          // The subscription closed between our read and the delivery: give the message back, try the next.
          await messages.release(row.id, subscriber.caseId);
        }
      }
      return { messageKey: row.id, duplicate: false };
    },
  };
}

function isNoSubscription(error: unknown): boolean {
  return (
    error instanceof WorkflowUpdateFailedError &&
    error.cause instanceof ApplicationFailure &&
    error.cause.type === NO_SUBSCRIPTION
  );
}
