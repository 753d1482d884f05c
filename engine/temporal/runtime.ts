import { DefaultLogger, Runtime } from '@temporalio/worker';

let installed = false;

/** The Temporal SDK's process-wide runtime: warnings and errors only (its info lines are per poll state). */
export function installTemporalRuntime(): void {
  if (installed) return;
  // No shutdown signals of its own: on Ctrl-C Lotse stops web, worker, Temporal and PostgreSQL in order, and a
  // worker that ends by itself is one the supervisor restarts (engine/main/system.ts).
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  installed = true;
}
