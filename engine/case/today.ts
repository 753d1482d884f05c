/**
 * Today's date (YYYY-MM-DD) in the agency's time zone: what "a date in the past" means for a form.
 * Pure: the caller passes the moment (a request's clock, or workflow time inside a workflow).
 */
export function agencyToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(now);
}
