/**
 * Brute-force protection for the two logins (pure: the clock comes in as an argument).
 *
 * Failed attempts are counted per key; after a key's free failures every further attempt waits an
 * exponentially growing delay (1 s, 2 s, 4 s, … up to a cap), and an attempt made while a key waits
 * is refused unread (429) and not counted. Three keys per attempt:
 * - the account at this client address: strict, so one address cannot guess on;
 * - the account from anywhere: looser and capped low, so guessing from many addresses is slowed but
 *   an attacker cannot keep the real user out for long;
 * - the client address over all accounts: generous (offices share an address), against spraying one
 *   password over many accounts.
 * The account key is the e-mail as typed (normalised), whether or not the account exists: unknown
 * users get exactly the same answers. A successful login clears the account keys, never the
 * address key (else an attacker with an account of their own could reset it).
 */
import type { FailureRecord } from '../repositories/login-failure.repository.js';

export interface ThrottleRule {
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const LOGIN_RULES = {
  accountAtAddress: { freeFailures: 5, baseDelayMs: 1000, maxDelayMs: 15 * 60_000 },
  account: { freeFailures: 10, baseDelayMs: 1000, maxDelayMs: 5 * 60_000 },
  address: { freeFailures: 30, baseDelayMs: 1000, maxDelayMs: 15 * 60_000 },
} satisfies Record<string, ThrottleRule>;

/** Failures older than this are forgotten: a user who mistyped yesterday starts afresh. */
export const FORGET_FAILURES_AFTER_MS = 24 * 60 * 60_000;

export type { FailureRecord };

export type LoginArea = 'portal' | 'staff';

export interface ThrottleKey {
  scope: keyof typeof LOGIN_RULES;
  key: string;
  rule: ThrottleRule;
  /** Cleared by a successful login. */
  clearedOnSuccess: boolean;
}

/** When the key may try again: undefined when it need not wait. */
export function lockedUntil(rule: ThrottleRule, record: FailureRecord | undefined, now: Date): Date | undefined {
  if (!record || now.getTime() - record.lastFailureAt.getTime() > FORGET_FAILURES_AFTER_MS) return undefined;
  const over = record.failures - rule.freeFailures;
  if (over < 0) return undefined;
  // 2^over grows past any cap quickly; the exponent is bounded so the number stays finite.
  const delay = Math.min(rule.maxDelayMs, rule.baseDelayMs * 2 ** Math.min(over, 30));
  const until = new Date(record.lastFailureAt.getTime() + delay);
  return until > now ? until : undefined;
}

/** Whole seconds to wait before the next attempt (for `Retry-After`), or undefined when none of the keys waits. */
export function retryAfterSeconds(
  keys: ThrottleKey[],
  records: ReadonlyMap<string, FailureRecord>,
  now: Date,
): number | undefined {
  let latest: Date | undefined;
  for (const { key, rule } of keys) {
    const until = lockedUntil(rule, records.get(key), now);
    if (until && (!latest || until > latest)) latest = until;
  }
  return latest ? Math.max(1, Math.ceil((latest.getTime() - now.getTime()) / 1000)) : undefined;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** The account part of a key: the e-mail as the user would recognise it (case and spaces do not matter). */
export function normalizeLoginEmail(email: string): string {
  return email.replace(CONTROL, '').trim().toLowerCase().slice(0, 320);
}

/**
 * The client part of a key: an IPv4 address, or the /64 network of an IPv6 address (one household
 * or host gets a whole /64, so single IPv6 addresses are free to an attacker).
 */
export function clientNetwork(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const groups = [...head.split(':').filter(Boolean)];
  const tailGroups = tail.split(':').filter(Boolean);
  while (groups.length + tailGroups.length < 8) groups.push('0');
  return `${[...groups, ...tailGroups].slice(0, 4).join(':')}::/64`;
}

export function throttleKeys(area: LoginArea, email: string, address: string | undefined): ThrottleKey[] {
  const account = normalizeLoginEmail(email);
  const network = clientNetwork(address);
  return [
    {
      scope: 'accountAtAddress',
      key: `${area}:account:${account}|${network}`,
      rule: LOGIN_RULES.accountAtAddress,
      clearedOnSuccess: true,
    },
    { scope: 'account', key: `${area}:account:${account}`, rule: LOGIN_RULES.account, clearedOnSuccess: true },
    { scope: 'address', key: `address:${network}`, rule: LOGIN_RULES.address, clearedOnSuccess: false },
  ];
}
