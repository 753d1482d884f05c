import { and, asc, eq, inArray, or } from 'drizzle-orm';
import { groups as staffGroupNames, savedFilters, staff } from '../db/schema.js';
import type { Executor } from './executor.js';

export type SavedFilter = typeof savedFilters.$inferSelect;

/** Inbox filters a caseworker saved, and those colleagues shared with one of their groups. */
export function createSavedFilterRepository(db: Executor) {
  return {
    async save(filter: {
      staffId: string;
      name: string;
      query: string;
      sharedWithGroupId?: string;
    }): Promise<SavedFilter> {
      const [row] = await db.insert(savedFilters).values(filter).returning();
      if (!row) throw new Error('the filter was not written');
      return row;
    },
    /** The member's own filters and the ones shared with any of their groups, by name, with author and group names. */
    visibleTo(
      staffId: string,
      groups: string[],
    ): Promise<(SavedFilter & { authorName: string | null; groupName: string | null })[]> {
      const shared = groups.length > 0 ? inArray(savedFilters.sharedWithGroupId, groups) : undefined;
      return db
        .select({
          id: savedFilters.id,
          staffId: savedFilters.staffId,
          name: savedFilters.name,
          query: savedFilters.query,
          sharedWithGroupId: savedFilters.sharedWithGroupId,
          createdAt: savedFilters.createdAt,
          authorName: staff.name,
          groupName: staffGroupNames.name,
        })
        .from(savedFilters)
        .leftJoin(staff, eq(staff.id, savedFilters.staffId))
        .leftJoin(staffGroupNames, eq(staffGroupNames.id, savedFilters.sharedWithGroupId))
        .where(shared ? or(eq(savedFilters.staffId, staffId), shared) : eq(savedFilters.staffId, staffId))
        .orderBy(asc(savedFilters.name), asc(savedFilters.createdAt));
    },
    /** Only its author deletes a filter; answers whether one was deleted. */
    async remove(id: string, staffId: string): Promise<boolean> {
      const deleted = await db
        .delete(savedFilters)
        .where(and(eq(savedFilters.id, id), eq(savedFilters.staffId, staffId)))
        .returning({ id: savedFilters.id });
      return deleted.length > 0;
    },
  };
}

export type SavedFilterRepository = ReturnType<typeof createSavedFilterRepository>;
