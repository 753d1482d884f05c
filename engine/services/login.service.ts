import type { LoginFailureRepository } from '../repositories/login-failure.repository.js';
import type { AuthService, CompanyUserSession, StaffSession } from './auth.service.js';
import {
  FORGET_FAILURES_AFTER_MS,
  retryAfterSeconds,
  throttleKeys,
  type LoginArea,
  type ThrottleKey,
} from './login-throttle.js';

export type LoginOutcome<P> =
  | { kind: 'ok'; principal: P }
  /** Wrong e-mail or password, unknown account or unusable input: one answer for all. */
  | { kind: 'failed' }
  /** Too many failures: not checked at all; try again after `retryAfterSeconds`. */
  | { kind: 'throttled'; retryAfterSeconds: number };

export interface LoginAttempt {
  /** As posted: anything, since it comes from a form. */
  email: unknown;
  password: unknown;
  /** The client's address (`req.ip`). */
  address: string | undefined;
}

const MAX_EMAIL_LENGTH = 320;
// argon2 hashes any length; a bound keeps a megabyte "password" from costing more than a real one.
const MAX_PASSWORD_LENGTH = 1024;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Input that cannot belong to any account (and that PostgreSQL would refuse: a NUL): a failed login without a lookup. */
function usable(email: unknown, password: unknown): { email: string; password: string } | undefined {
  if (typeof email !== 'string' || typeof password !== 'string') return undefined;
  if (email.length > MAX_EMAIL_LENGTH || password.length > MAX_PASSWORD_LENGTH) return undefined;
  if (CONTROL.test(email) || password.includes('\u0000')) return undefined;
  return { email, password };
}

/**
 * Runs work for one key after the work queued before it for that key: a chain of promises per key,
 * forgotten when it runs empty.
 */
function createKeyedQueue() {
  const tails = new Map<string, Promise<void>>();
  return async function inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = tails.get(key) ?? Promise.resolve();
    let done = () => {};
    const mine = new Promise<void>((resolve) => (done = resolve));
    const tail = before.then(() => mine);
    tails.set(key, tail);
    await before;
    try {
      return await work();
    } finally {
      done();
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}

/** The two logins with brute-force protection (see login-throttle.ts for the policy). */
export interface LoginService {
  /** A company user's login to the portal. */
  companyUser(input: LoginAttempt): Promise<LoginOutcome<CompanyUserSession>>;
  /** A caseworker's or administrator's login to /staff. */
  staff(input: LoginAttempt): Promise<LoginOutcome<StaffSession>>;
}

export interface LoginServiceDeps {
  auth: AuthService;
  failures: LoginFailureRepository;
  clock?: () => Date;
}

export function createLoginService(deps: LoginServiceDeps): LoginService {
  const { auth, failures } = deps;
  const clock = deps.clock ?? (() => new Date());
  // Check, verify and count must not interleave for one account or address, or a burst of parallel
  // guesses would all pass the check before the first failure is counted. Within this process the
  // attempts on an address, and on an account, take turns (address first, so two queues never wait
  // on each other); several web nodes each let at most one guess per key through at a time.
  const inTurn = createKeyedQueue();

  function attempt<P>(
    area: LoginArea,
    input: LoginAttempt,
    check: (email: string, password: string) => Promise<P | undefined>,
  ): Promise<LoginOutcome<P>> {
    const keys = throttleKeys(area, typeof input.email === 'string' ? input.email : '', input.address);
    const keyOf = (scope: ThrottleKey['scope']) => keys.find((key) => key.scope === scope)?.key ?? scope;
    return inTurn(keyOf('address'), () => inTurn(keyOf('account'), () => attemptInTurn(keys, input, check)));
  }

  async function attemptInTurn<P>(
    keys: ThrottleKey[],
    input: LoginAttempt,
    check: (email: string, password: string) => Promise<P | undefined>,
  ): Promise<LoginOutcome<P>> {
    const names = keys.map((key) => key.key);
    const wait = retryAfterSeconds(keys, await failures.find(names), clock());
    if (wait !== undefined) return { kind: 'throttled', retryAfterSeconds: wait };
    const credentials = usable(input.email, input.password);
    const principal = credentials ? await check(credentials.email, credentials.password) : undefined;
    const now = clock();
    if (principal === undefined) {
      await failures.recordFailure(names, now, new Date(now.getTime() - FORGET_FAILURES_AFTER_MS));
      return { kind: 'failed' };
    }
    await failures.clear(keys.filter((key) => key.clearedOnSuccess).map((key) => key.key));
    return { kind: 'ok', principal };
  }

  return {
    companyUser: (input) => attempt('portal', input, auth.loginCompanyUser),
    staff: (input) => attempt('staff', input, auth.loginStaff),
  };
}
