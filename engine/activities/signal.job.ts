import { ApplicationFailure } from '@temporalio/activity';
import type { JobHandler } from './jobs.activities.js';
import { SCENARIO_HEADER } from './types.js';

/** What the job needs of the signal service (engine/services/signal.service.ts). */
export type SignalBroadcaster = (input: {
  name: string;
  variables: Record<string, unknown>;
  signalId: string;
  reach?: { companyOfCase: string };
}) => Promise<unknown>;

/**
 * The built-in job of signal throw and end events (`SIGNAL_BROADCAST_JOB_TYPE`, ADR 0031). Header `signalName`: the
 * name the interpreter evaluated; the variables are what the event's input mappings made. The job's idempotency key
 * names the signal, so a retried attempt reaches no case twice.
 */
export function signalBroadcastJob(broadcast: SignalBroadcaster): JobHandler {
  return async (job) => {
    const name = job.headers.signalName;
    if (name === undefined || name === '') {
      throw ApplicationFailure.nonRetryable(`Element ${job.elementId}: the signal has no name`);
    }
    // A scenario case (lotse test, Probelauf) throws among the scenario's cases only, never into real ones.
    const reach = job.headers[SCENARIO_HEADER] === 'true' ? { companyOfCase: job.caseId } : undefined;
    await broadcast({ name, variables: job.variables, signalId: job.idempotencyKey, ...(reach && { reach }) });
    return { variables: {} };
  };
}
