import { describe, expect, it } from 'vitest';
import {
  agencyDaysBetween,
  containsPattern,
  decodeCursor,
  dueRange,
  dueUrgency,
  encodeCursor,
  inboxSearch,
  parseInboxQuery,
  prefixTsQuery,
  priorityLevel,
  savedFilterSearch,
  sortValueOf,
  startOfAgencyDay,
} from './inbox-query.js';

const ID = '0b6f3c1e-2a4d-4c5e-9f60-7a8b9c0d1e2f';

describe('parseInboxQuery', () => {
  it('gives the default sort (due date, ascending) and nothing else for no parameters', () => {
    expect(parseInboxQuery({})).toEqual({ query: { sort: 'due', dir: 'asc' }, rejected: [] });
  });

  it('takes every valid parameter, trimmed', () => {
    const { query, rejected } = parseInboxQuery({
      view: 'groups',
      sort: 'priority',
      dir: 'desc',
      service: 'general-inquiry',
      task: ' prüfen ',
      due: 'week',
      status: 'waiting',
      company: 'Metallbau',
      assignee: 'Jonas.Weber@Example.org',
      q: 'Halle',
      unknown: 'ignored',
    });
    expect(rejected).toEqual([]);
    expect(query).toEqual({
      view: 'groups',
      sort: 'priority',
      dir: 'desc',
      service: 'general-inquiry',
      task: 'prüfen',
      due: 'week',
      status: 'waiting',
      company: 'Metallbau',
      assignee: 'jonas.weber@example.org',
      q: 'Halle',
    });
  });

  it.each([
    ['view', 'everything'],
    ['sort', 'name'],
    ['dir', 'up'],
    ['service', '../etc'],
    ['due', 'yesterday'],
    ['status', 'done'],
    ['assignee', 'not an email'],
    ['after', 'not/a+cursor'],
    ['q', 'x'.repeat(201)],
  ])('drops %s=%j and names it', (name, value) => {
    const { query, rejected } = parseInboxQuery({ [name]: value });
    expect(rejected).toEqual([name]);
    expect(query).toEqual({ sort: 'due', dir: 'asc' });
  });

  it('drops repeated parameters (arrays) instead of picking one', () => {
    expect(parseInboxQuery({ q: ['a', 'b'] }).rejected).toEqual(['q']);
  });

  it('treats empty values (an untouched form field) as absent', () => {
    expect(parseInboxQuery({ q: '', service: '', due: '', assignee: '  ' })).toEqual({
      query: { sort: 'due', dir: 'asc' },
      rejected: [],
    });
  });
});

describe('inboxSearch and savedFilterSearch', () => {
  it('writes parameters in a fixed order and leaves the default sort out', () => {
    const { query } = parseInboxQuery({ dir: 'asc', q: 'Halle', view: 'all', sort: 'due', due: 'overdue' });
    expect(inboxSearch(query)).toBe('view=all&q=Halle&due=overdue');
  });

  it('round-trips through the parser', () => {
    const { query } = parseInboxQuery({ view: 'mine', sort: 'created', dir: 'desc', company: 'Müller & Söhne' });
    expect(parseInboxQuery(Object.fromEntries(new URLSearchParams(inboxSearch(query)))).query).toEqual(query);
  });

  it('a saved filter keeps no page position', () => {
    const after = encodeCursor('due', 'asc', { value: null, id: ID });
    expect(savedFilterSearch({ sort: 'due', dir: 'asc', q: 'x', after })).toBe('q=x');
  });
});

describe('keyset cursor', () => {
  it.each([
    ['due', 'asc', '2026-12-07T10:00:00.000Z'],
    ['due', 'desc', null],
    ['followUp', 'asc', null],
    ['priority', 'desc', 80],
    ['created', 'asc', '2026-01-02T03:04:05.678Z'],
  ] as const)('round-trips (%s, %s, %j)', (sort, dir, value) => {
    expect(decodeCursor(encodeCursor(sort, dir, { value, id: ID }), sort, dir)).toEqual({ value, id: ID });
  });

  it('is refused for another sort or direction: the page starts at the top', () => {
    const cursor = encodeCursor('due', 'asc', { value: null, id: ID });
    expect(decodeCursor(cursor, 'due', 'desc')).toBeUndefined();
    expect(decodeCursor(cursor, 'priority', 'asc')).toBeUndefined();
  });

  const forged = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
  it.each([
    ['not base64 JSON', 'due', 'bm90IGpzb24'],
    ['a forged id', 'due', forged(['due', 'asc', null, "x' or 1=1"])],
    ['a text priority', 'priority', forged(['priority', 'asc', '80', ID])],
    ['a date that is none', 'due', forged(['due', 'asc', 'tomorrow', ID])],
    ['no creation time', 'created', forged(['created', 'asc', null, ID])],
  ] as const)('rejects %s', (_name, sort, text) => {
    expect(decodeCursor(text, sort, 'asc')).toBeUndefined();
  });

  it('takes the sort value from the row', () => {
    const task = {
      dueDate: null,
      followUpDate: new Date('2026-12-09T08:00:00Z'),
      priority: 70,
      createdAt: new Date('2026-12-01T08:00:00Z'),
    };
    expect(sortValueOf(task, 'due')).toBeNull();
    expect(sortValueOf(task, 'followUp')).toBe('2026-12-09T08:00:00.000Z');
    expect(sortValueOf(task, 'priority')).toBe(70);
    expect(sortValueOf(task, 'created')).toBe('2026-12-01T08:00:00.000Z');
  });
});

