import { and, eq, gt, lte, notLike, sql } from 'drizzle-orm';
import { cases, companies, services, serviceVersions, tasks } from '../db/schema.js';
import { APPLICANT_GROUP } from '../model/process-model.js';
import type { Executor } from './executor.js';

/**
 * What the company notifications read (issue 11, ADR 0030): the case a mail is about and the company tasks whose
 * deadline comes near. Reads only; the tables belong to case.repository.ts.
 */
export function createNotificationRepository(db: Executor) {
  return {
    /** The case as its notifications name it; `trial`: a scenario, test-run or Probelauf case, which mails nobody. */
    async caseOf(caseId: string) {
      const [row] = await db
        .select({
          id: cases.id,
          number: cases.number,
          subject: cases.subject,
          companyId: cases.companyId,
          companyName: companies.name,
          createdAt: cases.createdAt,
          serviceTitleDe: services.titleDe,
          serviceTitleEn: services.titleEn,
          // lotse test, the designer's test-run and Probelauf mark their cases by the submission token (ADR 0021).
          trial: sql<boolean>`${cases.submissionToken} like 'scenario:%'`,
        })
        .from(cases)
        .innerJoin(serviceVersions, eq(serviceVersions.id, cases.serviceVersionId))
        .innerJoin(services, eq(services.id, serviceVersions.serviceId))
        .innerJoin(companies, eq(companies.id, cases.companyId))
        .where(eq(cases.id, caseId));
      return row;
    },
    /** Open company tasks due after `from` and by `until`, of real cases. */
    companyTasksDue: (from: Date, until: Date) =>
      db
        .select({ id: tasks.id, caseId: tasks.caseId, name: tasks.name, dueDate: tasks.dueDate })
        .from(tasks)
        .innerJoin(cases, eq(cases.id, tasks.caseId))
        .where(
          and(
            eq(tasks.status, 'open'),
            sql`${APPLICANT_GROUP} = any(${tasks.candidateGroups})`,
            gt(tasks.dueDate, from),
            lte(tasks.dueDate, until),
            notLike(cases.submissionToken, 'scenario:%'),
          ),
        ),
  };
}

export type NotificationRepository = ReturnType<typeof createNotificationRepository>;
