import { describe, expect, it } from 'vitest';
import {
  clientNetwork,
  FORGET_FAILURES_AFTER_MS,
  LOGIN_RULES,
  lockedUntil,
  normalizeLoginEmail,
  retryAfterSeconds,
  throttleKeys,
  type FailureRecord,
} from './login-throttle.js';

const at = (seconds: number) => new Date(Date.UTC(2026, 11, 7, 12, 0, 0) + seconds * 1000);
const strict = LOGIN_RULES.accountAtAddress;

describe('login throttle policy', () => {
  it('lets the free failures through, then doubles the wait with every further failure', () => {
    const waits = [4, 5, 6, 7, 8].map((failures) => {
      const until = lockedUntil(strict, { failures, lastFailureAt: at(0) }, at(0));
      return until ? (until.getTime() - at(0).getTime()) / 1000 : 0;
    });
    expect(waits).toEqual([0, 1, 2, 4, 8]);
  });

  it('caps the wait, so no one is locked out for good', () => {
    const until = lockedUntil(strict, { failures: 10_000, lastFailureAt: at(0) }, at(0));
    expect(until).toEqual(new Date(at(0).getTime() + strict.maxDelayMs));
    expect(lockedUntil(strict, { failures: 10_000, lastFailureAt: at(0) }, until ?? at(0))).toBeUndefined();
  });

  it('forgets failures a day old', () => {
    const record: FailureRecord = { failures: 50, lastFailureAt: at(0) };
    expect(lockedUntil(LOGIN_RULES.address, record, at(FORGET_FAILURES_AFTER_MS / 1000 + 1))).toBeUndefined();
  });

  it('answers the longest wait of all keys in whole seconds, at least 1', () => {
    const keys = throttleKeys('portal', 'Anna@Example.org ', '203.0.113.7');
    const records = new Map<string, FailureRecord>([
      [keys[0]?.key ?? '', { failures: 7, lastFailureAt: at(0) }],
      [keys[2]?.key ?? '', { failures: 31, lastFailureAt: at(0) }],
    ]);
    expect(retryAfterSeconds(keys, records, at(0.5))).toBe(4);
    expect(retryAfterSeconds(keys, records, at(3.9))).toBe(1);
    expect(retryAfterSeconds(keys, records, at(4))).toBeUndefined();
  });

  it('keys the account (known or not, any spelling) per area, per address and alone, and the address alone', () => {
    const keys = throttleKeys('staff', ' Petra.Berg@Example.org\u0000', '::ffff:198.51.100.4').map((k) => k.key);
    expect(keys).toEqual([
      'staff:account:petra.berg@example.org|198.51.100.4',
      'staff:account:petra.berg@example.org',
      'address:198.51.100.4',
    ]);
    expect(throttleKeys('portal', 'x@example.org', '1.2.3.4').filter((k) => k.clearedOnSuccess)).toHaveLength(2);
  });

  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    [undefined, 'unknown'],
  ])('groups client %s as %s', (address, network) => {
    expect(clientNetwork(address)).toBe(network);
  });

  it('normalises the e-mail without control characters', () => {
    expect(normalizeLoginEmail('\u0000 A@B.DE \n')).toBe('a@b.de');
  });
});
