import {
  and,
  asc,
  desc,
  eq,
  gte,
  ilike,
  inArray,
  isNotNull,
  isNull,
  lt,
  ne,
  notLike,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { projectionOf } from '../case/projection.js';
import { APPLICANT_GROUP } from '../model/process-model.js';
import {
  caseDeletions,
  caseEvents,
  caseMessages,
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

/** "Meine Vorgänge"'s status groups (engine/services/my-cases-query.ts). */
export type StatusGroup = 'open' | 'action' | 'closed';
/** Last change first, or newest start first. */
export type MyCasesSort = 'changed' | 'started';

/** A row's position in the order: its sort time (microseconds, as PostgreSQL stores it) and its id. */
export interface MyCasesCursor {
  /** `2026-12-08T09:15:02.123456Z` */
  at: string;
  id: string;
}

/** What the repository runs: the filters, and which side of a cursor in which order. */
export interface MyCasesPagePlan {
  status?: StatusGroup;
  service?: string;
  /** An ILIKE pattern over case number and subject (pattern characters of the text taken literally). */
  contains?: string;
  /** Started at or after this instant. */
  startedFrom?: Date;
  /** Started before this instant. */
  startedBefore?: Date;
  sort: MyCasesSort;
  /**
   * `older`: rows after `cursor` in the list's order (newest first); `newer`: rows before it, read nearest
   * first (ascending) and turned round. Without a cursor: the top of the list.
   */
  direction: 'older' | 'newer';
  cursor?: MyCasesCursor;
  /** One more than shown: whether there is a row beyond the page. */
  limit: number;
}

/** The company's open tasks of a case (applicant tasks, Rückfragen included). */
const openCompanyTaskCount = sql<number>`(select count(*) from ${tasks} where ${tasks.caseId} = ${cases.id}
  and ${tasks.status} = 'open' and ${APPLICANT_GROUP} = any(${tasks.candidateGroups}))::int`;
/** The agency's messages on a case that nobody of the company has read (ADR 0025). */
const unreadAgencyMessageCount = sql<number>`(select count(*) from ${caseMessages}
  where ${caseMessages.caseId} = ${cases.id} and ${caseMessages.side} = 'staff' and ${caseMessages.readAt} is null)::int`;

/** The filters and the keyset condition of a "Meine Vorgänge" page (engine/services/my-cases-query.ts). */
function myCasesWhere(
  companyId: string,
  plan: MyCasesPagePlan,
  sortColumn: typeof cases.updatedAt | typeof cases.createdAt,
): SQL | undefined {
  const { cursor } = plan;
  return and(
    eq(cases.companyId, companyId),
    plan.status === 'open' ? ne(cases.status, 'completed') : undefined,
    plan.status === 'closed' ? eq(cases.status, 'completed') : undefined,
    plan.status === 'action' ? sql`(${openCompanyTaskCount} > 0 or ${unreadAgencyMessageCount} > 0)` : undefined,
    plan.service ? eq(services.slug, plan.service) : undefined,
    plan.contains ? or(ilike(cases.number, plan.contains), ilike(cases.subject, plan.contains)) : undefined,
    plan.startedFrom ? gte(cases.createdAt, plan.startedFrom) : undefined,
    plan.startedBefore ? lt(cases.createdAt, plan.startedBefore) : undefined,
    // A row comparison on (sort time, id): the index (company_id, <sort time>, id) serves it in either direction.
    cursor
      ? plan.direction === 'older'
        ? sql`(${sortColumn}, ${cases.id}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`
        : sql`(${sortColumn}, ${cases.id}) > (${cursor.at}::timestamptz, ${cursor.id}::uuid)`
      : undefined,
  );
}

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
    /**
     * One page of the company's cases ("Meine Vorgänge") as the plan says: newest first when reading older rows,
     * nearest first (ascending) when reading newer ones. `cursorAt` is the sort time to the microsecond.
     */
    async companyCasesPage(companyId: string, plan: MyCasesPagePlan) {
      const sortColumn = plan.sort === 'started' ? cases.createdAt : cases.updatedAt;
      const order = plan.direction === 'older' ? desc : asc;
      return db
        .select({
          ...caseSummary,
          startedBy: users.name,
          openTasks: openCompanyTaskCount,
          unreadMessages: unreadAgencyMessageCount,
          cursorAt: sql<string>`to_char(${sortColumn} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
        })
        .from(cases)
        .innerJoin(serviceVersions, eq(serviceVersions.id, cases.serviceVersionId))
        .innerJoin(services, eq(services.id, serviceVersions.serviceId))
        .innerJoin(users, eq(users.id, cases.createdByUserId))
        .where(myCasesWhere(companyId, plan, sortColumn))
        .orderBy(order(sortColumn), order(cases.id))
        .limit(plan.limit);
    },
    /**
     * A message on the case is a change its company sees: "Meine Vorgänge" sorts by the last change. Never moves
     * the time back (a projection of the same moment may have written it).
     */
    async touch(caseId: string, at: Date) {
      await db
        .update(cases)
        .set({ updatedAt: sql`greatest(${cases.updatedAt}, ${at.toISOString()}::timestamptz)` })
        .where(eq(cases.id, caseId));
    },
    /** The company's open tasks across its cases, the earliest due first (no due date last). */
    async openCompanyTasks(companyId: string) {
      return db
        .select({
          id: tasks.id,
          name: tasks.name,
          elementId: tasks.elementId,
          dueDate: tasks.dueDate,
          informationRequest: tasks.informationRequest,
          caseId: cases.id,
          caseNumber: cases.number,
          caseSubject: cases.subject,
        })
        .from(tasks)
        .innerJoin(cases, eq(cases.id, tasks.caseId))
        .where(
          and(
            eq(cases.companyId, companyId),
            eq(tasks.status, 'open'),
            sql`${APPLICANT_GROUP} = any(${tasks.candidateGroups})`,
          ),
        )
        .orderBy(sql`${tasks.dueDate} asc nulls last`, asc(tasks.createdAt));
    },
    /** The company's services that it has cases of: the service filter's choices. */
    async servicesOfCompanyCases(companyId: string) {
      return db
        .selectDistinct({ slug: services.slug, titleDe: services.titleDe, titleEn: services.titleEn })
        .from(cases)
        .innerJoin(serviceVersions, eq(serviceVersions.id, cases.serviceVersionId))
        .innerJoin(services, eq(services.id, serviceVersions.serviceId))
        .where(eq(cases.companyId, companyId))
        .orderBy(asc(services.titleDe));
    },
    /** Names of the company's users by id (the timeline names the member who acted). */
    async userNames(ids: string[]) {
      if (ids.length === 0) return [];
      return db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids));
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
