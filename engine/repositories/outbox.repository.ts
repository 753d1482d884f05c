import { desc } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { outboxMails } from '../db/schema.js';

export function createOutboxRepository(db: Database) {
  return {
    latest: (limit = 100) => db.select().from(outboxMails).orderBy(desc(outboxMails.createdAt)).limit(limit),
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
