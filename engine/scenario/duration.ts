/** ISO-8601 durations for `INCREASE_TIME` (pure). */

const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * `P3D`, `PT1H30M`, `P1DT12H`, `PT0.5S` → milliseconds. Like Java's `Duration.parse`, which CPT uses, a day is
 * 24 hours and years and months are refused: they have no fixed length. Throws with a message for the user.
 */
export function parseDuration(text: string): number {
  const value = text.trim().toUpperCase();
  const match = DURATION.exec(value);
  if (!match || value.endsWith('T') || match.slice(1).every((part) => part === undefined)) {
    if (/^P(?:\d+Y|(?:\d+Y)?\d+M)/.test(value)) {
      throw new Error(`"${text}": years and months have no fixed length; give the duration in days (P30D)`);
    }
    throw new Error(`"${text}" is no ISO-8601 duration (examples: PT1H, P3D, P1DT12H)`);
  }
  const [, weeks, days, hours, minutes, seconds] = match;
  const number = (part: string | undefined) => (part === undefined ? 0 : Number(part.replace(',', '.')));
  return Math.round(
    number(weeks) * 7 * DAY +
      number(days) * DAY +
      number(hours) * HOUR +
      number(minutes) * MINUTE +
      number(seconds) * SECOND,
  );
}
