import { agencyToday } from '../engine/case/today.js';
import { startOfAgencyDay } from '../engine/services/inbox-query.js';

const HOUR_MS = 3_600_000;

/** The agency's date (YYYY-MM-DD) `days` after today's. */
function agencyDate(days: number, now: Date): string {
  const [year, month, day] = agencyToday(now).split('-').map(Number);
  return new Date(Date.UTC(year!, month! - 1, day! + days)).toISOString().slice(0, 10);
}

/**
 * Noon of the agency's day `days` from today: a due date that reads "morgen" (or "seit 3 Tagen") whatever
 * the hour the test runs, where `now + 1 day` would become "heute" once Berlin's midnight has passed.
 */
export function agencyNoon(days: number, now = new Date()): Date {
  return new Date(startOfAgencyDay(agencyDate(days, now)).getTime() + 12 * HOUR_MS);
}

/**
 * Waits out the agency's day when fewer than `minutes` of it are left, so that a file's fixtures and its
 * last assertion see the same "today" (a CI run once began at 23:59 in Berlin). Call it first in `beforeAll`,
 * with a hook timeout above `minutes`.
 */
export async function clearOfAgencyMidnight(minutes = 5): Promise<void> {
  const now = new Date();
  const left = startOfAgencyDay(agencyDate(1, now)).getTime() - now.getTime();
  if (left > minutes * 60_000) return;
  console.log(`Waiting ${Math.ceil(left / 1000)} s for the agency's midnight, so that "today" stays one day.`);
  await new Promise((resolve) => setTimeout(resolve, left + 1000));
}
