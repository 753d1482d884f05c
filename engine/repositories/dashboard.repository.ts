import { sql, type SQL } from 'drizzle-orm';
import type { TaskAudience } from '../case/task-completion.js';
import { APPLICANT_GROUP } from '../model/process-model.js';
import type { Executor } from './executor.js';

/**
 * The figures of the staff dashboard: reads only (it owns no table), over cases, tasks, services, groups
 * and staff. Every figure counts only the cases the viewer may see.
 */

/** Who looks: an administrator sees every case, anyone else the cases with a task they may complete. */
export interface DashboardViewer {
  seesAll: boolean;
  audience: TaskAudience;
}

export interface ServiceRef {
  slug: string;
  titleDe: string;
  titleEn: string;
}

export interface ServiceTimes extends ServiceRef {
  /** Median seconds from a case's creation to its completion, of the cases completed in the window. */
  leadSeconds30: number | null;
  leadSeconds90: number | null;
  completed30: number;
  completed90: number;
  /** Median seconds from a case's creation to its first completed staff task, of those completed in the window. */
  processingSeconds30: number | null;
  processingSeconds90: number | null;
}

export interface RueckfrageRate extends ServiceRef {
  cases: number;
  withRueckfrage: number;
}

export interface WorkloadRow {
  groupId: string;
  groupName: string;
  /** null: open tasks nobody is assigned to. */
  assignee: string | null;
  assigneeName: string | null;
  open: number;
}

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
 * The task rule of `mayComplete` (engine/case/task-completion.ts) as SQL over the task alias `t`, as the
 * inbox query has it: never an applicant task; a staff task through a group, a candidate user or the assignee.
 */
function staffMayComplete(t: SQL, { groups, names }: TaskAudience): SQL {
  return sql`(not (${APPLICANT_GROUP} = any(${t}.candidate_groups))
    and (${t}.candidate_groups && ${textArray(groups)}
      or ${t}.candidate_users && ${textArray(names)}
      or ${t}.assignee = any(${textArray(names)})))`;
}

/** The case alias `c` is visible to the viewer. */
function visibleCase(viewer: DashboardViewer): SQL {
  // Scenario cases (lotse test, the designer's test-run and Probelauf, ADR 0021) count for nobody.
  const real = sql`c.submission_token not like 'scenario:%'`;
  if (viewer.seesAll) return real;
  return sql`(${real} and exists (select 1 from tasks vt where vt.case_id = c.id and ${staffMayComplete(sql`vt`, viewer.audience)}))`;
}

/** The groups whose figures the viewer sees: an administrator all of them, anyone else their own. */
function ownGroup(group: SQL, viewer: DashboardViewer): SQL {
  return viewer.seesAll
    ? sql`${group} <> ${APPLICANT_GROUP}`
    : sql`${group} = any(${textArray(viewer.audience.groups)})`;
}

const count = (value: unknown) => Number(value ?? 0);
const numberOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));
const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));

function serviceOf(row: Record<string, unknown>): ServiceRef {
  return { slug: text(row.slug), titleDe: text(row.title_de), titleEn: text(row.title_en) };
}

