import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { sites } from '../db/schema.js';

export type NewSite = typeof sites.$inferInsert;

export function createSiteRepository(db: Database) {
  return {
    active: () => db.select().from(sites).where(eq(sites.active, true)),
    /** Adds the sites whose id is new; sites already there keep their data (staff may have edited them). */
    async insertMissing(rows: NewSite[]) {
      await db.insert(sites).values(rows).onConflictDoNothing();
    },
  };
}

export type SiteRepository = ReturnType<typeof createSiteRepository>;
