import {
  and,
  arrayContains,
  arrayOverlaps,
  desc,
  eq,
  gte,
  ilike,
  inArray,
  not,
  notLike,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { TaskAudience } from '../case/task-completion.js';
import { APPLICANT_GROUP } from '../model/process-model.js';
import {
  CASE_SEARCH_DOCUMENT,
  cases,
  companies,
  services,
  serviceVersions,
  staff,
  tasks,
  users,
} from '../db/schema.js';
import type { Executor } from './executor.js';

/** What staff search cases by; every part is optional and they all apply together. */
export interface CaseSearchFilter {
  /** A full case number finds that case; a part of one finds every number containing it. */
  number?: string;
  /** A part of the company's name. */
  company?: string;
  serviceSlug?: string;
  status?: 'active' | 'completed' | 'incident';
  /** Received on or after this day (YYYY-MM-DD, the agency's time zone). */
  createdFrom?: string;
  /** Received on or before this day (YYYY-MM-DD, the agency's time zone). */
  createdTo?: string;
  /** German full text over the subject and the submitted data, in web search syntax ("…", or, -). */
  text?: string;
}

/** Where a page of results continues: after this case in the order newest first. */
export interface CaseCursor {
  /** ISO time with microseconds: a JavaScript Date (milliseconds) would skip cases created within the same ms. */
  createdAt: string;
  id: string;
}

/** Whose cases: every case (administrators), or those with a task (open or done) for this audience. */
export type CaseScope = { all: true } | { all: false; audience: TaskAudience };

const AGENCY_TIME_ZONE = 'Europe/Berlin';
const FULL_CASE_NUMBER = /^WF-\d{4}-\d{6}$/;

/**
 * The full-text condition exactly as the GIN index `cases_search` is built (engine/db/schema.ts): another
 * expression, even an equal-looking one, would scan every case.
 */
export function matchesText(text: string): SQL {
  return sql`to_tsvector('german'::regconfig, ${CASE_SEARCH_DOCUMENT}) @@ websearch_to_tsquery('german'::regconfig, ${text})`;
}

/**
 * A task of the case is for the audience: the rule of `mayComplete` (engine/case/task-completion.ts) as SQL,
 * as the inbox query states it (inbox.repository.ts `mayCompleteSql`), over open and done tasks alike.
 */
function hasTaskFor({ groups, names }: TaskAudience): SQL {
  return sql`exists (${sql`select 1 from ${tasks} where ${and(
    eq(tasks.caseId, cases.id),
    not(arrayContains(tasks.candidateGroups, [APPLICANT_GROUP])),
    or(
      groups.length > 0 ? arrayOverlaps(tasks.candidateGroups, groups) : sql`false`,
      arrayOverlaps(tasks.candidateUsers, names),
      inArray(tasks.assignee, names),
    ),
  )}`})`;
}

/** Midnight of a calendar day in the agency's time zone, as a timestamp. */
const startOfDay = (day: string) => sql`(${day}::date)::timestamp at time zone ${AGENCY_TIME_ZONE}`;

function conditionsOf(filter: CaseSearchFilter, scope: CaseScope): SQL[] {
  // Scenario cases (lotse test, the designer's test-run and Probelauf, ADR 0021) are no one's cases to find.
  const conditions: SQL[] = [notLike(cases.submissionToken, 'scenario:%')];
  if (!scope.all) conditions.push(hasTaskFor(scope.audience));
  const number = filter.number?.trim().toUpperCase();
  if (number) {
    conditions.push(
      FULL_CASE_NUMBER.test(number) ? eq(cases.number, number) : ilike(cases.number, `%${escapeLike(number)}%`),
    );
  }
  const company = filter.company?.trim();
  if (company) conditions.push(ilike(companies.name, `%${escapeLike(company)}%`));
  if (filter.serviceSlug) conditions.push(eq(services.slug, filter.serviceSlug));
  if (filter.status) conditions.push(eq(cases.status, filter.status));
  if (filter.createdFrom) conditions.push(gte(cases.createdAt, startOfDay(filter.createdFrom)));
  if (filter.createdTo) conditions.push(sql`${cases.createdAt} < ${startOfDay(filter.createdTo)} + interval '1 day'`);
  const text = filter.text?.trim();
  if (text) conditions.push(matchesText(text));
  return conditions;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** Staff's reads of cases beyond the case owner's: the case search and the case page's people. Writes nothing. */
export function createCaseSearchRepository(db: Executor) {
  return {
    /** One page of the cases matching the filter in the scope, newest first, after the cursor. */
    async search(filter: CaseSearchFilter, scope: CaseScope, options: { after?: CaseCursor; limit: number }) {
      const conditions = conditionsOf(filter, scope);
      if (options.after) {
        conditions.push(
          sql`(${cases.createdAt}, ${cases.id}) < (${options.after.createdAt}::timestamptz, ${options.after.id}::uuid)`,
        );
      }
      return db
        .select({
          id: cases.id,
          number: cases.number,
          subject: cases.subject,
          status: cases.status,
          publicStatus: cases.publicStatus,
          createdAt: cases.createdAt,
          cursorAt: sql<string>`to_char(${cases.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
          completedAt: cases.completedAt,
          companyName: companies.name,
          serviceTitleDe: services.titleDe,
          serviceTitleEn: services.titleEn,
          serviceVersion: serviceVersions.version,
        })
        .from(cases)
        .innerJoin(companies, eq(companies.id, cases.companyId))
        .innerJoin(serviceVersions, eq(serviceVersions.id, cases.serviceVersionId))
        .innerJoin(services, eq(services.id, serviceVersions.serviceId))
        .where(and(...conditions))
        .orderBy(desc(cases.createdAt), desc(cases.id))
        .limit(options.limit);
    },

    /** The case with its company (address), its contact person (who submitted it) and its service version. */
    async caseFile(caseId: string) {
      const [row] = await db
        .select({
          id: cases.id,
          number: cases.number,
          subject: cases.subject,
          status: cases.status,
          publicStatus: cases.publicStatus,
          variables: cases.variables,
          createdAt: cases.createdAt,
          completedAt: cases.completedAt,
          serviceVersionId: cases.serviceVersionId,
          serviceVersion: serviceVersions.version,
          serviceTitleDe: services.titleDe,
          serviceTitleEn: services.titleEn,
          company: {
            id: companies.id,
            name: companies.name,
            legalForm: companies.legalForm,
            registerNumber: companies.registerNumber,
            street: companies.street,
            postalCode: companies.postalCode,
            city: companies.city,
          },
          contact: { id: users.id, name: users.name, email: users.email },
        })
        .from(cases)
        .innerJoin(companies, eq(companies.id, cases.companyId))
        .innerJoin(users, eq(users.id, cases.createdByUserId))
        .innerJoin(serviceVersions, eq(serviceVersions.id, cases.serviceVersionId))
        .innerJoin(services, eq(services.id, serviceVersions.serviceId))
        .where(eq(cases.id, caseId));
      return row;
    },

    /** Staff named by id or e-mail (how actor labels and task assignees name them). */
    async staffNamed(idsOrEmails: string[]) {
      if (idsOrEmails.length === 0) return [];
      const ids = idsOrEmails.filter((value) => /^[0-9a-f-]{36}$/.test(value));
      return db
        .select({ id: staff.id, name: staff.name, email: staff.email })
        .from(staff)
        .where(or(ids.length > 0 ? inArray(staff.id, ids) : sql`false`, inArray(staff.email, idsOrEmails)));
    },

    /** Company users by id. */
    async usersNamed(ids: string[]) {
      const valid = ids.filter((value) => /^[0-9a-f-]{36}$/.test(value));
      if (valid.length === 0) return [];
      return db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, valid));
    },
  };
}

export type CaseSearchRepository = ReturnType<typeof createCaseSearchRepository>;
export type CaseSearchRow = Awaited<ReturnType<CaseSearchRepository['search']>>[number];
export type CaseFile = NonNullable<Awaited<ReturnType<CaseSearchRepository['caseFile']>>>;
