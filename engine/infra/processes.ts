import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Linux only, as the embedded binaries are (util-linux ships it in Debian's base system). */
const SETPRIV = '/usr/bin/setpriv';

/**
 * The command line that runs `command` so that the kernel sends it `signal` when this process dies —
 * also by SIGKILL, when no exit hook of ours runs (`prctl(PR_SET_PDEATHSIG)` through `setpriv`, which
 * then execs the command under the same pid). Without setpriv the command runs as is; the clean-up at
 * the next start (`stopLeftovers`) still finds what was left behind.
 */
export function dyingWithParent(
  command: string,
  args: string[],
  signal: 'INT' | 'TERM' | 'KILL',
): { command: string; args: string[] } {
  if (!existsSync(SETPRIV)) return { command, args };
  return { command: SETPRIV, args: ['--pdeathsig', signal, '--', command, ...args] };
}

/**
 * One Lotse per data folder: its pid is kept in `lotse.pid`. A second Lotse on the folder is refused
 * (it would stop the first one's servers as leftovers); the file of a Lotse that was killed is taken
 * over. Returns the release, for the ordered shutdown.
 */
export function claimDataFolder(dataDir: string): () => void {
  const file = path.join(dataDir, 'lotse.pid');
  const recorded = existsSync(file) ? Number.parseInt(readFileSync(file, 'utf8'), 10) : NaN;
  if (Number.isInteger(recorded) && recorded !== process.pid && isAlive(recorded) && isNode(recorded)) {
    throw new Error(
      `Another Lotse (pid ${recorded}) is running on the data folder ${dataDir}. Stop it first, or set DATA_DIR.`,
    );
  }
  writeFileSync(file, `${process.pid}\n`);
  return () => {
    if (existsSync(file) && Number.parseInt(readFileSync(file, 'utf8'), 10) === process.pid) rmSync(file);
  };
}

function isNode(pid: number): boolean {
  return (argumentsOf(pid)?.[0] ?? '').includes('node');
}

/** Pids of the processes whose arguments contain `sequence` in order (e.g. `['-D', dataDir]`), except ours. */
export function processesWithArguments(sequence: string[]): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid || !isAlive(pid)) continue;
    const args = argumentsOf(pid);
    if (args && containsSequence(args, sequence)) pids.push(pid);
  }
  return pids;
}

/** Alive and not a zombie: a zombie's parent (here possibly an init that never reaps) keeps it listed. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state …`: comm may hold spaces and parentheses, the state follows the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Sends `signal`, waits up to `graceMs` for the process to end, then kills it. */
export async function stopProcess(pid: number, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (!sendSignal(pid, signal)) return;
  if (await gone(pid, graceMs)) return;
  sendSignal(pid, 'SIGKILL');
  await gone(pid, 5_000);
}

function sendSignal(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

async function gone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

function argumentsOf(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return undefined;
  }
}

export function containsSequence(items: string[], sequence: string[]): boolean {
  if (sequence.length === 0) return false;
  for (let start = 0; start + sequence.length <= items.length; start++) {
    if (sequence.every((item, offset) => items[start + offset] === item)) return true;
  }
  return false;
}