export function createDashboardRepository(db: Executor) {
  return {
    /** Cases not completed (running or waiting on an incident) per service. */
    async openCasesPerService(viewer: DashboardViewer) {
      const { rows } = await db.execute(sql`
        select s.slug, s.title_de, s.title_en, count(*) as open
        from cases c
        join service_versions v on v.id = c.service_version_id
        join services s on s.id = v.service_id
        where c.status <> 'completed' and ${visibleCase(viewer)}
        group by s.slug, s.title_de, s.title_en
        order by count(*) desc, s.title_de`);
      return rows.map((row) => ({ ...serviceOf(row), open: count(row.open) }));
    },

    /** Open staff tasks past their due date (`now`) per candidate group of the viewer. */
    async overdueTasksPerGroup(viewer: DashboardViewer, now: Date) {
      const { rows } = await db.execute(sql`
        select g.group_id, coalesce(gr.name, g.group_id) as name, count(*) as overdue
        from tasks t
        join cases c on c.id = t.case_id
        cross join lateral unnest(t.candidate_groups) as g(group_id)
        left join groups gr on gr.id = g.group_id
        where t.status = 'open' and t.due_date < ${now}
          and not (${APPLICANT_GROUP} = any(t.candidate_groups))
          and ${ownGroup(sql`g.group_id`, viewer)} and ${visibleCase(viewer)}
        group by g.group_id, gr.name
        order by count(*) desc, g.group_id`);
      return rows.map((row) => ({
        groupId: text(row.group_id),
        groupName: text(row.name),
        overdue: count(row.overdue),
      }));
    },

    /**
     * Median lead and processing times per service over the 30 and 90 days before `now`: a case counts in a
     * window when it completed (lead time) or its first staff task was completed (processing time) in it.
     */
    async timesPerService(viewer: DashboardViewer, now: Date): Promise<ServiceTimes[]> {
      const since30 = new Date(now.getTime() - 30 * 86_400_000);
      const since90 = new Date(now.getTime() - 90 * 86_400_000);
      const { rows } = await db.execute(sql`
        with visible as (
          select c.id, c.created_at, c.completed_at, s.slug, s.title_de, s.title_en,
            (select min(t.completed_at) from tasks t
              where t.case_id = c.id and t.status = 'completed'
                and not (${APPLICANT_GROUP} = any(t.candidate_groups))) as first_staff_done
          from cases c
          join service_versions v on v.id = c.service_version_id
          join services s on s.id = v.service_id
          where ${visibleCase(viewer)}
        )
        select slug, title_de, title_en,
          percentile_cont(0.5) within group (order by extract(epoch from completed_at - created_at))
            filter (where completed_at >= ${since30}) as lead30,
          percentile_cont(0.5) within group (order by extract(epoch from completed_at - created_at))
            filter (where completed_at >= ${since90}) as lead90,
          count(*) filter (where completed_at >= ${since30}) as completed30,
          count(*) filter (where completed_at >= ${since90}) as completed90,
          percentile_cont(0.5) within group (order by extract(epoch from first_staff_done - created_at))
            filter (where first_staff_done >= ${since30}) as processing30,
          percentile_cont(0.5) within group (order by extract(epoch from first_staff_done - created_at))
            filter (where first_staff_done >= ${since90}) as processing90
        from visible
        where completed_at >= ${since90} or first_staff_done >= ${since90}
        group by slug, title_de, title_en
        order by title_de`);
      return rows.map((row) => ({
        ...serviceOf(row),
        leadSeconds30: numberOrNull(row.lead30),
        leadSeconds90: numberOrNull(row.lead90),
        completed30: count(row.completed30),
        completed90: count(row.completed90),
        processingSeconds30: numberOrNull(row.processing30),
        processingSeconds90: numberOrNull(row.processing90),
      }));
    },

    /** Of the cases created in the 90 days before `now`, per service: how many, and how many had an applicant task. */
    async rueckfrageRatePerService(viewer: DashboardViewer, now: Date): Promise<RueckfrageRate[]> {
      const since = new Date(now.getTime() - 90 * 86_400_000);
      const { rows } = await db.execute(sql`
        select s.slug, s.title_de, s.title_en, count(*) as cases,
          count(*) filter (where exists (select 1 from tasks t
            where t.case_id = c.id and ${APPLICANT_GROUP} = any(t.candidate_groups))) as with_rueckfrage
        from cases c
        join service_versions v on v.id = c.service_version_id
        join services s on s.id = v.service_id
        where c.created_at >= ${since} and ${visibleCase(viewer)}
        group by s.slug, s.title_de, s.title_en
        order by s.title_de`);
      return rows.map((row) => ({
        ...serviceOf(row),
        cases: count(row.cases),
        withRueckfrage: count(row.with_rueckfrage),
      }));
    },

    /**
     * New cases per ISO week (Monday, Europe/Berlin) for the `weeks` weeks up to and including the one of
     * `now`, oldest first, weeks without cases as 0.
     */
    async casesPerWeek(viewer: DashboardViewer, now: Date, weeks: number) {
      const { rows } = await db.execute(sql`
        with week as (
          select generate_series(
            date_trunc('week', ${now}::timestamptz at time zone 'Europe/Berlin') - make_interval(weeks => ${weeks - 1}),
            date_trunc('week', ${now}::timestamptz at time zone 'Europe/Berlin'),
            interval '1 week') as monday
        )
        select to_char(week.monday, 'IYYY-"W"IW') as iso_week, to_char(week.monday, 'YYYY-MM-DD') as monday,
          (select count(*) from cases c
            where date_trunc('week', c.created_at at time zone 'Europe/Berlin') = week.monday
              and ${visibleCase(viewer)}) as cases
        from week
        order by week.monday`);
      return rows.map((row) => ({ isoWeek: text(row.iso_week), monday: text(row.monday), cases: count(row.cases) }));
    },

    /** Open staff tasks per group of the viewer and assignee (null: unassigned). */
    async workloadPerPerson(viewer: DashboardViewer): Promise<WorkloadRow[]> {
      const { rows } = await db.execute(sql`
        select g.group_id, coalesce(gr.name, g.group_id) as group_name, t.assignee,
          (select st.name from staff st where st.email = t.assignee or st.id::text = t.assignee limit 1) as assignee_name,
          count(*) as open
        from tasks t
        join cases c on c.id = t.case_id
        cross join lateral unnest(t.candidate_groups) as g(group_id)
        left join groups gr on gr.id = g.group_id
        where t.status = 'open' and not (${APPLICANT_GROUP} = any(t.candidate_groups))
          and ${ownGroup(sql`g.group_id`, viewer)} and ${visibleCase(viewer)}
        group by g.group_id, gr.name, t.assignee
        order by g.group_id, t.assignee nulls first`);
      return rows.map((row) => ({
        groupId: text(row.group_id),
        groupName: text(row.group_name),
        assignee: row.assignee === null || row.assignee === undefined ? null : text(row.assignee),
        assigneeName: row.assignee_name === null || row.assignee_name === undefined ? null : text(row.assignee_name),
        open: count(row.open),
      }));
    },
  };
}

export type DashboardRepository = ReturnType<typeof createDashboardRepository>;
