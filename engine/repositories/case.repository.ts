import { and, asc, desc, eq, inArray, isNotNull, isNull, lt, notLike, or, sql } from 'drizzle-orm';
import type { projectionOf } from '../case/projection.js';
import {
  caseDeletions,
  caseEvents,
  caseNumberCounters,
  cases,
  companies,
  services,
  serviceVersions,
  staff,
  tasks,
  users,
} from '../db/schema.js';
import type { Executor } from './executor.js';

export type CaseRow = typeof cases.$inferSelect;
export type TaskRow = typeof tasks.$inferSelect;

/** A finished case past its retention, with what its deletion record keeps. */
export interface ExpiredCase {
  id: string;
  number: string;
  serviceSlug: string;
  serviceVersion: number;
  createdAt: Date;
  completedAt: Date;
  retentionDays: number;
}
/** What one interpreter step changed (engine/case/projection.ts builds it; the activity contract's `CaseProjection`). */
export type CaseStep = ReturnType<typeof projectionOf>;

const caseSummary = {
  id: cases.id,
  number: cases.number,
  subject: cases.subject,
  status: cases.status,
  publicStatus: cases.publicStatus,
  createdAt: cases.createdAt,
  updatedAt: cases.updatedAt,
  serviceTitleDe: services.titleDe,
  serviceTitleEn: services.titleEn,
  /** The service's public status labels (service.json `statusLabels`, engine/case/public-status.ts). */
  statusLabels: sql<unknown>`${services.metadata} -> 'statusLabels'`,
};

