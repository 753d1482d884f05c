/**
 * ISO-8601 for timer events and task dates: durations (`PT5M`, `P5D`, `P1Y2M`), date-times with offset
 * (`2025-03-01T09:00:00+01:00`) and repeating intervals (`R3/P1D`, `R/P1D`). Pure arithmetic on the time the
 * event carries; the interpreter has no clock. In model/ because the compiler checks timer values and the
 * interpreter schedules them (model/ sits below the interpreter).
 */

export interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

export interface Cycle {
  /** How often the timer fires in total; absent: without end (`R/…`). */
  repetitions?: number;
  /** The duration between firings, as written. */
  interval: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

// An offset is required: a date-time without one would mean the server's zone, which is not part of the model.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const MILLIS = { weeks: 604_800_000, days: 86_400_000, hours: 3_600_000, minutes: 60_000, seconds: 1000 } as const;

export function parseDuration(text: string): Parsed<Duration> {
  const match = DURATION.exec(text.trim());
  if (match === null || text.trim() === 'P' || text.trim().endsWith('T')) {
    return { ok: false, message: `"${text}" is not an ISO-8601 duration like PT5M, P5D or P1M` };
  }
  const [years, months, weeks, days, hours, minutes] = match.slice(1, 7).map((part) => Number(part ?? 0));
  const seconds = Number((match[7] ?? '0').replace(',', '.'));
  return {
    ok: true,
    value: {
      years: years ?? 0,
      months: months ?? 0,
      weeks: weeks ?? 0,
      days: days ?? 0,
      hours: hours ?? 0,
      minutes: minutes ?? 0,
      seconds,
    },
  };
}

/** Checks a date-time and returns it as an instant in milliseconds. */
export function parseDateTime(text: string): Parsed<number> {
  const trimmed = text.trim();
  const match = DATE_TIME.exec(trimmed);
  const millis = match === null ? Number.NaN : Date.parse(trimmed);
  if (match === null || Number.isNaN(millis)) {
    const hint = trimmed.includes('@') ? ' (use an offset like +01:00 instead of a zone name)' : '';
    return {
      ok: false,
      message: `"${text}" is not an ISO-8601 date-time with offset like 2025-03-01T09:00:00+01:00${hint}`,
    };
  }
  return { ok: true, value: millis };
}

export function parseCycle(text: string): Parsed<Cycle> {
  const parts = text.trim().split('/');
  const [repeat, interval] = parts;
  if (parts.length !== 2 || repeat === undefined || interval === undefined || !/^R\d*$/.test(repeat)) {
    const hint = parts.length === 3 ? ' (a start date in a cycle is not supported)' : '';
    return {
      ok: false,
      message: `"${text}" is not an ISO-8601 repeating interval like R3/P1D or R/PT1H${hint}; cron is not supported`,
    };
  }
  const duration = parseDuration(interval);
  if (!duration.ok) {
    return duration;
  }
  if (isZero(duration.value)) {
    return { ok: false, message: `the interval of the cycle "${text}" is zero` };
  }
  const repetitions = repeat === 'R' ? undefined : Number(repeat.slice(1));
  if (repetitions === 0) {
    return { ok: false, message: `the cycle "${text}" repeats zero times` };
  }
  return { ok: true, value: { ...(repetitions !== undefined && { repetitions }), interval } };
}

/**
 * `from` plus the duration, as an ISO instant in UTC. Years and months are calendar steps that keep the day of
 * the month where it exists and otherwise take the month's last day (31 January + P1M = 28 February), as
 * java.time does for Zeebe.
 */
export function addDuration(from: string | number, duration: Duration): string {
  const start = new Date(from);
  const totalMonths = duration.years * 12 + duration.months;
  if (totalMonths !== 0) {
    const day = start.getUTCDate();
    start.setUTCDate(1);
    start.setUTCMonth(start.getUTCMonth() + totalMonths);
    start.setUTCDate(Math.min(day, daysInMonth(start.getUTCFullYear(), start.getUTCMonth())));
  }
  const millis =
    duration.weeks * MILLIS.weeks +
    duration.days * MILLIS.days +
    duration.hours * MILLIS.hours +
    duration.minutes * MILLIS.minutes +
    Math.round(duration.seconds * MILLIS.seconds);
  return new Date(start.getTime() + millis).toISOString();
}

export type TimerType = 'duration' | 'date' | 'cycle';

export interface TimerSchedule {
  dueAt: string;
  cycle?: { interval: string; remaining?: number };
}

/** When a timer started at `at` is due, from its (already evaluated) ISO-8601 text. */
export function scheduleTimer(timerType: TimerType, text: string, at: string): Parsed<TimerSchedule> {
  switch (timerType) {
    case 'duration': {
      const duration = parseDuration(text);
      return duration.ok ? { ok: true, value: { dueAt: addDuration(at, duration.value) } } : duration;
    }
    case 'date': {
      const date = parseDateTime(text);
      return date.ok ? { ok: true, value: { dueAt: new Date(date.value).toISOString() } } : date;
    }
    case 'cycle': {
      const cycle = parseCycle(text);
      if (!cycle.ok) {
        return cycle;
      }
      const { repetitions, interval } = cycle.value;
      const dueAt = addDuration(at, expectDuration(interval));
      const remaining = repetitions === undefined ? undefined : repetitions - 1;
      return { ok: true, value: { dueAt, cycle: { interval, ...(remaining !== undefined && { remaining }) } } };
    }
  }
}

/** The next firing of a cycle timer that fired at `at`, or undefined when it has no repetitions left. */
export function nextInCycle(cycle: { interval: string; remaining?: number }, at: string): TimerSchedule | undefined {
  if (cycle.remaining !== undefined && cycle.remaining <= 0) {
    return undefined;
  }
  const remaining = cycle.remaining === undefined ? undefined : cycle.remaining - 1;
  return {
    dueAt: addDuration(at, expectDuration(cycle.interval)),
    cycle: { interval: cycle.interval, ...(remaining !== undefined && { remaining }) },
  };
}

/** Checks a static timer value at compile time; returns the problem, if any. */
export function timerValueProblem(timerType: TimerType, text: string): string | undefined {
  const parsed =
    timerType === 'duration' ? parseDuration(text) : timerType === 'date' ? parseDateTime(text) : parseCycle(text);
  return parsed.ok ? undefined : parsed.message;
}

/** Intervals stored in a cycle were parsed when the timer started. */
function expectDuration(text: string): Duration {
  const parsed = parseDuration(text);
  if (!parsed.ok) {
    throw new Error(parsed.message);
  }
  return parsed.value;
}

function isZero(duration: Duration): boolean {
  return Object.values(duration).every((part) => part === 0);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}
