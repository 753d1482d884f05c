import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { loadConfig } from '../engine/config.js';
import type { Logger } from '../engine/log/logger.js';
import { startSystem } from '../engine/main/system.js';

/** A whole Lotse system (worker + web on a free port) against the run's shared PostgreSQL and Temporal. */
/** `logger`: where the system's log lines go (default: silent under NODE_ENV=test), for tests that read them. */
export function startTestSystem(overrides: Record<string, string> = {}, logger?: Logger) {
  return startSystem(
    loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      DATABASE_URL: inject('databaseUrl'),
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      // Each test file has its own task queue, so no other file's worker picks up its cases.
      TEMPORAL_TASK_QUEUE: `lotse-test-${randomUUID()}`,
      SESSION_SECRET: 'test-secret-test-secret-test-secret-42',
      DATA_DIR: '/tmp/lotse-test-data',
      // Every test file registers from 127.0.0.1 against one database: the network's quota would run out across
      // files. The quota's own test sets the production limits (test/integration/account-mail-quota.int.test.ts).
      ACCOUNT_MAILS_PER_NETWORK: '100000',
      ...overrides,
    }),
    () => {},
    logger,
  );
}

/** Polls until `probe` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