describe('days in the agency time zone', () => {
  it('starts a winter day at 23:00 UTC and a summer day at 22:00 UTC the evening before', () => {
    expect(startOfAgencyDay('2026-12-07').toISOString()).toBe('2026-12-06T23:00:00.000Z');
    expect(startOfAgencyDay('2026-07-01').toISOString()).toBe('2026-06-30T22:00:00.000Z');
  });

  it('gets the days the clocks change right', () => {
    expect(startOfAgencyDay('2026-03-29').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfAgencyDay('2026-03-30').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(startOfAgencyDay('2026-10-25').toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(startOfAgencyDay('2026-10-26').toISOString()).toBe('2026-10-25T23:00:00.000Z');
  });

  it('counts calendar days in Berlin, not 24-hour spans', () => {
    // 23:30 UTC on the 7th is already the 8th in Berlin.
    expect(agencyDaysBetween(new Date('2026-12-07T22:59:00Z'), new Date('2026-12-07T23:30:00Z'))).toBe(1);
    expect(agencyDaysBetween(new Date('2026-12-07T08:00:00Z'), new Date('2026-12-07T20:00:00Z'))).toBe(0);
  });
});

describe('dueRange', () => {
  // Monday, 7 December 2026, 10:00 in Berlin.
  const now = new Date('2026-12-07T09:00:00Z');

  it('overdue: due before now', () => {
    expect(dueRange('overdue', now)).toEqual({ before: now });
  });

  it('today: the agency day', () => {
    expect(dueRange('today', now)).toEqual({
      from: new Date('2026-12-06T23:00:00Z'),
      before: new Date('2026-12-07T23:00:00Z'),
    });
  });

  it('this week: Monday to Sunday, also when today is a Sunday', () => {
    const week = { from: new Date('2026-12-06T23:00:00Z'), before: new Date('2026-12-13T23:00:00Z') };
    expect(dueRange('week', now)).toEqual(week);
    expect(dueRange('week', new Date('2026-12-13T20:00:00Z'))).toEqual(week);
  });

  it('none: no due date', () => {
    expect(dueRange('none', now)).toBe('none');
  });
});

describe('dueUrgency', () => {
  const now = new Date('2026-12-07T09:00:00Z');

  it.each([
    ['three days ago', '2026-12-04T09:00:00Z', { kind: 'overdue', daysOverdue: 3 }],
    ['yesterday evening', '2026-12-06T18:00:00Z', { kind: 'overdue', daysOverdue: 1 }],
    ['earlier today', '2026-12-07T07:00:00Z', { kind: 'overdue', daysOverdue: 0 }],
    ['later today', '2026-12-07T15:00:00Z', { kind: 'soon', daysLeft: 0 }],
    ['tomorrow', '2026-12-08T08:00:00Z', { kind: 'soon', daysLeft: 1 }],
    ['the day after tomorrow', '2026-12-09T22:00:00Z', { kind: 'soon', daysLeft: 2 }],
    ['in three days', '2026-12-10T09:00:00Z', { kind: 'later', daysLeft: 3 }],
  ])('due %s', (_name, due, expected) => {
    expect(dueUrgency(new Date(due), now)).toEqual(expected);
  });
});

describe('priorityLevel', () => {
  it.each([
    [0, 'low'],
    [33, 'low'],
    [34, 'normal'],
    [50, 'normal'],
    [66, 'normal'],
    [67, 'high'],
    [100, 'high'],
  ])('%i is %s', (priority, level) => {
    expect(priorityLevel(priority)).toBe(level);
  });
});

describe('text search inputs', () => {
  it('makes every word a prefix and lets no tsquery operator through', () => {
    expect(prefixTsQuery('Halle erweitern')).toBe('halle:* & erweitern:*');
    expect(prefixTsQuery("Müller's & | ! (x) <-> y:*")).toBe('müller:* & s:* & x:* & y:*');
    expect(prefixTsQuery('!!! ---')).toBeUndefined();
  });

  it('takes %, _ and \\ in a contains pattern literally', () => {
    expect(containsPattern('50%_a\\b')).toBe('%50\\%\\_a\\\\b%');
  });
});