export function createCaseRepository(db: Executor) {
  return {
    /**
     * Inserts the case unless one with this submission token exists; either way returns the
     * case for that token. The number is drawn from a per-year counter in the same transaction.
     */
    async insertOnce(input: {
      id: string;
      year: number;
      serviceVersionId: string;
      companyId: string;
      userId: string;
      submissionToken: string;
      subject: string | null;
      publicStatus: string | null;
      variables: Record<string, unknown>;
    }): Promise<{ row: CaseRow; created: boolean }> {
      return db.transaction(async (tx) => {
        const [existing] = await tx.select().from(cases).where(eq(cases.submissionToken, input.submissionToken));
        if (existing) return { row: existing, created: false };
        const [counter] = await tx
          .insert(caseNumberCounters)
          .values({ year: input.year, last: 1 })
          .onConflictDoUpdate({ target: caseNumberCounters.year, set: { last: sql`${caseNumberCounters.last} + 1` } })
          .returning();
        if (!counter) throw new Error('case number counter missing');
        const [row] = await tx
          .insert(cases)
          .values({
            id: input.id,
            number: formatCaseNumber(input.year, counter.last),
            serviceVersionId: input.serviceVersionId,
            companyId: input.companyId,
            createdByUserId: input.userId,
            submissionToken: input.submissionToken,
            subject: input.subject,
            publicStatus: input.publicStatus,
            variables: input.variables,
          })
          .onConflictDoNothing({ target: cases.submissionToken })
          .returning();
        if (row) return { row, created: true };
        // A concurrent submit with the same token won the race: its case is the case.
        const [winner] = await tx.select().from(cases).where(eq(cases.submissionToken, input.submissionToken));
        if (!winner) throw new Error('case vanished');
        return { row: winner, created: false };
      });
    },
    /**
     * Moves the case row to the step, unless it is at that step or further already (a retried or replayed
     * projection: `where seq < new seq`). Returns whether it moved; only then may the step's other writes follow.
     */
    async advance(step: CaseStep, at: Date): Promise<boolean> {
      const moved = await db
        .update(cases)
        .set({
          seq: step.seq,
          status: step.status,
          publicStatus: step.publicStatus ?? null,
          activeElementIds: step.activeElementIds,
          variables: step.variables,
          updatedAt: at,
          completedAt: step.status === 'completed' ? at : null,
          // A migration (engine/case/migration.ts) moves the case to another version of its service.
          ...(step.migration && { serviceVersionId: step.migration.serviceVersionId }),
        })
        .where(and(eq(cases.id, step.caseId), lt(cases.seq, step.seq)))
        .returning({ id: cases.id });
      return moved.length > 0;
    },
    /** The step's task changes: opened tasks (keyed by case and token), closed ones, none left open by an ended case. */
    async writeTasks(step: CaseStep, at: Date) {
      if (step.openedTasks.length > 0) {
        await db
          .insert(tasks)
          .values(
            step.openedTasks.map((task) => ({
              caseId: step.caseId,
              tokenId: task.tokenId,
              elementId: task.elementId,
              name: task.name ?? null,
              formId: task.formId ?? null,
              candidateGroups: task.candidateGroups,
              candidateUsers: task.candidateUsers,
              assignee: task.assignee ?? null,
              dueDate: task.dueDate ? new Date(task.dueDate) : null,
              followUpDate: task.followUpDate ? new Date(task.followUpDate) : null,
              priority: task.priority ?? 50,
              informationRequest: task.informationRequest ?? null,
              createdAt: at,
            })),
          )
          .onConflictDoNothing();
      }
      for (const task of step.closedTasks) {
        await db
          .update(tasks)
          .set({ status: task.outcome, completedAt: at, completedBy: task.actor })
          .where(and(eq(tasks.caseId, step.caseId), eq(tasks.tokenId, task.tokenId), eq(tasks.status, 'open')));
      }
      // Rückfrage (engine/case/information-request.ts): the staff task waits, its due date paused; when the
      // Rückfrage ends the due date moves by the time it waited. Runs once per step (the case row's seq guards it).
      for (const tokenId of step.waitingTasks ?? []) {
        await db
          .update(tasks)
          .set({ waitingSince: at })
          .where(and(eq(tasks.caseId, step.caseId), eq(tasks.tokenId, tokenId)));
      }
      for (const tokenId of step.resumedTasks ?? []) {
        await db
          .update(tasks)
          .set({
            dueDate: sql`${tasks.dueDate} + (${at.toISOString()}::timestamptz - ${tasks.waitingSince})`,
            waitingSince: null,
          })
          .where(and(eq(tasks.caseId, step.caseId), eq(tasks.tokenId, tokenId)));
      }
      // A migration: an open task follows its element into the new version (its id, name and form).
      for (const task of step.migration?.tasks ?? []) {
        await db
          .update(tasks)
          .set({ elementId: task.elementId, name: task.name ?? null, formId: task.formId ?? null })
          .where(and(eq(tasks.caseId, step.caseId), eq(tasks.tokenId, task.tokenId), eq(tasks.status, 'open')));
      }
      if (step.status === 'completed') {
        // A case that ends leaves no open task behind (e.g. a terminate end event).
        await db
          .update(tasks)
          .set({ status: 'cancelled', completedAt: at })
          .where(and(eq(tasks.caseId, step.caseId), eq(tasks.status, 'open')));
      }
    },
    /** Appends the step's audit entries to the trail (keyed by case, seq and position: a repeat adds nothing). */
    async appendEvents(step: CaseStep) {
      if (step.audit.length === 0) return;
      await db
        .insert(caseEvents)
        .values(
          step.audit.map((entry, position) => ({
            caseId: step.caseId,
            seq: step.seq,
            position,
            type: entry.type,
            elementId: entry.elementId ?? null,
            elementName: entry.elementName ?? null,
            publicStatus: entry.status ?? null,
            actor: entry.actor,
            at: new Date(entry.at),
            detail: entry.detail ?? null,
          })),
        )
        .onConflictDoNothing();
    },
    /** Cases that no workflow step has projected yet, created before `before`. */
    async unstarted(before: Date) {
      return (
        db
          .select()
          .from(cases)
          // Scenario cases (`lotse test`) must never be restarted as real cases with real activities.
          .where(and(eq(cases.seq, 0), lt(cases.createdAt, before), notLike(cases.submissionToken, 'scenario:%')))
      );
    },
    /** The case a submission token made, if any. */
    async findBySubmissionToken(submissionToken: string) {
      const [row] = await db.select().from(cases).where(eq(cases.submissionToken, submissionToken));
      return row;
    },
    async findById(caseId: string) {
      const [row] = await db.select().from(cases).where(eq(cases.id, caseId));
      return row;
    },
    /**
     * Finished cases past their service's retention (`services.retention_days`, else `defaultDays`) at
     * `now`, oldest first, at most `limit`.
     */
    async pastRetention(now: Date, defaultDays: number, limit: number): Promise<ExpiredCase[]> {
      const retentionDays = sql<number>`coalesce(${services.retentionDays}, ${defaultDays})::int`;
      const rows = await db
        .select({
          id: cases.id,
          number: cases.number,
          serviceSlug: services.slug,
          serviceVersion: serviceVersions.version,
          createdAt: cases.createdAt,
          completedAt: cases.completedAt,
          retentionDays,
        })
        .from(cases)
        .innerJoin(serviceVersions, eq(serviceVersions.id, cases.serviceVersionId))
        .innerJoin(services, eq(services.id, serviceVersions.serviceId))
        .where(
          and(
            eq(cases.status, 'completed'),
            sql`${cases.completedAt} + make_interval(days => ${retentionDays}) < ${now}`,
          ),
        )
        .orderBy(asc(cases.completedAt))
        .limit(limit);
      return rows.flatMap((row) => (row.completedAt ? [{ ...row, completedAt: row.completedAt }] : []));
    },
    /**
     * Retention: the case row, its tasks and its trail go; a deletion record without personal data stays
     * (number, service, dates). The other owners delete their rows of the case first (case-erasure.repository.ts).
     */
    async deleteWithRecord(expired: ExpiredCase, at: Date) {
      await db.delete(tasks).where(eq(tasks.caseId, expired.id));
      await db.delete(caseEvents).where(eq(caseEvents.caseId, expired.id));
      await db.delete(cases).where(eq(cases.id, expired.id));
      await db
        .insert(caseDeletions)
        .values({
          caseNumber: expired.number,
          serviceSlug: expired.serviceSlug,
          serviceVersion: expired.serviceVersion,
          createdAt: expired.createdAt,
          completedAt: expired.completedAt,
          retentionDays: expired.retentionDays,
          deletedAt: at,
        })
        .onConflictDoNothing();
    },
    /** The deletion record of a case number, if the case was deleted after its retention. */
    async deletionOf(caseNumber: string) {
      const [row] = await db.select().from(caseDeletions).where(eq(caseDeletions.caseNumber, caseNumber));
      return row;
    },
    async listForCompany(companyId: string) {
      return db
        .select(caseSummary)
        .from(cases)
        .innerJoin(serviceVersions, eq(serviceVersions.id, cases.serviceVersionId))
        .innerJoin(services, eq(services.id, serviceVersions.serviceId))
        .where(eq(cases.companyId, companyId))
        .orderBy(desc(cases.createdAt));
    },
    async detail(caseId: string) {
      const [row] = await db
        .select({
          ...caseSummary,
          companyId: cases.companyId,
          companyName: companies.name,
          variables: cases.variables,
          activeElementIds: cases.activeElementIds,
          serviceVersionId: cases.serviceVersionId,
        })
        .from(cases)
        .innerJoin(serviceVersions, eq(serviceVersions.id, cases.serviceVersionId))
        .innerJoin(services, eq(services.id, serviceVersions.serviceId))
        .innerJoin(companies, eq(companies.id, cases.companyId))
        .where(eq(cases.id, caseId));
      return row;
    },
    async events(caseId: string) {
      return db
        .select()
        .from(caseEvents)
        .where(eq(caseEvents.caseId, caseId))
        .orderBy(asc(caseEvents.seq), asc(caseEvents.position));
    },
    async tasksOfCase(caseId: string) {
      return db.select().from(tasks).where(eq(tasks.caseId, caseId)).orderBy(asc(tasks.createdAt));
    },
    async findTask(taskId: string) {
      const [row] = await db.select().from(tasks).where(eq(tasks.id, taskId));
      return row;
    },
    /**
     * Claims an open task for `assignee` in one conditional UPDATE: only while nobody has it (or one of
     * `replaceable` has it — an away colleague the claimant stands in for). Of two parallel claims the
     * database lets exactly one through; undefined for the other (or when the task is no longer open).
     */
    async claimTask(taskId: string, assignee: string, replaceable: string[] = []): Promise<TaskRow | undefined> {
      const [row] = await db
        .update(tasks)
        .set({ assignee })
        .where(
          and(
            eq(tasks.id, taskId),
            eq(tasks.status, 'open'),
            or(isNull(tasks.assignee), inArray(tasks.assignee, [assignee, ...replaceable])),
          ),
        )
        .returning();
      return row;
    },
    /** Releases an open task held by `assignee` (any holder when undefined: a team lead); undefined if it was not. */
    async unclaimTask(taskId: string, assignee: string | undefined): Promise<TaskRow | undefined> {
      const [row] = await db
        .update(tasks)
        .set({ assignee: null })
        .where(
          and(
            eq(tasks.id, taskId),
            eq(tasks.status, 'open'),
            assignee === undefined ? isNotNull(tasks.assignee) : eq(tasks.assignee, assignee),
          ),
        )
        .returning();
      return row;
    },
    /** Gives an open task to `assignee` whoever held it (a team lead's assignment); undefined if it is not open. */
    async assignTask(taskId: string, assignee: string): Promise<TaskRow | undefined> {
      const [row] = await db
        .update(tasks)
        .set({ assignee })
        .where(and(eq(tasks.id, taskId), eq(tasks.status, 'open')))
        .returning();
      return row;
    },
    /** The name of a person as the audit trail labels them (`staff:<id>`, `applicant:<id>`); undefined for the system. */
    async actorName(label: string): Promise<string | undefined> {
      const [kind, id] = label.split(':');
      if (!id || !/^[0-9a-f-]{36}$/.test(id)) return undefined;
      const table = kind === 'staff' ? staff : kind === 'applicant' ? users : undefined;
      if (!table) return undefined;
      const [row] = await db.select({ name: table.name }).from(table).where(eq(table.id, id));
      return row?.name;
    },
  };
}

export function formatCaseNumber(year: number, counter: number): string {
  return `WF-${year}-${String(counter).padStart(6, '0')}`;
}

export type CaseRepository = ReturnType<typeof createCaseRepository>;
