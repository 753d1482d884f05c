import { and, asc, eq, inArray, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import type { TaskAudience } from '../case/task-completion.js';
import {
  CASE_SEARCH_DOCUMENT,
  cases,
  companies,
  groups,
  services,
  serviceVersions,
  staff,
  staffGroups,
  tasks,
} from '../db/schema.js';
import { APPLICANT_GROUP } from '../model/process-model.js';
import type { Executor } from './executor.js';

/**
 * The caseworker inbox (`/staff/tasks`): reads only (it owns no table), over tasks, cases, companies, services
 * and staff. Every query starts from the task rule of `mayComplete` (engine/case/task-completion.ts) as SQL,
 * so no view lists a task the member could not complete. Claims and assignments are writes of the tasks'
 * owner (case.repository.ts).
 */

export type InboxView = 'mine' | 'groups' | 'all';
export type InboxSortKey = 'due' | 'followUp' | 'priority' | 'created';

/** Who looks, and what "today" is for out-of-office periods (YYYY-MM-DD, the agency's day). */
export interface InboxViewer {
  staffId: string;
  audience: TaskAudience;
  today: string;
}

/** The filters, already validated and resolved to values (engine/services/inbox-query.ts). */
export interface InboxCriteria {
  view: InboxView;
  serviceSlug?: string;
  /** ILIKE pattern over the task's name. */
  taskNameLike?: string;
  /** ILIKE pattern over the company's name. */
  companyLike?: string;
  due?: { from?: Date; before?: Date } | 'none';
  /** Whether the task waits for the company's answer to a Rückfrage. */
  waiting?: boolean;
  /** null: unassigned; otherwise assigned to one of these names. */
  assignees?: string[] | null;
  /** Free text: the case number as typed, a prefix tsquery over the case's search document, ILIKE over the company. */
  text?: { raw: string; tsQuery?: string; like: string };
}

export interface InboxPageRequest {
  sort: InboxSortKey;
  dir: 'asc' | 'desc';
  /** The last row of the previous page: (sort value, id). A null value is a row without that date. */
  after?: { value: string | number | null; id: string };
  limit: number;
}

/** Escapes nothing: `%`, `_` and `\` were escaped by the caller's pattern; ILIKE's default escape is `\`. */
const ilike = (column: SQL | typeof tasks.name, pattern: string) => sql`${column} ilike ${pattern}`;

/** Arrays as one `text[]` value: drizzle would spread a JS array into a parameter list. */
function textArray(values: string[]): SQL {
  return values.length === 0
    ? sql`array[]::text[]`
    : sql`array[${sql.join(
        values.map((value) => sql`${value}`),
        sql`, `,
      )}]::text[]`;
}

/**
 * The task is no scenario case's: `lotse test`, the designer's test-run and Probelauf (ADR 0021) start cases whose
 * submission token begins with `scenario:`; they are nobody's work.
 */
const notScenarioCaseSql = sql`not exists (select 1 from ${cases} sc
  where sc.id = ${tasks.caseId} and sc.submission_token like 'scenario:%')`;

/** Open staff tasks the audience may complete: the rule of `mayComplete` (engine/case/task-completion.ts) as SQL. */
function mayCompleteSql({ groups: memberGroups, names }: TaskAudience): SQL {
  return sql`(${tasks.status} = 'open'
    and not (${tasks.candidateGroups} @> array[${APPLICANT_GROUP}]::text[])
    and (${tasks.candidateGroups} && ${textArray(memberGroups)}
      or ${tasks.candidateUsers} && ${textArray(names)}
      or ${tasks.assignee} = any(${textArray(names)})))`;
}

/**
 * E-mails of the colleagues who are away today and named this member their substitute: `isAway`
 * (engine/services/staff-rules.ts) as SQL — both dates set, today within them.
 */
function representedSql(staffId: string, today: string): SQL {
  return sql`(select ${staff.email} from ${staff}
    where ${staff.substituteId} = ${staffId} and ${staff.disabledAt} is null
      and ${staff.awayFrom} <= ${today}::date and ${staff.awayUntil} >= ${today}::date)`;
}

/** "Mine": assigned to me, or to a colleague I stand in for today. */
function mineSql(viewer: InboxViewer): SQL {
  return sql`(${tasks.assignee} = any(${textArray(viewer.audience.names)})
    or ${tasks.assignee} in ${representedSql(viewer.staffId, viewer.today)})`;
}

function viewSql(view: InboxView, viewer: InboxViewer): SQL | undefined {
  switch (view) {
    case 'mine':
      return mineSql(viewer);
    case 'groups':
      return isNull(tasks.assignee);
    case 'all':
      return undefined;
  }
}

const SORT_COLUMNS = {
  due: tasks.dueDate,
  followUp: tasks.followUpDate,
  priority: tasks.priority,
  created: tasks.createdAt,
} as const;

/**
 * Rows after the cursor in the order `column dir nulls last, id dir`. Rows without the date form the last
 * tier; within a tier the id breaks ties, so no row is skipped or repeated between pages.
 */
// Sort values compare exactly: every task time is written from a JS Date (milliseconds), as the cursor holds it.
function afterSql(request: InboxPageRequest): SQL | undefined {
  const { after, sort, dir } = request;
  if (!after) return undefined;
  const column = SORT_COLUMNS[sort];
  const beyond = dir === 'asc' ? sql.raw('>') : sql.raw('<');
  const value = typeof after.value === 'string' ? sql`${after.value}::timestamptz` : sql`${after.value}`;
  if (after.value === null) return sql`(${column} is null and ${tasks.id} ${beyond} ${after.id})`;
  return sql`(${column} ${beyond} ${value}
    or (${column} = ${value} and ${tasks.id} ${beyond} ${after.id})
    or ${column} is null)`;
}

function criteriaSql(criteria: InboxCriteria): SQL[] {
  const conditions: SQL[] = [];
  if (criteria.serviceSlug) conditions.push(eq(services.slug, criteria.serviceSlug));
  if (criteria.taskNameLike) conditions.push(ilike(tasks.name, criteria.taskNameLike));
  if (criteria.companyLike) conditions.push(ilike(sql`${companies.name}`, criteria.companyLike));
  if (criteria.due === 'none') conditions.push(isNull(tasks.dueDate));
  else if (criteria.due) {
    if (criteria.due.from) conditions.push(sql`${tasks.dueDate} >= ${criteria.due.from.toISOString()}::timestamptz`);
    if (criteria.due.before) conditions.push(sql`${tasks.dueDate} < ${criteria.due.before.toISOString()}::timestamptz`);
  }
  if (criteria.waiting !== undefined) {
    conditions.push(criteria.waiting ? isNotNull(tasks.waitingSince) : isNull(tasks.waitingSince));
  }
  if (criteria.assignees === null) conditions.push(isNull(tasks.assignee));
  else if (criteria.assignees) conditions.push(sql`${tasks.assignee} = any(${textArray(criteria.assignees)})`);
  if (criteria.text) {
    const { raw, tsQuery, like } = criteria.text;
    // The same expression as the index `cases_search` (schema.ts), or the index does not apply; as a
    // sub-select, so the planner searches the index once instead of computing the vector per open task.
    const fullText = tsQuery
      ? sql`${cases.id} in (select ${cases.id} from ${cases} where to_tsvector('german'::regconfig, ${CASE_SEARCH_DOCUMENT}) @@ to_tsquery('german'::regconfig, ${tsQuery}))`
      : sql`false`;
    conditions.push(sql`(${cases.number} = ${raw.toUpperCase()} or ${fullText} or ${companies.name} ilike ${like})`);
  }
  return conditions;
}

export function createInboxRepository(db: Executor) {
  return {
    /** One page of the view's tasks matching the criteria, with what a row of the list shows. */
    async list(viewer: InboxViewer, criteria: InboxCriteria, page: InboxPageRequest) {
      const column = SORT_COLUMNS[page.sort];
      const direction = sql.raw(page.dir);
      return db
        .select({
          task: {
            id: tasks.id,
            caseId: tasks.caseId,
            name: tasks.name,
            elementId: tasks.elementId,
            candidateGroups: tasks.candidateGroups,
            candidateUsers: tasks.candidateUsers,
            assignee: tasks.assignee,
            dueDate: tasks.dueDate,
            followUpDate: tasks.followUpDate,
            priority: tasks.priority,
            createdAt: tasks.createdAt,
            waitingSince: tasks.waitingSince,
          },
          caseNumber: cases.number,
          caseSubject: cases.subject,
          companyName: companies.name,
          serviceSlug: services.slug,
          serviceTitleDe: services.titleDe,
          serviceTitleEn: services.titleEn,
          assigneeName: staff.name,
        })
        .from(tasks)
        .innerJoin(cases, eq(cases.id, tasks.caseId))
        .innerJoin(companies, eq(companies.id, cases.companyId))
        .innerJoin(serviceVersions, eq(serviceVersions.id, cases.serviceVersionId))
        .innerJoin(services, eq(services.id, serviceVersions.serviceId))
        .leftJoin(staff, eq(staff.email, tasks.assignee))
        .where(
          and(
            mayCompleteSql(viewer.audience),
            notScenarioCaseSql,
            viewSql(criteria.view, viewer),
            ...criteriaSql(criteria),
            afterSql(page),
          ),
        )
        .orderBy(sql`${column} ${direction} nulls last`, sql`${tasks.id} ${direction}`)
        .limit(page.limit);
    },
    /** How many open tasks each view holds (without filters): one pass over the member's tasks. */
    async counts(viewer: InboxViewer): Promise<Record<InboxView, number>> {
      const [row] = await db
        .select({
          mine: sql<number>`count(*) filter (where ${mineSql(viewer)})::int`,
          groups: sql<number>`count(*) filter (where ${tasks.assignee} is null)::int`,
          all: sql<number>`count(*)::int`,
        })
        .from(tasks)
        .where(and(mayCompleteSql(viewer.audience), notScenarioCaseSql));
      return row ?? { mine: 0, groups: 0, all: 0 };
    },
    /** E-mails of the colleagues away today who named this member their substitute. */
    async represented(staffId: string, today: string): Promise<string[]> {
      const rows = await db
        .select({ email: staff.email })
        .from(staff)
        .where(sql`${staff.email} in ${representedSql(staffId, today)}`);
      return rows.map((row) => row.email);
    },
    /** The name of the staff member with this e-mail (an assignee), if there is one. */
    async staffName(email: string): Promise<string | undefined> {
      const [row] = await db.select({ name: staff.name }).from(staff).where(eq(staff.email, email.toLowerCase()));
      return row?.name;
    },
    /**
     * Active staff a task may be assigned to: members of one of its candidate groups, or named as a candidate
     * user. By name.
     */
    async eligibleAssignees(candidateGroups: string[], candidateUsers: string[]) {
      const inGroups =
        candidateGroups.length > 0
          ? sql`${staff.id} in (select ${staffGroups.staffId} from ${staffGroups} where ${inArray(staffGroups.groupId, candidateGroups)})`
          : sql`false`;
      const named = candidateUsers.length > 0 ? inArray(staff.email, candidateUsers) : sql`false`;
      return db
        .select({ id: staff.id, name: staff.name, email: staff.email })
        .from(staff)
        .where(and(isNull(staff.disabledAt), sql`(${inGroups} or ${named})`))
        .orderBy(asc(staff.name));
    },
    /** Active staff in any of these groups, with their groups: the assignee filter and the team lead's choices. */
    async colleagues(groupIds: string[]) {
      if (groupIds.length === 0) return [];
      const rows = await db
        .select({ id: staff.id, name: staff.name, email: staff.email, groupId: staffGroups.groupId })
        .from(staff)
        .innerJoin(staffGroups, eq(staffGroups.staffId, staff.id))
        .where(and(isNull(staff.disabledAt), inArray(staffGroups.groupId, groupIds)))
        .orderBy(asc(staff.name));
      const byId = new Map<string, { id: string; name: string; email: string; groups: string[] }>();
      for (const row of rows) {
        const found = byId.get(row.id) ?? { id: row.id, name: row.name, email: row.email, groups: [] };
        found.groups.push(row.groupId);
        byId.set(row.id, found);
      }
      return [...byId.values()];
    },
    /** The services a filter can choose from (those in the catalog), by German title. */
    services() {
      return db
        .select({ slug: services.slug, titleDe: services.titleDe, titleEn: services.titleEn })
        .from(services)
        .where(eq(services.listed, true))
        .orderBy(asc(services.titleDe));
    },
    /** Names of these groups. */
    groupNames(groupIds: string[]) {
      if (groupIds.length === 0) return Promise.resolve([]);
      return db
        .select({ id: groups.id, name: groups.name })
        .from(groups)
        .where(inArray(groups.id, groupIds))
        .orderBy(asc(groups.name));
    },
  };
}

export type InboxRepository = ReturnType<typeof createInboxRepository>;
