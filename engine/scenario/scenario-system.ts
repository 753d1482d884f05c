/**
 * The engine `lotse test` runs against: the whole system as `npm start` builds it (startSystem), on a task queue
 * of its own. Without DATABASE_URL / TEMPORAL_ADDRESS it gets its own embedded PostgreSQL and Temporal dev server
 * in a temporary folder on free ports, removed afterwards.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { startSystem, type Log, type System } from '../main/system.js';

export interface ScenarioSystemOptions {
  /** Use this PostgreSQL instead of an embedded one (a test database: scenario services and cases are written to it). */
  databaseUrl?: string;
  /** Use this Temporal frontend instead of a dev server. */
  temporalAddress?: string;
  /** Further settings (TEMPORAL_NAMESPACE, TEMPORAL_CLI, TLS …); defaults to the process environment. */
  env?: NodeJS.ProcessEnv;
  log?: Log;
}

export async function startScenarioSystem(
  options: ScenarioSystemOptions,
): Promise<{ system: System; stop: () => Promise<void> }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'lotse-scenario-'));
  // mkdtemp makes it 0700; PostgreSQL runs as its own user when we are root and must get through.
  await chmod(dataDir, 0o755);
  const env = options.env ?? process.env;
  try {
    const config = loadConfig({
      ...env,
      NODE_ENV: 'test',
      PORT: '0',
      DATA_DIR: dataDir,
      DATABASE_URL: options.databaseUrl,
      TEMPORAL_ADDRESS: options.temporalAddress,
      EMBEDDED_PG_PORT: String(await freePort()),
      TEMPORAL_DEV_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      // A queue of our own: no other worker on a shared Temporal runs our scenario cases (or we theirs).
      TEMPORAL_TASK_QUEUE: `lotse-scenario-${randomUUID()}`,
      SESSION_SECRET: randomBytes(32).toString('base64url'),
      SEED_DEMO: 'false',
    });
    const system = await startSystem(config, options.log ?? (() => {}));
    return {
      system,
      async stop() {
        await system.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
