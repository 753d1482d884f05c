import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../engine/infra/embedded-postgres.js';
import { resolveTemporalCli } from '../engine/infra/temporal-cli.js';
import { startTemporalDevServer } from '../engine/infra/temporal-dev-server.js';
import { PROJECT_ROOT } from '../engine/main/system.js';
import { requireForLane } from './prerequisite.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    temporalAddress: string;
  }
}

/**
 * One real PostgreSQL and one real Temporal dev server per test run, on their own ports and in a
 * temporary folder; every test file builds its own Lotse system against them.
 */
export default async function setup(project: TestProject) {
  const cli = requireForLane(`${project.name} lane`, () => resolveTemporalCli(PROJECT_ROOT, process.env.TEMPORAL_CLI));
  const dir = await mkdtemp(path.join(tmpdir(), 'lotse-test-'));
  // mkdtemp makes it 0700; PostgreSQL runs as its own user when we are root and must get through.
  await chmod(dir, 0o755);
  const pgPort = 15_400 + Math.floor(Math.random() * 500);
  const temporalPort = 17_400 + Math.floor(Math.random() * 500);
  const postgres = await startEmbeddedPostgres(path.join(dir, 'pg'), pgPort);
  const temporal = await startTemporalDevServer({
    cli,
    dbFile: path.join(dir, 'temporal.db'),
    port: temporalPort,
    uiPort: temporalPort + 1000,
    namespace: 'default',
  });
  project.provide('databaseUrl', postgres.url);
  project.provide('temporalAddress', temporal.address);
  return async () => {
    await temporal.stop();
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
