import { ServiceError } from '@temporalio/client';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it, vi } from 'vitest';
import { answeredWithin, UnavailableError, unavailablePart } from './unavailable.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
const grpc = (code: number, details: string) =>
  Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });

describe('unavailablePart', () => {
  // Invariant: an outage of PostgreSQL or Temporal is told apart from a bug, through any wrapping.
  it.each([
    ['pg refused (server down)', withCode('connect ECONNREFUSED 127.0.0.1:5433', 'ECONNREFUSED'), 'database'],
    [
      'admin shutdown 57P01 (server stopping)',
      withCode('terminating connection due to administrator command', '57P01'),
      'database',
    ],
    ['57P03 (server starting)', withCode('the database system is starting up', '57P03'), 'database'],
    ['connection lost without a code', new Error('Connection terminated unexpectedly'), 'database'],
    ['pool connect timeout', new Error('timeout exceeded when trying to connect'), 'database'],
    [
      'wrapped by drizzle',
      new DrizzleQueryError('select 1', [], withCode('connect ECONNREFUSED 127.0.0.1:5433', 'ECONNREFUSED')),
      'database',
    ],
    ['gRPC UNAVAILABLE', grpc(14, 'No connection established'), 'temporal'],
    ['no answer within the deadline', new UnavailableError('temporal'), 'temporal'],
    ['gRPC DEADLINE_EXCEEDED', grpc(4, 'Deadline exceeded'), 'temporal'],
    [
      'wrapped by the Temporal client',
      new ServiceError('Failed to start Workflow', { cause: grpc(14, 'No connection established') }),
      'temporal',
    ],
  ])('%s → %s', (_name, error, part) => {
    expect(unavailablePart(error)).toBe(part);
  });

  it.each([
    ['a unique violation', withCode('duplicate key value violates unique constraint', '23505')],
    ['a gRPC NOT_FOUND', grpc(5, 'workflow not found')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a string', 'ECONNREFUSED'],
    ['nothing', undefined],
  ])('%s is no outage', (_name, error) => {
    expect(unavailablePart(error)).toBeUndefined();
  });
});

describe('answeredWithin', () => {
  it('stops waiting at the deadline even when the call goes on (the client retries past its deadline)', async () => {
    // Invariant: a request waits at most the deadline, and the late end of the abandoned call is swallowed.
    vi.useFakeTimers();
    try {
      let seenDeadline = 0;
      const answer = answeredWithin(5000, 'temporal', (deadline) => {
        seenDeadline = deadline;
        return new Promise((_resolve, reject) => setTimeout(() => reject(new Error('late')), 9000));
      });
      const outcome = answer.then(
        () => 'answered',
        (error: unknown) => unavailablePart(error),
      );
      await vi.advanceTimersByTimeAsync(5000);
      expect(await outcome).toBe('temporal');
      expect(seenDeadline).toBe(Date.now());
      await vi.advanceTimersByTimeAsync(4000);
    } finally {
      vi.useRealTimers();
    }
  });

  it('passes on what the call answers in time', async () => {
    await expect(answeredWithin(5000, 'temporal', async () => 'started')).resolves.toBe('started');
    await expect(
      answeredWithin(5000, 'temporal', async () => {
        throw new Error('rejected by the server');
      }),
    ).rejects.toThrow('rejected by the server');
  });
});
