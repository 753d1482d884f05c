import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { cleanFailure } from './clean-failures.js';

describe('cleanFailure: what an activity hands to Temporal carries no query parameters', () => {
  it('turns a drizzle error into a retryable failure with the clean message and no cause or raw stack', () => {
    const raw = new DrizzleQueryError(
      'insert … ($1, $2)',
      ['anna@example.org', 'Mail body'],
      new Error('deadlock detected'),
    );
    const cleaned = cleanFailure(raw);
    expect(cleaned).toBeInstanceOf(ApplicationFailure);
    const failure = cleaned as ApplicationFailure;
    expect(failure.message).toBe('Database query failed: deadlock detected');
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('DrizzleQueryError');
    expect(failure.cause).toBeUndefined();
    expect(String(failure.stack)).not.toContain('anna@example.org');
  });

  it('keeps type, retryability and details of an application failure', () => {
    const raw = ApplicationFailure.create({
      message: 'recipient max@example.org refused',
      type: 'MAIL_REFUSED',
      nonRetryable: true,
      details: [{ code: 550 }],
    });
    const failure = cleanFailure(raw) as ApplicationFailure;
    expect(failure).toMatchObject({ message: 'recipient <e-mail> refused', type: 'MAIL_REFUSED', nonRetryable: true });
    expect(failure.details).toEqual([{ code: 550 }]);
  });

  it('passes a cancellation through unchanged (it steers the workflow)', () => {
    const cancelled = new CancelledFailure('cancelled');
    expect(cleanFailure(cancelled)).toBe(cancelled);
  });
});
