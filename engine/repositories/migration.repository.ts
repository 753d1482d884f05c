import { and, asc, count, eq, inArray, ne } from 'drizzle-orm';
import { cases, services, serviceVersions } from '../db/schema.js';
import type { Executor } from './executor.js';

/**
 * What the migration of running cases reads (engine/services/migration.service.ts): a service's versions with
 * their running cases. Reads only; a migrated case's version is written by its projection step
 * (case.repository.ts `advance`).
 */
export function createMigrationRepository(db: Executor) {
  return {
    /** The service and its versions, oldest first, each with its number of running (not completed) cases. */
    async versionsOf(slug: string) {
      const [service] = await db
        .select({ id: services.id, slug: services.slug, titleDe: services.titleDe, titleEn: services.titleEn })
        .from(services)
        .where(eq(services.slug, slug));
      if (!service) return undefined;
      const versions = await db
        .select({ id: serviceVersions.id, version: serviceVersions.version, publishedAt: serviceVersions.publishedAt })
        .from(serviceVersions)
        .where(eq(serviceVersions.serviceId, service.id))
        .orderBy(asc(serviceVersions.version));
      if (versions.length === 0) return { service, versions: [] };
      const running = await db
        .select({ versionId: cases.serviceVersionId, running: count() })
        .from(cases)
        .where(
          and(
            inArray(
              cases.serviceVersionId,
              versions.map((version) => version.id),
            ),
            ne(cases.status, 'completed'),
          ),
        )
        .groupBy(cases.serviceVersionId);
      const runningOf = new Map(running.map((row) => [row.versionId, row.running]));
      return {
        service,
        versions: versions.map((version) => ({ ...version, runningCases: runningOf.get(version.id) ?? 0 })),
      };
    },
    /** The running cases of a version, oldest first (at most `limit`). */
    async runningCases(versionId: string, limit: number) {
      return db
        .select({ id: cases.id, number: cases.number, activeElementIds: cases.activeElementIds, status: cases.status })
        .from(cases)
        .where(and(eq(cases.serviceVersionId, versionId), ne(cases.status, 'completed')))
        .orderBy(asc(cases.createdAt), asc(cases.number))
        .limit(limit);
    },
  };
}

export type MigrationRepository = ReturnType<typeof createMigrationRepository>;
