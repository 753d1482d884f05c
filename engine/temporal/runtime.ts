import { DefaultLogger, Runtime } from '@temporalio/worker';

let installed = false;

/** The Temporal SDK's process-wide runtime: warnings and errors only (its info lines are per poll state). */
export function installTemporalRuntime(): void {
  if (installed) return;
  Runtime.install({ logger: new DefaultLogger('WARN') });
  installed = true;
}
