/** Today's date (YYYY-MM-DD) in the agency's time zone: what "a date in the past" means for a form. */
export function agencyToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(now);
}
