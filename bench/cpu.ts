import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time in ms, by who spent it: this Node process, the Temporal dev server, PostgreSQL, our
 * other children, and `foreign`: every other process on the machine (a parallel test run, say),
 * which makes the figures noisy and is therefore reported next to them.
 */
export interface CpuSample {
  node: number;
  temporal: number;
  postgres: number;
  other: number;
  foreign: number;
}

const TICK_MS = 1000 / clockTicksPerSecond();

/**
 * CPU spent so far by this process and its descendants (read from /proc, Linux only). A
 * descendant's own times plus those of its exited children (cutime/cstime), so PostgreSQL
 * backends that ended in between still count through the postmaster.
 */
export function sampleCpu(): CpuSample {
  const own = process.cpuUsage();
  const sample: CpuSample = { node: (own.user + own.system) / 1000, temporal: 0, postgres: 0, other: 0, foreign: 0 };
  for (const child of descendants(process.pid)) {
    const group = child.comm === 'temporal' || child.comm === 'postgres' ? child.comm : 'other';
    sample[group] += child.ticks * TICK_MS;
  }
  sample.foreign = machineBusyTicks() * TICK_MS - (sample.node + sample.temporal + sample.postgres + sample.other);
  return sample;
}

export function cpuSince(start: CpuSample, end: CpuSample = sampleCpu()): CpuSample {
  return {
    node: end.node - start.node,
    temporal: end.temporal - start.temporal,
    postgres: end.postgres - start.postgres,
    other: end.other - start.other,
    foreign: end.foreign - start.foreign,
  };
}

interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  ticks: number;
}

function descendants(root: number): ProcStat[] {
  const all: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (stat) all.push(stat);
  }
  const found: ProcStat[] = [];
  const parents = new Set([root]);
  // Parents precede children in most listings but not all: repeat until nothing new is found.
  for (let grew = true; grew;) {
    grew = false;
    for (const stat of all) {
      if (!parents.has(stat.pid) && parents.has(stat.ppid)) {
        parents.add(stat.pid);
        found.push(stat);
        grew = true;
      }
    }
  }
  return found;
}

function readStat(pid: string): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // exited meanwhile
  }
  // `pid (comm) state ppid …`: comm may contain spaces and parentheses, so split at the last ')'.
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  const ticks = [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index] ?? 0), 0);
  return { pid: Number(pid), ppid: Number(fields[1]), comm: text.slice(open + 1, close), ticks };
}

function clockTicksPerSecond(): number {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
}

/** PostgreSQL and Temporal processes of ours still alive (after stopping, there should be none). */
export function liveServers(): { pid: number; comm: string }[] {
  return descendants(process.pid)
    .filter(({ comm }) => comm === 'postgres' || comm === 'temporal')
    .map(({ pid, comm }) => ({ pid, comm }));
}

/** All CPUs' non-idle time since boot (`cpu` line of /proc/stat: user nice system idle iowait irq softirq steal). */
function machineBusyTicks(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  return [0, 1, 2, 5, 6, 7].reduce((sum, index) => sum + (fields[index] ?? 0), 0);
}
