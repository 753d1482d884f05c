/**
 * "Meine Vorgänge" (`/cases?…`): parsing and validating the filter form's GET parameters, the canonical query
 * string its links carry, and the keyset paging in both directions ("Ältere" / "Neuere"). Pure: no clock, no
 * database; the repository turns a `MyCasesPagePlan` into SQL.
 */
import type { MyCasesCursor, MyCasesPagePlan, MyCasesSort, StatusGroup } from '../repositories/case.repository.js';
import { containsPattern, startOfAgencyDay } from './inbox-query.js';

export type { MyCasesCursor, MyCasesPagePlan, MyCasesSort, StatusGroup };

/** `open`: not finished; `action`: the company has an open task or unread messages of the agency; `closed`: finished. */
export const STATUS_GROUPS: readonly StatusGroup[] = ['open', 'action', 'closed'];
/** `changed`: last change first (default); `started`: newest start first. */
export const MY_CASES_SORTS: readonly MyCasesSort[] = ['changed', 'started'];

/** Cases per page of "Meine Vorgänge". */
export const MY_CASES_PAGE_SIZE = 20;

export interface MyCasesQuery {
  status?: StatusGroup;
  /** A service's slug. */
  service?: string;
  /** Part of the case number or the subject. */
  q?: string;
  /** Started on or after this day (YYYY-MM-DD, the agency's calendar). */
  from?: string;
  /** Started on or before this day. */
  to?: string;
  sort: MyCasesSort;
  /** Older than this cursor (the last row of the previous page). */
  after?: string;
  /** Newer than this cursor (the first row of the next page). */
  before?: string;
}

/** A filter field the user filled in wrongly: the page answers 422 with the message next to it. */
export interface MyCasesFieldError {
  field: 'status' | 'service' | 'q' | 'from' | 'to' | 'sort';
  /** i18n key of the message. */
  key: string;
}

const TEXT_LIMIT = 100;
const SLUG = /^[a-z0-9][a-z0-9-]{0,79}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function isCalendarDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * The query from the request's parameters. A wrong value is left out of the query and named in `errors`
 * (the form shows the typed value again); a malformed cursor is dropped silently: the list starts at the top.
 */
export function parseMyCasesQuery(params: Record<string, unknown>): {
  query: MyCasesQuery;
  errors: MyCasesFieldError[];
} {
  const errors: MyCasesFieldError[] = [];
  const query: MyCasesQuery = { sort: 'changed' };
  const text = (name: string): string | undefined => {
    const value = params[name];
    if (typeof value !== 'string') return undefined;
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  };
  const status = text('status');
  if (status !== undefined) {
    const found = STATUS_GROUPS.find((group) => group === status);
    if (found) query.status = found;
    else errors.push({ field: 'status', key: 'mycases.error.status' });
  }
  const service = text('service');
  if (service !== undefined) {
    if (SLUG.test(service)) query.service = service;
    else errors.push({ field: 'service', key: 'mycases.error.service' });
  }
  const q = text('q');
  if (q !== undefined) {
    if (q.length <= TEXT_LIMIT) query.q = q;
    else errors.push({ field: 'q', key: 'mycases.error.qTooLong' });
  }
  for (const field of ['from', 'to'] as const) {
    const day = text(field);
    if (day === undefined) continue;
    if (isCalendarDay(day)) query[field] = day;
    else errors.push({ field, key: 'mycases.error.date' });
  }
  if (query.from && query.to && query.from > query.to) {
    errors.push({ field: 'to', key: 'mycases.error.toBeforeFrom' });
    delete query.to;
  }
  const sort = text('sort');
  if (sort !== undefined) {
    const found = MY_CASES_SORTS.find((candidate) => candidate === sort);
    if (found) query.sort = found;
    else errors.push({ field: 'sort', key: 'mycases.error.sort' });
  }
  // A cursor belongs to its sort: one made for the other sort (or forged) starts the list at the top.
  const after = text('after');
  const before = text('before');
  if (after && decodeCursor(after, query.sort)) query.after = after;
  else if (before && decodeCursor(before, query.sort)) query.before = before;
  return { query, errors };
}

const PARAMETER_ORDER = ['status', 'service', 'q', 'from', 'to', 'sort', 'after', 'before'] as const;

