import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { cases, incidents } from '../db/schema.js';

export function createIncidentRepository(db: Database) {
  return {
    /** Open incidents, oldest first, with the case number. */
    open() {
      return db
        .select({
          caseId: incidents.caseId,
          incidentId: incidents.incidentId,
          elementId: incidents.elementId,
          message: incidents.message,
          createdAt: incidents.createdAt,
          caseNumber: cases.number,
        })
        .from(incidents)
        .innerJoin(cases, eq(cases.id, incidents.caseId))
        .where(isNull(incidents.resolvedAt))
        .orderBy(asc(incidents.createdAt));
    },
    async find(caseId: string, incidentId: string) {
      const [row] = await db
        .select()
        .from(incidents)
        .where(and(eq(incidents.caseId, caseId), eq(incidents.incidentId, incidentId)));
      return row;
    },
    ofCase: (caseId: string) =>
      db.select().from(incidents).where(eq(incidents.caseId, caseId)).orderBy(asc(incidents.createdAt)),
  };
}

export type IncidentRepository = ReturnType<typeof createIncidentRepository>;
