import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import type { Logger } from '../log/logger.js';

let installed = false;

/** The Temporal SDK's process-wide runtime: warnings and errors only (its info lines are per poll state). */
export function installTemporalRuntime(logger?: Logger): void {
  if (installed) return;
  // No shutdown signals of its own: on Ctrl-C Lotse stops web, worker, Temporal and PostgreSQL in order, and a
  // worker that ends by itself is one the supervisor restarts (engine/main/system.ts).
  // Through Lotse's logger when there is one: the SDK logs failed activities with their error, which must be redacted too.
  const write =
    logger &&
    ((entry: LogEntry) => logger[entry.level === 'ERROR' ? 'error' : 'warn']({ ...entry.meta }, entry.message));
  Runtime.install({ logger: new DefaultLogger('WARN', write), shutdownSignals: [] });
  installed = true;
}
