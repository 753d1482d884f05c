import {
  MissingToolError,
  findOnPath,
  installWithProgress,
  isExecutable,
  runQuietly,
  writeToStdout,
  type ProgressWriter,
} from './tool-install.js';

/** A program that comes from a Debian package (never from a download by a test tool). */
export interface DebianTool {
  /** For people: "Chromium". */
  label: string;
  /** The Debian package: "chromium". */
  debianPackage: string;
  /** The executable's name on PATH: "chromium". */
  binary: string;
  /** Where the package puts it: "/usr/bin/chromium". */
  defaultPath: string;
  /** The variable that points somewhere else: "CHROMIUM_PATH". */
  envVar: string;
}

export interface DebianToolOptions {
  /**
   * Where the tool was configured to be (default: the tool's variable in the environment). A
   * configured path is used as is and never installed over; pass `undefined` to ignore the variable.
   */
  configured?: string | undefined;
  /** PATH to search after the default path; tests pass their own. */
  pathEnv?: string;
  /** Whether this process may install packages; by default: running as root with apt-get at hand. */
  canInstall?: boolean;
  /** The install itself; tests pass a stand-in for apt-get (the one piece of the outside world here). */
  install?: (debianPackage: string) => void;
  write?: ProgressWriter;
}

/** The command a person runs to get the tool; named in every "missing" answer. */
export function installCommand(tool: DebianTool): string {
  return `apt-get install ${tool.debianPackage}`;
}

/**
 * The tool's executable: the configured path, the package's default path, the PATH, else installed
 * with apt-get (as root, one line of progress), else a MissingToolError naming the command to run.
 */
export function resolveDebianTool(tool: DebianTool, options: DebianToolOptions = {}): string {
  const { pathEnv, write = writeToStdout } = options;
  const configured = 'configured' in options ? options.configured : process.env[tool.envVar];
  if (configured) {
    if (isExecutable(configured)) return configured;
    throw new MissingToolError(
      `${tool.envVar} points to ${configured}, which is not an executable file: ` +
        `fix ${tool.envVar}, or unset it and run \`${installCommand(tool)}\` as root.`,
    );
  }
  const found = () => (isExecutable(tool.defaultPath) ? tool.defaultPath : findOnPath(tool.binary, pathEnv));
  const present = found();
  if (present) return present;

  const canInstall = options.canInstall ?? (process.getuid?.() === 0 && findOnPath('apt-get', pathEnv) !== undefined);
  if (!canInstall) {
    throw new MissingToolError(
      `${tool.label} is missing (no ${tool.defaultPath}, no ${tool.binary} on PATH): ` +
        `run \`${installCommand(tool)}\` as root, or set ${tool.envVar} to its path.`,
    );
  }
  const install = options.install ?? aptGetInstall;
  installWithProgress(
    `${tool.label} (Debian package ${tool.debianPackage}) with apt-get`,
    () => {
      try {
        install(tool.debianPackage);
      } catch (error) {
        // Another run may have installed it meanwhile (apt-get then fails on the lock, or succeeds).
        if (found()) return;
        throw error;
      }
    },
    write,
  );
  const installed = found();
  if (!installed) {
    throw new MissingToolError(
      `apt-get installed ${tool.debianPackage}, but there is still no ${tool.defaultPath}: set ${tool.envVar} to its path.`,
    );
  }
  return installed;
}

/**
 * `apt-get install`, refreshing the package lists only when the install fails without (a fresh image
 * has none; fresh lists make a second update needless). Waits for a dpkg lock held by another run.
 */
export function aptGetInstall(debianPackage: string): void {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    runQuietly(
      'apt-get',
      ['-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '-q', debianPackage],
      `Could not install ${debianPackage} with apt-get (run \`apt-get install ${debianPackage}\` as root to retry)`,
      env,
    );
  try {
    install();
  } catch {
    runQuietly('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'update', '-q'], 'apt-get update failed', env);
    install();
  }
}
