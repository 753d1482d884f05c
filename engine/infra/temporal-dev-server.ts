import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { dyingWithParent, processesWithArguments, stopProcess } from './processes.js';

export interface DevServerHandle {
  address: string;
  uiUrl: string;
  /** Settles when the server process ended: stopped, crashed or killed. */
  ended: Promise<void>;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  cli: string;
  /** SQLite file: cases survive a restart only when this is set. */
  dbFile: string;
  port: number;
  uiPort: number;
  namespace: string;
  /** Server dynamic config (`--dynamic-config-value KEY=VALUE`), e.g. a low `limit.historyCount.suggestContinueAsNew` in tests. */
  dynamicConfig?: Record<string, string | number>;
  log?: (message: string) => void;
}

/**
 * What Lotse sets on the server it starts. A workflow whose workflow task fails twice in a row is
 * flagged (search attribute `TemporalReportedProblems`) and shown as an incident
 * (engine/temporal/workflow-health.ts); the server's default waits for five failures, about a minute.
 * Operators of an external cluster set the same key.
 */
export const LOTSE_DYNAMIC_CONFIG: Record<string, number> = {
  'system.numConsecutiveWorkflowTaskProblemsToTriggerSearchAttribute': 2,
};

/**
 * Starts `temporal server start-dev` as a child process and waits until its frontend answers.
 * The child dies with us: it is stopped on `stop()`, killed if this process exits, and killed by the
 * kernel if this process is killed. A dev server an earlier, killed Lotse left running on the same
 * SQLite file is stopped first (two servers must never share the file).
 */
export async function startTemporalDevServer(options: DevServerOptions): Promise<DevServerHandle> {
  const dbFile = path.resolve(options.dbFile);
  await mkdir(path.dirname(dbFile), { recursive: true });
  // Only a dev server of this data folder carries `--db-filename <our file>`: the check is safe against reused pids.
  for (const pid of processesWithArguments(['--db-filename', dbFile])) {
    (options.log ?? console.log)(`Stopping the Temporal dev server (pid ${pid}) an earlier Lotse left running`);
    await stopProcess(pid, 'SIGTERM', 10_000);
  }
  if (await portInUse(options.port)) {
    throw new Error(
      `Port ${options.port} is already in use: another Temporal server may be running. ` +
        `Stop it, set TEMPORAL_DEV_PORT, or point TEMPORAL_ADDRESS at it.`,
    );
  }
  const { command, args } = dyingWithParent(
    options.cli,
    [
      'server',
      'start-dev',
      '--db-filename',
      dbFile,
      '--ip',
      '127.0.0.1',
      '--port',
      String(options.port),
      '--ui-port',
      String(options.uiPort),
      '--namespace',
      options.namespace,
      '--log-level',
      'error',
      '--ui-disable-news-fetch',
      ...Object.entries({ ...LOTSE_DYNAMIC_CONFIG, ...options.dynamicConfig }).flatMap(([key, value]) => [
        '--dynamic-config-value',
        `${key}=${JSON.stringify(value)}`,
      ]),
    ],
    // SQLite keeps what was committed; a graceful stop is for the ordered shutdown only.
    'KILL',
  );
  // Own process group: a terminal's Ctrl-C reaches Lotse only, which stops the server in order.
  const child = spawn(command, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      process.removeListener('exit', killOnExit);
      resolve();
    }),
  );

  const address = `127.0.0.1:${options.port}`;
  const ready = await Promise.race([waitForFrontend(address, 60_000), exited.then(() => false)]);
  if (!ready) {
    child.kill('SIGKILL');
    throw new Error(`Temporal dev server did not start on ${address}. Its last output:\n${stderr}`);
  }
  return {
    address,
    uiUrl: `http://127.0.0.1:${options.uiPort}`,
    ended: exited,
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timeout = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timeout);
    },
  };
}

async function waitForFrontend(address: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.healthService.check({});
      await connection.close();
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return false;
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
