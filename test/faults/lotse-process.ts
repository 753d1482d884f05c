import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { embeddedDatabaseUrl } from '../../engine/infra/embedded-postgres.js';
import { isAlive, processesWithArguments } from '../../engine/infra/processes.js';
import { PROJECT_ROOT } from '../../engine/main/system.js';

/** Ports of one Lotse on 127.0.0.1, chosen at random in a high range (web, PostgreSQL, Temporal, its UI). */
export interface LotsePorts {
  web: number;
  postgres: number;
  temporal: number;
  temporalUi: number;
}

export async function freePorts(): Promise<LotsePorts> {
  for (;;) {
    const base = 40_000 + Math.floor(Math.random() * 20_000);
    const ports = { web: base, postgres: base + 1, temporal: base + 2, temporalUi: base + 3 };
    const taken = await Promise.all(Object.values(ports).map(portTaken));
    if (!taken.some(Boolean)) return ports;
  }
}

function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A data folder PostgreSQL (running as its own OS user when we are root) can use. */
export async function dataFolder(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lotse-fault-'));
  await chmod(dir, 0o755);
  return dir;
}

export const environmentOf = (dataDir: string, ports: LotsePorts): Record<string, string> => ({
  NODE_ENV: 'test',
  DATA_DIR: dataDir,
  PORT: String(ports.web),
  EMBEDDED_PG_PORT: String(ports.postgres),
  TEMPORAL_DEV_PORT: String(ports.temporal),
  TEMPORAL_UI_PORT: String(ports.temporalUi),
  SESSION_SECRET: 'fault-secret-fault-secret-fault-secret-42',
});

/**
 * `npm start` as a user runs it: `npx tsx engine/main/start.ts` in a process group of its own (npm, sh,
 * tsx, node), so that `kill -9 -<group>` is what a crash or an OOM kill of the whole group does.
 */
export function spawnLotse(dataDir: string, ports: LotsePorts) {
  const child: ChildProcess = spawn('npx', ['tsx', 'engine/main/start.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...environmentOf(dataDir, ports) },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-20_000));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  // npm's exit: with its code, or with null when a signal (Ctrl-C, kill -9) ended npm itself.
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const group = child.pid;
  if (group === undefined) throw new Error('npx did not start');
  const url = `http://127.0.0.1:${ports.web}`;
  return {
    url,
    databaseUrl: embeddedDatabaseUrl(ports.postgres),
    output: () => output,
    exited,
    /** Waits until /healthz answers 200; the whole start (migrations, catalog, bundle) takes ~10–20 s here. */
    async healthy(timeoutMs = 90_000): Promise<number> {
      const started = Date.now();
      while (Date.now() - started < timeoutMs) {
        const status = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) }).then(
          (response) => response.status,
          () => 0,
        );
        if (status === 200) return Date.now() - started;
        if (child.exitCode !== null) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error(`Lotse did not become healthy. Its output:\n${output}`);
    },
    /** kill -9 of the whole process group: no handler of ours runs. */
    killGroup() {
      process.kill(-group, 'SIGKILL');
    },
    /** Ctrl-C in a terminal: SIGINT to the whole foreground group. */
    interruptGroup() {
      process.kill(-group, 'SIGINT');
    },
  };
}

export type LotseProcess = ReturnType<typeof spawnLotse>;

/** Servers still running on this data folder (PostgreSQL by `-D`, Temporal by its SQLite file). */
export function serversOf(dataDir: string): number[] {
  return [
    ...processesWithArguments(['-D', path.join(dataDir, 'pg')]),
    ...processesWithArguments(['--db-filename', path.join(dataDir, 'temporal.db')]),
  ];
}

/** Polls until no server of this data folder runs any more; returns those still running after `timeoutMs`. */
export async function serversGone(dataDir: string, timeoutMs = 10_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = serversOf(dataDir).filter(isAlive);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Holds a port so the supervisor's restart of a killed server fails until `release()`: an outage that lasts
 * (a server that does not come back at once), with every connection refused by a reset as a dead port would.
 */
export async function holdPort(port: number): Promise<{ release(): Promise<void> }> {
  const server = net.createServer((socket) => socket.resetAndDestroy());
  const deadline = Date.now() + 5000;
  for (;;) {
    const listening = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen({ host: '127.0.0.1', port, exclusive: true }, () => resolve(true));
    });
    if (listening) break;
    // The killed server's socket may linger a moment.
    if (Date.now() > deadline) throw new Error(`port ${port} stayed taken`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { release: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** kill -9 of one embedded server of a data folder (found by its arguments), waiting until it is gone. */
export async function killServer(args: string[]): Promise<number> {
  const [pid] = processesWithArguments(args);
  if (pid === undefined) throw new Error(`no process with ${args.join(' ')}`);
  process.kill(pid, 'SIGKILL');
  while (isAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 10));
  return pid;
}
