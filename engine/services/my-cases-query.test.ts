import { describe, expect, it } from 'vitest';
import {
  decodeCursor,
  encodeCursor,
  myCasesSearch,
  needsAction,
  pageFromRows,
  pagePlanOf,
  parseMyCasesQuery,
} from './my-cases-query.js';

const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const AT = (n: number) => `2026-12-0${Math.floor(n / 10) + 1}T09:00:${String(n % 60).padStart(2, '0')}.000001Z`;
const row = (n: number) => ({ id: ID(n), cursorAt: AT(n) });

describe('parseMyCasesQuery', () => {
  it('takes every filter the form sends, trimmed; the sort defaults to the last change', () => {
    expect(
      parseMyCasesQuery({
        status: 'action',
        service: 'general-inquiry',
        q: '  WF-2026 ',
        from: '2026-12-01',
        to: '2026-12-08',
      }),
    ).toEqual({
      query: {
        status: 'action',
        service: 'general-inquiry',
        q: 'WF-2026',
        from: '2026-12-01',
        to: '2026-12-08',
        sort: 'changed',
      },
      errors: [],
    });
  });

  it.each([
    [{ status: 'urgent' }, 'status', 'mycases.error.status'],
    [{ service: '../etc' }, 'service', 'mycases.error.service'],
    [{ q: 'x'.repeat(101) }, 'q', 'mycases.error.qTooLong'],
    [{ from: '2026-02-30' }, 'from', 'mycases.error.date'],
    [{ to: '8.12.2026' }, 'to', 'mycases.error.date'],
    [{ from: '2026-12-08', to: '2026-12-01' }, 'to', 'mycases.error.toBeforeFrom'],
    [{ sort: 'name' }, 'sort', 'mycases.error.sort'],
  ])('%o is refused at the field %s', (params, field, key) => {
    const { query, errors } = parseMyCasesQuery(params);
    expect(errors).toEqual([{ field, key }]);
    // The wrong value never reaches the query (a wrong sort falls back to the default).
    expect(Object.values(query)).not.toContain(Object.values(params).at(-1));
  });

  it('ignores parameters given twice (arrays) and empty ones', () => {
    expect(parseMyCasesQuery({ status: ['open', 'closed'], q: '', service: '  ' })).toEqual({
      query: { sort: 'changed' },
      errors: [],
    });
  });

  it('drops a cursor made for the other sort or forged, and keeps one made for this sort', () => {
    const cursor = encodeCursor('started', { at: AT(1), id: ID(1) });
    expect(parseMyCasesQuery({ sort: 'started', after: cursor }).query.after).toBe(cursor);
    expect(parseMyCasesQuery({ after: cursor }).query.after).toBeUndefined();
    expect(parseMyCasesQuery({ before: 'bm90IGpzb24' }).query.before).toBeUndefined();
  });
});

describe('cursors', () => {
  it('round-trip, and refuse anything that is not a microsecond time with a uuid', () => {
    const cursor = { at: AT(3), id: ID(3) };
    expect(decodeCursor(encodeCursor('changed', cursor), 'changed')).toEqual(cursor);
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    expect(decodeCursor(forged(['changed', "2026' or 1=1", ID(3)]), 'changed')).toBeUndefined();
    expect(decodeCursor(forged(['changed', AT(3), 'x']), 'changed')).toBeUndefined();
    expect(decodeCursor(forged(['changed', '2026-12-01T09:00:00.000Z', ID(3)]), 'changed')).toBeUndefined();
  });
});

describe('myCasesSearch', () => {
  it('writes the parameters in a fixed order, leaving out the default sort and empty values', () => {
    expect(myCasesSearch({ sort: 'changed', q: 'Halle', status: 'open' }, { after: 'abc' })).toBe(
      'status=open&q=Halle&after=abc',
    );
    expect(myCasesSearch({ sort: 'started', after: 'abc' }, { after: undefined })).toBe('sort=started');
  });
});

describe('pagePlanOf', () => {
  it('turns days of the agency’s calendar into instants: "to" includes that whole day (Berlin, winter time)', () => {
    const plan = pagePlanOf({ sort: 'changed', from: '2026-12-01', to: '2026-12-08' }, 2);
    expect(plan.startedFrom?.toISOString()).toBe('2026-11-30T23:00:00.000Z');
    expect(plan.startedBefore?.toISOString()).toBe('2026-12-08T23:00:00.000Z');
    expect(plan.limit).toBe(3);
  });

  it('searches number and subject with the text taken literally', () => {
    expect(pagePlanOf({ sort: 'changed', q: '100%_' }).contains).toBe('%100\\%\\_%');
  });

  it('reads older rows after an `after` cursor, newer rows before a `before` cursor', () => {
    const cursor = { at: AT(5), id: ID(5) };
    expect(pagePlanOf({ sort: 'changed', after: encodeCursor('changed', cursor) })).toMatchObject({
      direction: 'older',
      cursor,
    });
    expect(pagePlanOf({ sort: 'changed', before: encodeCursor('changed', cursor) })).toMatchObject({
      direction: 'newer',
      cursor,
    });
  });
});

describe('pageFromRows (page size 2)', () => {
  const top = pagePlanOf({ sort: 'changed' }, 2);

  it('the top page: an "older" link when a row is beyond, no "newer" link', () => {
    const page = pageFromRows(top, [row(9), row(8), row(7)]);
    expect(page.rows).toEqual([row(9), row(8)]);
    expect(page.older && decodeCursor(page.older, 'changed')).toEqual({ at: AT(8), id: ID(8) });
    expect(page.newer).toBeUndefined();
  });

  it('the last page: no "older" link', () => {
    const plan = pagePlanOf({ sort: 'changed', after: encodeCursor('changed', { at: AT(8), id: ID(8) }) }, 2);
    const page = pageFromRows(plan, [row(7)]);
    expect(page.rows).toEqual([row(7)]);
    expect(page.older).toBeUndefined();
    expect(page.newer && decodeCursor(page.newer, 'changed')).toEqual({ at: AT(7), id: ID(7) });
  });

  it('going back: rows read nearest first are turned round; a row beyond means a "newer" link again', () => {
    const plan = pagePlanOf({ sort: 'changed', before: encodeCursor('changed', { at: AT(7), id: ID(7) }) }, 2);
    const page = pageFromRows(plan, [row(8), row(9), row(10)]);
    expect(page.rows).toEqual([row(9), row(8)]);
    expect(page.newer && decodeCursor(page.newer, 'changed')).toEqual({ at: AT(9), id: ID(9) });
    expect(page.older && decodeCursor(page.older, 'changed')).toEqual({ at: AT(8), id: ID(8) });
  });

  it('back at the top: no "newer" link', () => {
    const plan = pagePlanOf({ sort: 'changed', before: encodeCursor('changed', { at: AT(7), id: ID(7) }) }, 2);
    expect(pageFromRows(plan, [row(8), row(9)]).newer).toBeUndefined();
  });
});

describe('needsAction', () => {
  it.each([
    [{ openTasks: 0, unreadMessages: 0 }, false],
    [{ openTasks: 1, unreadMessages: 0 }, true],
    [{ openTasks: 0, unreadMessages: 2 }, true],
  ])('%o → %s', (action, expected) => {
    expect(needsAction(action)).toBe(expected);
  });
});
