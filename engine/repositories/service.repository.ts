import { desc, eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { services, serviceVersions } from '../db/schema.js';

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
    /**
     * Stores the service and, if its content is new, the next immutable version. Serialised per
     * service by a row lock so two publishers cannot both take version N.
     */
    async publish(
      meta: Pick<ServiceRow, 'slug' | 'titleDe' | 'titleEn' | 'summaryDe' | 'summaryEn'> & {
        listed?: boolean;
        retentionDays?: number | null;
      },
      version: Pick<ServiceVersionRow, 'contentHash' | 'bpmnXml' | 'forms' | 'model'> & {
        dmn?: Record<string, string>;
        start?: ServiceVersionRow['start'];
      },
    ): Promise<{ version: ServiceVersionRow; created: boolean }> {
      return db.transaction(async (tx) => {
        const [service] = await tx
          .insert(services)
          .values(meta)
          .onConflictDoUpdate({
            target: services.slug,
            set: {
              titleDe: meta.titleDe,
              titleEn: meta.titleEn,
              summaryDe: meta.summaryDe,
              summaryEn: meta.summaryEn,
              listed: meta.listed ?? true,
              // The latest service.json's policy applies to every finished case of the service.
              retentionDays: meta.retentionDays ?? null,
            },
          })
          .returning();
        if (!service) throw new Error(`Could not store service ${meta.slug}`);
        await tx.select().from(services).where(eq(services.id, service.id)).for('update');
        const existing = await tx.select().from(serviceVersions).where(eq(serviceVersions.serviceId, service.id));
        const same = existing.find((row) => row.contentHash === version.contentHash);
        if (same) return { version: same, created: false };
        const next = Math.max(0, ...existing.map((row) => row.version)) + 1;
        const [stored] = await tx
          .insert(serviceVersions)
          .values({ ...version, serviceId: service.id, version: next })
          .returning();
        if (!stored) throw new Error(`Could not store version ${next} of ${meta.slug}`);
        return { version: stored, created: true };
      });
    },
  };
}

export type ServiceRepository = ReturnType<typeof createServiceRepository>;
