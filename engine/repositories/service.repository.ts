import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { cases, services, serviceVersions } from '../db/schema.js';

export type ServiceRow = typeof services.$inferSelect;
export type ServiceVersionRow = typeof serviceVersions.$inferSelect;

export function createServiceRepository(db: Database) {
  return {
    /** Services shown in the portal's catalog. */
    listed: () => db.select().from(services).where(eq(services.listed, true)).orderBy(services.titleDe),
    async findBySlug(slug: string) {
      const [row] = await db.select().from(services).where(eq(services.slug, slug));
      return row;
    },
    async findById(id: string) {
      const [row] = await db.select().from(services).where(eq(services.id, id));
      return row;
    },
    async latestVersion(serviceId: string) {
      const [row] = await db
        .select()
        .from(serviceVersions)
        .where(eq(serviceVersions.serviceId, serviceId))
        .orderBy(desc(serviceVersions.version))
        .limit(1);
      return row;
    },
    async findVersion(versionId: string) {
      const [row] = await db.select().from(serviceVersions).where(eq(serviceVersions.id, versionId));
      return row;
    },
    /** Every service, listed or not, by slug. */
    all: () => db.select().from(services).orderBy(services.slug),
    /** A service's versions, newest first, with the number of its cases still running. */
    async versionsWithRunningCases(serviceId: string) {
      const running = db
        .select({ versionId: cases.serviceVersionId, running: count().as('running') })
        .from(cases)
        .where(sql`${cases.status} <> 'completed'`)
        .groupBy(cases.serviceVersionId)
        .as('running');
      return db
        .select({
          id: serviceVersions.id,
          version: serviceVersions.version,
          contentHash: serviceVersions.contentHash,
          publishedAt: serviceVersions.publishedAt,
          publishedBy: serviceVersions.publishedBy,
          runningCases: sql<number>`coalesce(${running.running}, 0)::int`,
        })
        .from(serviceVersions)
        .leftJoin(running, eq(running.versionId, serviceVersions.id))
        .where(eq(serviceVersions.serviceId, serviceId))
        .orderBy(desc(serviceVersions.version));
    },
    async versionByNumber(serviceId: string, version: number) {
      const [row] = await db
        .select()
        .from(serviceVersions)
        .where(and(eq(serviceVersions.serviceId, serviceId), eq(serviceVersions.version, version)));
      return row;
    },
    /** Pauses (message given) or resumes (null) a service; false: no such service. */
    async setPaused(slug: string, message: { de: string; en: string } | null): Promise<boolean> {
      const updated = await db
        .update(services)
        .set(
          message
            ? { pausedAt: sql`now()`, pauseMessageDe: message.de, pauseMessageEn: message.en }
            : { pausedAt: null, pauseMessageDe: null, pauseMessageEn: null },
        )
        .where(eq(services.slug, slug))
        .returning({ id: services.id });
      return updated.length > 0;
    },
    /**
     * Stores the service and, if its content is new, the next immutable version. Serialised per
     * service by a row lock so two publishers cannot both take version N.
     */
    async publish(
      meta: Pick<ServiceRow, 'slug' | 'titleDe' | 'titleEn' | 'summaryDe' | 'summaryEn'> & {
        listed?: boolean;
        retentionDays?: number | null;
        metadata?: Record<string, unknown> | null;
      },
      version: Pick<ServiceVersionRow, 'contentHash' | 'bpmnXml' | 'forms' | 'model'> & {
        dmn?: Record<string, string>;
        start?: ServiceVersionRow['start'];
        files?: Record<string, string> | null;
        publishedBy?: string | null;
      },
    ): Promise<{ version: ServiceVersionRow; created: boolean }> {
      return db.transaction(async (tx) => {
        await tx.insert(services).values(meta).onConflictDoNothing({ target: services.slug });
        const [service] = await tx.select().from(services).where(eq(services.slug, meta.slug)).for('update');
        if (!service) throw new Error(`Could not store service ${meta.slug}`);
        const existing = await tx.select().from(serviceVersions).where(eq(serviceVersions.serviceId, service.id));
        const latest = Math.max(0, ...existing.map((row) => row.version));
        const same = existing.find((row) => row.contentHash === version.contentHash);
        // The service row describes its latest version: a source equal to an older version (the catalog folder
        // at start after the designer published a newer one) changes neither the row nor the versions.
        if (!same || same.version === latest) {
          await tx
            .update(services)
            .set({
              titleDe: meta.titleDe,
              titleEn: meta.titleEn,
              summaryDe: meta.summaryDe,
              summaryEn: meta.summaryEn,
              listed: meta.listed ?? true,
              // The latest service.json's policy applies to every finished case of the service.
              retentionDays: meta.retentionDays ?? null,
              ...(meta.metadata !== undefined && { metadata: meta.metadata }),
            })
            .where(eq(services.id, service.id));
        }
        if (same) {
          // A version from before versions kept their files learns them from a source that compiles the same.
          if (same.files === null && version.files) {
            const [withFiles] = await tx
              .update(serviceVersions)
              .set({ files: version.files })
              .where(eq(serviceVersions.id, same.id))
              .returning();
            return { version: withFiles ?? same, created: false };
          }
          return { version: same, created: false };
        }
        const [stored] = await tx
          .insert(serviceVersions)
          .values({ ...version, serviceId: service.id, version: latest + 1 })
          .returning();
        if (!stored) throw new Error(`Could not store version ${latest + 1} of ${meta.slug}`);
        return { version: stored, created: true };
      });
    },
  };
}

export type ServiceRepository = ReturnType<typeof createServiceRepository>;
