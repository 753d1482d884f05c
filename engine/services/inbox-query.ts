/**
 * The inbox's query language (`/staff/tasks?…`): parsing and validating its GET parameters, the canonical
 * query string a saved filter stores, the keyset cursor, and the words a task's dates and priority are shown
 * with. Pure: every "now" is passed in, so each rule is tested without a clock or a database.
 */
import { agencyToday } from './today.js';

export const INBOX_VIEWS = ['mine', 'groups', 'all'] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];
export const SORT_KEYS = ['due', 'followUp', 'priority', 'created'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDirection = 'asc' | 'desc';
export const DUE_FILTERS = ['overdue', 'today', 'week', 'none'] as const;
export type DueFilter = (typeof DUE_FILTERS)[number];
/** `waiting`: a Rückfrage to the company is open (its due date paused); `ready`: workable now. */
export const STATUS_FILTERS = ['ready', 'waiting'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

/** Tasks per page of the inbox. */
export const INBOX_PAGE_SIZE = 50;

/** A validated inbox query: only what the parameters said correctly, everything else at its default. */
export interface InboxQuery {
  /** Absent: the inbox picks (mine if any, else my groups'). */
  view?: InboxView;
  sort: SortKey;
  dir: SortDirection;
  /** A service's slug. */
  service?: string;
  /** Part of the task's name. */
  task?: string;
  due?: DueFilter;
  status?: StatusFilter;
  /** Part of the company's name. */
  company?: string;
  /** `me`, `none` (unassigned) or a staff e-mail. */
  assignee?: string;
  /** Free text: the case's number, words of its subject (and submitted data), part of the company's name. */
  q?: string;
  /** Where the page starts (the cursor of the previous page's last row); only valid for the same sort. */
  after?: string;
}

export const DEFAULT_SORT: Pick<InboxQuery, 'sort' | 'dir'> = { sort: 'due', dir: 'asc' };

const TEXT_LIMIT = 200;
const SLUG = /^[a-z0-9][a-z0-9-]{0,79}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}$/;
const CURSOR = /^[A-Za-z0-9_-]{1,400}$/;

/** Parameters that were present but not valid: dropped, and the page says so. */
export type RejectedParameter = keyof Omit<InboxQuery, 'after'> | 'after';

/**
 * The query from a request's (or a saved filter's) parameters. Unknown parameters are ignored; a known one
 * with a value outside its domain is dropped and named in `rejected`, so a stale saved filter or a hand-edited
 * link never reaches the database unchecked.
 */
export function parseInboxQuery(params: Record<string, unknown>): { query: InboxQuery; rejected: RejectedParameter[] } {
  const rejected: RejectedParameter[] = [];
  const query: InboxQuery = { ...DEFAULT_SORT };
  const text = (name: RejectedParameter): string | undefined => {
    const value = params[name];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') {
      rejected.push(name);
      return undefined;
    }
    const trimmed = value.trim();
    if (trimmed.length > TEXT_LIMIT) {
      rejected.push(name);
      return undefined;
    }
    return trimmed === '' ? undefined : trimmed;
  };
  const oneOf = <T extends string>(name: RejectedParameter, allowed: readonly T[]): T | undefined => {
    const value = text(name);
    if (value === undefined) return undefined;
    const found = allowed.find((candidate) => candidate === value);
    if (!found) rejected.push(name);
    return found;
  };
  const matching = (name: RejectedParameter, pattern: RegExp): string | undefined => {
    const value = text(name);
    if (value !== undefined && !pattern.test(value)) {
      rejected.push(name);
      return undefined;
    }
    return value;
  };

  const set = <K extends keyof InboxQuery>(key: K, value: InboxQuery[K] | undefined) => {
    if (value !== undefined) query[key] = value;
  };
  set('view', oneOf('view', INBOX_VIEWS));
  set('sort', oneOf('sort', SORT_KEYS));
  set('dir', oneOf('dir', ['asc', 'desc'] as const));
  set('service', matching('service', SLUG));
  set('task', text('task'));
  set('due', oneOf('due', DUE_FILTERS));
  set('status', oneOf('status', STATUS_FILTERS));
  set('company', text('company'));
  const assignee = text('assignee');
  if (assignee === 'me' || assignee === 'none') set('assignee', assignee);
  else if (assignee !== undefined && EMAIL.test(assignee)) set('assignee', assignee.toLowerCase());
  else if (assignee !== undefined) rejected.push('assignee');
  set('q', text('q'));
  set('after', matching('after', CURSOR));
  return { query, rejected };
}

/** Order of the parameters in a canonical query string. */
const PARAMETER_ORDER = [
  'view',
  'q',
  'service',
  'task',
  'due',
  'status',
  'company',
  'assignee',
  'sort',
  'dir',
  'after',
] as const;

/**
 * The query as a query string (without `?`), parameters in a fixed order and defaults left out: what a link
 * of the page carries and what a saved filter stores. `changes` override single parameters (`undefined` drops one).
 */
export function inboxSearch(query: InboxQuery, changes: Partial<Record<keyof InboxQuery, string | undefined>> = {}) {
  const merged: Partial<Record<keyof InboxQuery, string | undefined>> = { ...query, ...changes };
  const search = new URLSearchParams();
  for (const name of PARAMETER_ORDER) {
    const value = merged[name];
    if (value === undefined || value === '') continue;
    if (name === 'sort' && value === DEFAULT_SORT.sort) continue;
    if (name === 'dir' && value === DEFAULT_SORT.dir) continue;
    search.set(name, value);
  }
  return search.toString();
}

/** What a saved filter keeps: the query without its page position (a saved filter starts at the top). */
export function savedFilterSearch(query: InboxQuery): string {
  return inboxSearch(query, { after: undefined });
}

