import { ApplicationFailure, TemporalFailure } from '@temporalio/common';
import { safeErrorMessage } from '../log/safe-error.js';

/**
 * The failure an activity hands to Temporal, cleaned: the workflow turns its message into an
 * incident that administrators read, and Temporal keeps it in the history. A drizzle error's
 * message and stack carry the query parameters (a mail's recipient, subject and body), so neither
 * the original error nor its stack travels on; type, retryability and details do.
 */
export function cleanFailure(error: unknown): unknown {
  if (error instanceof ApplicationFailure) {
    return ApplicationFailure.create({
      message: safeErrorMessage(error),
      type: error.type ?? undefined,
      nonRetryable: error.nonRetryable ?? undefined,
      details: error.details ? [...error.details] : undefined,
      nextRetryDelay: error.nextRetryDelay ?? undefined,
    });
  }
  // Cancellation and Temporal's own failures steer the workflow; they pass unchanged.
  if (error instanceof TemporalFailure) return error;
  const type = error instanceof Error ? (error.name === 'Error' ? error.constructor.name : error.name) : 'Error';
  return ApplicationFailure.create({ message: safeErrorMessage(error), type, nonRetryable: false });
}
