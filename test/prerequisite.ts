import { MissingToolError } from '../engine/infra/tool-install.js';

/**
 * Runs a resolver in a lane's global setup. A missing tool stops the lane with the resolver's one
 * line (what is missing, the command to run) instead of a stack trace in every test file. Call it
 * before the setup starts any server: exiting here leaves nothing running.
 */
export function requireForLane<T>(lane: string, resolve: () => T): T {
  try {
    return resolve();
  } catch (error) {
    if (!(error instanceof MissingToolError)) throw error;
    console.error(`${lane} stopped: ${error.message}`);
    process.exit(1);
  }
}
