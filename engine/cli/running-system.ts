/**
 * The running system's PostgreSQL and Temporal as a CLI command reaches them (DATABASE_URL / TEMPORAL_ADDRESS, else
 * the embedded PostgreSQL and Temporal dev server of `npm start` on their configured ports).
 */
import type { Client } from '@temporalio/client';
import { loadConfig } from '../config.js';
import type { Database } from '../db/database.js';

/** Runs `work` with both connections and closes them afterwards, also when it throws. */
export async function withRunningSystem<T>(work: (db: Database, temporal: Client) => Promise<T>): Promise<T> {
  // Loaded here, not at the top: `lotse validate` should not pay for Temporal and the database.
  const [{ connectDatabase }, { embeddedDatabaseUrl }, { connectClient }] = await Promise.all([
    import('../db/database.js'),
    import('../infra/embedded-postgres.js'),
    import('../temporal/connection.js'),
  ]);
  const config = loadConfig();
  const database = connectDatabase(config.DATABASE_URL ?? embeddedDatabaseUrl(config.EMBEDDED_PG_PORT), 2);
  const temporal = await connectClient({
    address: config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.TEMPORAL_DEV_PORT}`,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    apiKey: config.TEMPORAL_API_KEY,
    tls: config.TEMPORAL_TLS,
  });
  try {
    return await work(database.db, temporal.client);
  } finally {
    await temporal.close();
    await database.close();
  }
}
