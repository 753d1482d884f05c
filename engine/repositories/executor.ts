import type { NodePgQueryResultHKT } from 'drizzle-orm/node-postgres';
import type { PgDatabase } from 'drizzle-orm/pg-core';
import type * as schema from '../db/schema.js';

/**
 * What a repository runs its queries on: the connection, or a transaction another repository opened. A
 * repository built on a transaction writes within it, so a step that spans several owners' tables
 * (engine/repositories/README.md) is still one transaction.
 */
export type Executor = PgDatabase<NodePgQueryResultHKT, typeof schema>;
