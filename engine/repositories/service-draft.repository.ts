import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { serviceDrafts } from '../db/schema.js';

export type ServiceDraftRow = typeof serviceDrafts.$inferSelect;

/** The designer's drafts: one working copy (a map of files) per service slug. The only writer of `service_drafts`. */
export function createServiceDraftRepository(db: Database) {
  return {
    async findBySlug(slug: string): Promise<ServiceDraftRow | undefined> {
      const [row] = await db.select().from(serviceDrafts).where(eq(serviceDrafts.slug, slug));
      return row;
    },
    list: (): Promise<ServiceDraftRow[]> => db.select().from(serviceDrafts).orderBy(serviceDrafts.slug),
    /** Creates the draft unless the slug has one; answers the draft that is then stored. */
    async createIfAbsent(draft: {
      slug: string;
      files: Record<string, string>;
      basedOnVersionId: string | null;
      /** Null: the command line (`lotse import`), no staff member. */
      staffId: string | null;
    }): Promise<{ draft: ServiceDraftRow; created: boolean }> {
      const [inserted] = await db
        .insert(serviceDrafts)
        .values({
          slug: draft.slug,
          files: draft.files,
          basedOnVersionId: draft.basedOnVersionId,
          createdBy: draft.staffId,
          updatedBy: draft.staffId,
        })
        .onConflictDoNothing({ target: serviceDrafts.slug })
        .returning();
      if (inserted) return { draft: inserted, created: true };
      const existing = await this.findBySlug(draft.slug);
      if (!existing) throw new Error(`Draft ${draft.slug} vanished while it was created`);
      return { draft: existing, created: false };
    },
    /** Replaces the draft's files (import into an existing draft keeps its base version unless given). */
    async replaceFiles(
      slug: string,
      files: Record<string, string>,
      staffId: string | null,
      basedOnVersionId?: string | null,
    ): Promise<ServiceDraftRow | undefined> {
      const [row] = await db
        .update(serviceDrafts)
        .set({
          files,
          updatedBy: staffId,
          updatedAt: sql`now()`,
          ...(basedOnVersionId !== undefined && { basedOnVersionId }),
        })
        .where(eq(serviceDrafts.slug, slug))
        .returning();
      return row;
    },
    /**
     * Sets one file (or removes it with `content` undefined) in one statement, so two editors saving different
     * files of the same draft do not overwrite each other's file.
     */
    async setFile(
      slug: string,
      name: string,
      content: string | undefined,
      staffId: string,
    ): Promise<ServiceDraftRow | undefined> {
      const files =
        content === undefined
          ? sql`${serviceDrafts.files} - ${name}::text`
          : sql`${serviceDrafts.files} || jsonb_build_object(${name}::text, ${content}::text)`;
      const [row] = await db
        .update(serviceDrafts)
        .set({ files, updatedBy: staffId, updatedAt: sql`now()` })
        .where(eq(serviceDrafts.slug, slug))
        .returning();
      return row;
    },
    async remove(slug: string): Promise<boolean> {
      const removed = await db.delete(serviceDrafts).where(eq(serviceDrafts.slug, slug)).returning();
      return removed.length > 0;
    },
  };
}

export type ServiceDraftRepository = ReturnType<typeof createServiceDraftRepository>;