// ── Keyset cursor ────────────────────────────────────────────────────────────────────────────────────────────

/** A row's sort value: an ISO timestamp (dates), a number (priority) or null (no date: sorted last). */
export type SortValue = string | number | null;

export interface Cursor {
  value: SortValue;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opaque to the browser: the sort it belongs to, the last row's sort value and id, as base64url JSON. */
export function encodeCursor(sort: SortKey, dir: SortDirection, cursor: Cursor): string {
  return Buffer.from(JSON.stringify([sort, dir, cursor.value, cursor.id]), 'utf8').toString('base64url');
}

/**
 * The cursor, if it is well-formed and made for this sort; anything else (a cursor of another sort, a forged
 * value) is undefined and the page starts at the top.
 */
export function decodeCursor(text: string | undefined, sort: SortKey, dir: SortDirection): Cursor | undefined {
  if (!text) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) return undefined;
  const [cursorSort, cursorDir, value, id]: unknown[] = parsed;
  if (cursorSort !== sort || cursorDir !== dir || typeof id !== 'string' || !UUID.test(id)) return undefined;
  if (sort === 'priority') {
    return typeof value === 'number' && Number.isInteger(value) ? { value, id } : undefined;
  }
  if (sort === 'created' && value === null) return undefined;
  if (value === null) return { value, id };
  return typeof value === 'string' && !Number.isNaN(Date.parse(value)) && value.length <= 40
    ? { value: new Date(value).toISOString(), id }
    : undefined;
}

/** The sort value of a task for `sort`. */
export function sortValueOf(
  task: { dueDate: Date | null; followUpDate: Date | null; priority: number; createdAt: Date },
  sort: SortKey,
): SortValue {
  switch (sort) {
    case 'due':
      return task.dueDate?.toISOString() ?? null;
    case 'followUp':
      return task.followUpDate?.toISOString() ?? null;
    case 'priority':
      return task.priority;
    case 'created':
      return task.createdAt.toISOString();
  }
}

// ── Dates in the agency's time zone ──────────────────────────────────────────────────────────────────────────

const TIME_ZONE = 'Europe/Berlin';
const DAY_MS = 86_400_000;

/** Milliseconds the agency's clock is ahead of UTC at `instant`. */
function zoneOffsetAt(instant: number): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: TIME_ZONE,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(instant))
      .map((part) => [part.type, part.value]),
  );
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant the agency's day `ymd` (YYYY-MM-DD) begins (midnight in Berlin, summer time or not). */
export function startOfAgencyDay(ymd: string): Date {
  const [year, month, day] = ymd.split('-').map(Number);
  const midnightUtc = Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1);
  const first = midnightUtc - zoneOffsetAt(midnightUtc);
  // The offset at the guess may differ from the one at the answer when the clocks change that night.
  return new Date(midnightUtc - zoneOffsetAt(first));
}

function addDays(ymd: string, days: number): string {
  const [year, month, day] = ymd.split('-').map(Number);
  return new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, (day ?? 1) + days)).toISOString().slice(0, 10);
}

/** Calendar days (in the agency's time zone) from the day of `from` to the day of `to`. */
export function agencyDaysBetween(from: Date, to: Date): number {
  return Math.round((Date.parse(agencyToday(to)) - Date.parse(agencyToday(from))) / DAY_MS);
}

/** The due-date range a due filter stands for at `now`: `from` inclusive, `before` exclusive; `none`: no date. */
export function dueRange(filter: DueFilter, now: Date): { from?: Date; before?: Date } | 'none' {
  const today = agencyToday(now);
  switch (filter) {
    case 'overdue':
      return { before: now };
    case 'today':
      return { from: startOfAgencyDay(today), before: startOfAgencyDay(addDays(today, 1)) };
    case 'week': {
      // ISO weeks: Monday to Sunday.
      const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
      const monday = addDays(today, -weekday);
      return { from: startOfAgencyDay(monday), before: startOfAgencyDay(addDays(monday, 7)) };
    }
    case 'none':
      return 'none';
  }
}

/** How urgent a due date is at `now`: overdue, due within two calendar days ("soon"), or later. */
export type DueUrgency =
  | { kind: 'overdue'; daysOverdue: number }
  | { kind: 'soon'; daysLeft: 0 | 1 | 2 }
  | { kind: 'later'; daysLeft: number };

/** Days within which an open task "stands out" as due soon. */
export const DUE_SOON_DAYS = 2;

export function dueUrgency(due: Date, now: Date): DueUrgency {
  const days = agencyDaysBetween(now, due);
  if (due.getTime() < now.getTime()) return { kind: 'overdue', daysOverdue: Math.max(0, -days) };
  if (days <= DUE_SOON_DAYS) return { kind: 'soon', daysLeft: days <= 0 ? 0 : days === 1 ? 1 : 2 };
  return { kind: 'later', daysLeft: days };
}

/** Camunda's task priority 0–100 (default 50) in three words, with the number kept alongside. */
export type PriorityLevel = 'high' | 'normal' | 'low';

export function priorityLevel(priority: number): PriorityLevel {
  if (priority > 66) return 'high';
  if (priority < 34) return 'low';
  return 'normal';
}

// ── Text search ──────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The free text as a PostgreSQL `to_tsquery` input: every word a prefix (`halle:*`), all words required.
 * Only letters and digits reach it, so no text can inject tsquery operators; undefined when no word is left.
 */
export function prefixTsQuery(text: string): string | undefined {
  const words = text.match(/[\p{L}\p{N}]+/gu)?.slice(0, 8) ?? [];
  return words.length > 0 ? words.map((word) => `${word.toLowerCase()}:*`).join(' & ') : undefined;
}

/** `%text%` for ILIKE, with the pattern characters of the text taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}
