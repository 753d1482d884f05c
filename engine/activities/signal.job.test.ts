import { ApplicationFailure } from '@temporalio/activity';
import { describe, expect, it } from 'vitest';
import { signalBroadcastJob, type SignalBroadcaster } from './signal.job.js';
import { SCENARIO_HEADER, type JobRequest } from './types.js';

const job = (headers: Record<string, string>): JobRequest => ({
  caseId: 'case-1',
  caseNumber: 'WF-2026-1',
  elementId: 'Throw_Go',
  tokenId: 't7',
  taskType: 'lotse:broadcast-signal',
  idempotencyKey: 'case-1:Throw_Go:4',
  headers,
  variables: { decision: 'approved' },
});

function recording() {
  const calls: Parameters<SignalBroadcaster>[0][] = [];
  const broadcast: SignalBroadcaster = async (input) => {
    calls.push(input);
    return undefined;
  };
  return { calls, broadcast };
}

describe('the signal broadcast job', () => {
  it('broadcasts the evaluated name with the mapped variables under the job idempotency key', async () => {
    const { calls, broadcast } = recording();
    await expect(signalBroadcastJob(broadcast)(job({ signalName: 'go' }))).resolves.toEqual({ variables: {} });
    expect(calls).toEqual([{ name: 'go', variables: { decision: 'approved' }, signalId: 'case-1:Throw_Go:4' }]);
  });

  it('keeps a scenario case throw among the cases of its company', async () => {
    const { calls, broadcast } = recording();
    await signalBroadcastJob(broadcast)(job({ signalName: 'go', [SCENARIO_HEADER]: 'true' }));
    expect(calls[0]?.reach).toEqual({ companyOfCase: 'case-1' });
  });

  it('fails for good without a name, broadcasting nothing', async () => {
    const { calls, broadcast } = recording();
    const failure = await signalBroadcastJob(broadcast)(job({})).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).nonRetryable).toBe(true);
    expect(calls).toEqual([]);
  });
});
