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
    if (isGrpcServiceError(current)) return TEMPORAL_GRPC_CODES.has(current.code) ? 'temporal' : undefined;
    const code: unknown = Reflect.get(current, 'code');
    if (typeof code === 'string' && DATABASE_CODES.has(code)) return 'database';
    const { message } = current;
    if (DATABASE_MESSAGES.some((text) => message.startsWith(text))) return 'database';
    current = current.cause;
  }
  return undefined;
}