/** The query as a query string (without `?`), defaults left out; `changes` override single parameters. */
export function myCasesSearch(
  query: MyCasesQuery,
  changes: Partial<Record<keyof MyCasesQuery, string | undefined>> = {},
): string {
  const merged: Partial<Record<keyof MyCasesQuery, string | undefined>> = { ...query, ...changes };
  const search = new URLSearchParams();
  for (const name of PARAMETER_ORDER) {
    const value = merged[name];
    if (value === undefined || value === '') continue;
    if (name === 'sort' && value === 'changed') continue;
    search.set(name, value);
  }
  return search.toString();
}

// ── Keyset paging ────────────────────────────────────────────────────────────────────────────────────────────

const MICRO_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Opaque to the browser: the sort it belongs to and the row's position, as base64url JSON. */
export function encodeCursor(sort: MyCasesSort, cursor: MyCasesCursor): string {
  return Buffer.from(JSON.stringify([sort, cursor.at, cursor.id]), 'utf8').toString('base64url');
}

/** The cursor, if well-formed and made for this sort; anything else is undefined. */
export function decodeCursor(text: string, sort: MyCasesSort): MyCasesCursor | undefined {
  if (text.length > 200) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return undefined;
  const [cursorSort, at, id]: unknown[] = parsed;
  if (cursorSort !== sort || typeof at !== 'string' || typeof id !== 'string') return undefined;
  return MICRO_ISO.test(at) && UUID.test(id) ? { at, id } : undefined;
}

function nextDay(ymd: string): string {
  const [year, month, day] = ymd.split('-').map(Number);
  return new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, (day ?? 1) + 1)).toISOString().slice(0, 10);
}

export function pagePlanOf(query: MyCasesQuery, pageSize = MY_CASES_PAGE_SIZE): MyCasesPagePlan {
  const before = query.before ? decodeCursor(query.before, query.sort) : undefined;
  const after = query.after ? decodeCursor(query.after, query.sort) : undefined;
  return {
    ...(query.status && { status: query.status }),
    ...(query.service && { service: query.service }),
    ...(query.q && { contains: containsPattern(query.q) }),
    ...(query.from && { startedFrom: startOfAgencyDay(query.from) }),
    // "bis 08.12." includes that whole day in Berlin.
    ...(query.to && { startedBefore: startOfAgencyDay(nextDay(query.to)) }),
    sort: query.sort,
    direction: before ? 'newer' : 'older',
    ...((before ?? after) && { cursor: before ?? after }),
    limit: pageSize + 1,
  };
}

/** One page of rows in the list's order, with the cursors of the "Ältere" and "Neuere" links (if there are such rows). */
export interface MyCasesPage<Row> {
  rows: Row[];
  older?: string;
  newer?: string;
}

/** The page from the rows the plan read (at most `limit`, in the plan's reading order). */
export function pageFromRows<Row extends { cursorAt: string; id: string }>(
  plan: MyCasesPagePlan,
  read: Row[],
): MyCasesPage<Row> {
  const pageSize = plan.limit - 1;
  const beyond = read.length > pageSize;
  const taken = read.slice(0, pageSize);
  const rows = plan.direction === 'newer' ? taken.reverse() : taken;
  const first = rows[0];
  const last = rows.at(-1);
  const cursorOf = (row: Row) => encodeCursor(plan.sort, { at: row.cursorAt, id: row.id });
  // Reading older rows, newer ones exist whenever a cursor was followed; reading newer ones, older ones do.
  const hasOlder = plan.direction === 'older' ? beyond : true;
  const hasNewer = plan.direction === 'newer' ? beyond : plan.cursor !== undefined;
  return {
    rows,
    ...(hasOlder && last && { older: cursorOf(last) }),
    ...(hasNewer && first && { newer: cursorOf(first) }),
  };
}

/** What the company has to do on a case: its open tasks and the agency's messages nobody of it has read. */
export interface ActionNeeded {
  openTasks: number;
  unreadMessages: number;
}

/** Whether a case gets the "Aktion erforderlich" badge. */
export function needsAction(action: ActionNeeded): boolean {
  return action.openTasks > 0 || action.unreadMessages > 0;
}
