import { isGrpcServiceError } from '@temporalio/client';

/** A part Lotse needs that did not answer: the page says "try again shortly" (503), not "something broke" (500). */
export type UnavailablePart = 'database' | 'temporal';

/**
 * Errors of a PostgreSQL that is down, restarting or refusing connections: socket errors of the pg
 * driver and the SQLSTATEs of a server shutting down or starting (57P01–57P03, class 08), or out of
 * connections (53300).
 */
const DATABASE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300',
]);
/** The pg driver reports a lost or impossible connection with these messages and no code. */
const DATABASE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
];

/** gRPC UNAVAILABLE and DEADLINE_EXCEEDED: the Temporal frontend is down or did not answer in time. */
const TEMPORAL_GRPC_CODES = new Set([14, 4]);

/**
 * Which part an error says is unavailable, if any: the one place that knows what an outage looks like.
 * Follows `cause` (drizzle and the Temporal client wrap the driver's error).
 */
export function unavailablePart(error: unknown): UnavailablePart | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof UnavailableError) return current.part;
    if (isGrpcServiceError(current)) return TEMPORAL_GRPC_CODES.has(current.code) ? 'temporal' : undefined;
    const code: unknown = Reflect.get(current, 'code');
    if (typeof code === 'string' && DATABASE_CODES.has(code)) return 'database';
    const { message } = current;
    if (DATABASE_MESSAGES.some((text) => message.startsWith(text))) return 'database';
    current = current.cause;
  }
  return undefined;
}

/** A part did not answer in time: raised by `answeredWithin`, told apart by `unavailablePart` like a driver's error. */
export class UnavailableError extends Error {
  override name = 'UnavailableError';
  constructor(readonly part: UnavailablePart) {
    super(`${part} did not answer in time`);
  }
}

/**
 * Runs `call` with a deadline and stops waiting at it. The Temporal client's retries sleep past a call's
 * deadline (measured: a 5 s deadline answered after 9.4 s), so the deadline alone does not bound a request.
 * The abandoned call may still succeed later; callers use it only for idempotent calls.
 */
export function answeredWithin<T>(
  ms: number,
  part: UnavailablePart,
  call: (deadline: number) => Promise<T>,
): Promise<T> {
  const pending = call(Date.now() + ms);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new UnavailableError(part)), ms);
  });
  pending.catch(() => undefined); // its late failure is expected and no longer anyone's business
  return Promise.race([pending, timeout]).finally(() => clearTimeout(timer));
}

/** For `.catch` in a route: an outage becomes the value 'unavailable', answered with 503; anything else stays an error. */
export function asOutage(error: unknown): 'unavailable' {
  if (unavailablePart(error)) return 'unavailable';
  throw error;
}
