import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { sites } from '../db/schema.js';

export function createSiteRepository(db: Database) {
  return {
    active: () => db.select().from(sites).where(eq(sites.active, true)),
  };
}

export type SiteRepository = ReturnType<typeof createSiteRepository>;
