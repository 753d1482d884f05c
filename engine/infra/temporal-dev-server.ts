import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';

export interface DevServerHandle {
  address: string;
  uiUrl: string;
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
}

/**
 * Starts `temporal server start-dev` as a child process and waits until its frontend answers.
 * The child dies with us: it is stopped on `stop()` and killed if this process exits.
 */
export async function startTemporalDevServer(options: DevServerOptions): Promise<DevServerHandle> {
  await mkdir(path.dirname(path.resolve(options.dbFile)), { recursive: true });
  if (await portInUse(options.port)) {
    throw new Error(
      `Port ${options.port} is already in use: another Temporal server may be running. ` +
        `Stop it, set TEMPORAL_DEV_PORT, or point TEMPORAL_ADDRESS at it.`,
    );
  }
  const child = spawn(
    options.cli,
    [
      'server',
      'start-dev',
      '--db-filename',
      path.resolve(options.dbFile),
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
      ...Object.entries(options.dynamicConfig ?? {}).flatMap(([key, value]) => [
        '--dynamic-config-value',
        `${key}=${JSON.stringify(value)}`,
      ]),
    ],
    // Own process group: a terminal's Ctrl-C reaches Lotse only, which stops the server in order.
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const address = `127.0.0.1:${options.port}`;
  const ready = await Promise.race([waitForFrontend(address, 60_000), exited.then(() => false)]);
  if (!ready) {
    child.kill('SIGKILL');
    throw new Error(`Temporal dev server did not start on ${address}. Its last output:\n${stderr}`);
  }
  return {
    address,
    uiUrl: `http://127.0.0.1:${options.uiPort}`,
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null) return;
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
