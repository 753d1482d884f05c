import { describe, expect, it } from 'vitest';
import { addDuration, nextInCycle, parseCycle, parseDateTime, parseDuration, scheduleTimer } from './timers.js';

const at = '2025-01-31T09:00:00.000Z';

describe('ISO-8601 durations', () => {
  it.each([
    { text: 'PT5M', due: '2025-01-31T09:05:00.000Z' },
    { text: 'PT1H30M', due: '2025-01-31T10:30:00.000Z' },
    { text: 'PT0.5S', due: '2025-01-31T09:00:00.500Z' },
    { text: 'P5D', due: '2025-02-05T09:00:00.000Z' },
    { text: 'P2W', due: '2025-02-14T09:00:00.000Z' },
    { text: 'P1DT12H', due: '2025-02-01T21:00:00.000Z' },
    // Calendar months keep the day where it exists, else take the month's last day
    { text: 'P1M', due: '2025-02-28T09:00:00.000Z' },
    { text: 'P1Y1M', due: '2026-02-28T09:00:00.000Z' },
    { text: 'P13M', due: '2026-02-28T09:00:00.000Z' },
  ])('$text after $at is $due', ({ text, due }) => {
    const duration = parseDuration(text);

    expect(duration.ok && addDuration(at, duration.value)).toBe(due);
  });

  it('adds a month on 29 February of a leap year to 29 March', () => {
    const duration = parseDuration('P1M');

    expect(duration.ok && addDuration('2024-02-29T00:00:00Z', duration.value)).toBe('2024-03-29T00:00:00.000Z');
  });

  it.each(['5 days', 'P', 'PT', 'P1.5D', '-P1D', 'P1H', ''])('rejects "%s"', (text) => {
    expect(parseDuration(text).ok).toBe(false);
  });
});

describe('ISO-8601 date-times', () => {
  it.each([
    { text: '2025-03-10T12:00:00Z', instant: '2025-03-10T12:00:00.000Z' },
    { text: '2025-03-10T12:00:00+01:00', instant: '2025-03-10T11:00:00.000Z' },
    { text: '2025-03-10T12:00+02:00', instant: '2025-03-10T10:00:00.000Z' },
    { text: '2025-03-10T12:00:00.250-05:00', instant: '2025-03-10T17:00:00.250Z' },
  ])('reads $text as $instant', ({ text, instant }) => {
    const parsed = parseDateTime(text);

    expect(parsed.ok && new Date(parsed.value).toISOString()).toBe(instant);
  });

  it.each([
    { text: '2025-03-10', hint: '' },
    { text: '2025-03-10T12:00:00', hint: '' },
    { text: '2025-03-10T12:00:00@Europe/Berlin', hint: ' (use an offset like +01:00 instead of a zone name)' },
    { text: '2025-13-40T12:00:00Z', hint: '' },
  ])('rejects $text: an offset is required', ({ text, hint }) => {
    expect(parseDateTime(text)).toEqual({
      ok: false,
      message: `"${text}" is not an ISO-8601 date-time with offset like 2025-03-01T09:00:00+01:00${hint}`,
    });
  });
});

describe('ISO-8601 repeating intervals', () => {
  it.each([
    { text: 'R3/P1D', cycle: { repetitions: 3, interval: 'P1D' } },
    { text: 'R/PT1H', cycle: { interval: 'PT1H' } },
    { text: 'R1/P5D', cycle: { repetitions: 1, interval: 'P5D' } },
  ])('reads $text', ({ text, cycle }) => {
    expect(parseCycle(text)).toEqual({ ok: true, value: cycle });
  });

  it.each([
    { text: '0 0 9 * * ?', message: 'is not an ISO-8601 repeating interval' },
    { text: 'R3/2025-01-01T00:00:00Z/P1D', message: 'a start date in a cycle is not supported' },
    { text: 'R0/P1D', message: 'repeats zero times' },
    { text: 'R/PT0S', message: 'is zero' },
    { text: 'R3/P1X', message: 'is not an ISO-8601 duration' },
  ])('rejects $text', ({ text, message }) => {
    const parsed = parseCycle(text);

    expect(!parsed.ok && parsed.message).toContain(message);
  });

  it('schedules the first firing one interval after the start and counts the remaining repetitions down', () => {
    const first = scheduleTimer('cycle', 'R3/P1D', at);
    expect(first).toEqual({
      ok: true,
      value: { dueAt: '2025-02-01T09:00:00.000Z', cycle: { interval: 'P1D', remaining: 2 } },
    });

    const second = first.ok
      ? nextInCycle(first.value.cycle ?? { interval: '' }, '2025-02-01T09:00:02.000Z')
      : undefined;
    expect(second).toEqual({ dueAt: '2025-02-02T09:00:02.000Z', cycle: { interval: 'P1D', remaining: 1 } });
    const third = second?.cycle && nextInCycle(second.cycle, '2025-02-02T09:00:02.000Z');
    expect(third).toEqual({ dueAt: '2025-02-03T09:00:02.000Z', cycle: { interval: 'P1D', remaining: 0 } });
    expect(third?.cycle && nextInCycle(third.cycle, '2025-02-03T09:00:02.000Z')).toBeUndefined();
  });

  it('an unbounded cycle never runs out', () => {
    expect(nextInCycle({ interval: 'P5D' }, at)).toEqual({
      dueAt: '2025-02-05T09:00:00.000Z',
      cycle: { interval: 'P5D' },
    });
  });
});
