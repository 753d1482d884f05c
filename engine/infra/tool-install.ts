import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/**
 * What `npm start`, `npm test` and `.ci/run` need that is not an npm package (the Temporal CLI,
 * Debian's Chromium, …) is found or installed by one resolver each. They share the shape here:
 * look in the configured place, then the usual places, else install once with one line of progress,
 * else fail with one line that names the command to run.
 */

/** Where progress text goes; tests pass their own to see what a user would see. */
export type ProgressWriter = (text: string) => void;

export const writeToStdout: ProgressWriter = (text) => {
  process.stdout.write(text);
};

/**
 * A tool is missing and this process cannot provide it. The message is the whole answer (what is
 * missing and the command to run), so callers print only the message, never a stack trace.
 */
export class MissingToolError extends Error {
  override name = 'MissingToolError';
}

/**
 * Runs a slow install with one line of progress: `Installing <what> … done in 12.3 s`. The first
 * half is written before the work starts, so a user sees at once why the start is slow.
 */
export function installWithProgress(
  what: string,
  install: () => void,
  write: ProgressWriter = writeToStdout,
  now: () => number = () => performance.now(),
): void {
  write(`Installing ${what} … `);
  const started = now();
  try {
    install();
  } catch (error) {
    write('failed\n');
    throw error;
  }
  write(`done in ${((now() - started) / 1000).toFixed(1)} s\n`);
}

/** The first executable `name` in a PATH-style list, or undefined. */
export function findOnPath(name: string, pathEnv: string = process.env.PATH ?? ''): string | undefined {
  for (const dir of pathEnv.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs an installer with its output captured (installers are noisy; the noise matters only when they
 * fail). A failure is a MissingToolError: `what` says what to do, then the tail of the output says why.
 */
export function runQuietly(command: string, args: string[], what: string, env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, args, { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new MissingToolError(`${what}: could not run ${command} (${result.error.message})`);
  if (result.status !== 0) {
    const output = `${result.stdout}${result.stderr}`.trim().split('\n').slice(-40).join('\n');
    throw new MissingToolError(`${what}: \`${command} ${args.join(' ')}\` exited with ${result.status}:\n${output}`);
  }
}
