/**
 * Exact decimal numbers for the number field: `0.3` is a multiple of `0.1` here, which binary floating
 * point disagrees with. Pure (BigInt only); also runs inside the case workflow.
 */

/** `(negative ? -1 : 1) × units / 10^scale`, normalized: no trailing zeros after the point, zero is not negative. */
export interface Decimal {
  negative: boolean;
  units: bigint;
  scale: number;
}

const MAX_TEXT_LENGTH = 60;

// `12`, `12.5`, `12,5` (German decimal comma), `1.234,5` (German grouping, only together with a comma:
// `1.234` alone is one point two three four, the JSON and JavaScript reading).
const PLAIN = /^([+-]?)(\d+)(?:[.,](\d+))?$/;
const GERMAN_GROUPED = /^([+-]?)(\d{1,3}(?:\.\d{3})+),(\d+)$/;

/** Reads a number as people type it; undefined when the text is not one. */
export function parseDecimal(text: string): Decimal | undefined {
  const trimmed = text.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (trimmed === '' || trimmed.length > MAX_TEXT_LENGTH) return undefined;
  const match = PLAIN.exec(trimmed) ?? GERMAN_GROUPED.exec(trimmed);
  if (!match) return undefined;
  const [, sign = '', whole = '', fraction = ''] = match;
  return normalize(sign === '-', BigInt(whole.replaceAll('.', '') + fraction), fraction.length);
}

/** A finite JavaScript number as a decimal (exponent notation included); undefined for NaN and ±Infinity. */
export function decimalOfNumber(value: number): Decimal | undefined {
  if (!Number.isFinite(value)) return undefined;
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
  if (!match) return undefined;
  const [, sign = '', whole = '', fraction = '', exponentText = '0'] = match;
  const exponent = Number(exponentText);
  const units = BigInt(whole + fraction);
  const scale = fraction.length - exponent;
  return scale >= 0 ? normalize(sign === '-', units, scale) : normalize(sign === '-', units * 10n ** BigInt(-scale), 0);
}

function normalize(negative: boolean, units: bigint, scale: number): Decimal {
  let normalizedUnits = units;
  let normalizedScale = scale;
  while (normalizedScale > 0 && normalizedUnits % 10n === 0n) {
    normalizedUnits /= 10n;
    normalizedScale--;
  }
  return { negative: negative && normalizedUnits !== 0n, units: normalizedUnits, scale: normalizedScale };
}

/** `-12.5`; with `','` as separator `-12,5`. Never exponent notation. */
export function formatDecimal(decimal: Decimal, separator: '.' | ',' = '.'): string {
  const digits = decimal.units.toString().padStart(decimal.scale + 1, '0');
  const whole = digits.slice(0, digits.length - decimal.scale);
  const fraction = digits.slice(digits.length - decimal.scale);
  return `${decimal.negative ? '-' : ''}${whole}${fraction === '' ? '' : separator + fraction}`;
}

export function toNumber(decimal: Decimal): number {
  return Number(formatDecimal(decimal));
}

function signed(decimal: Decimal, scale: number): bigint {
  const units = decimal.units * 10n ** BigInt(scale - decimal.scale);
  return decimal.negative ? -units : units;
}

export function compareDecimal(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const scale = Math.max(a.scale, b.scale);
  const left = signed(a, scale);
  const right = signed(b, scale);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Whether `value` is a whole multiple of `step` (counted from zero, as in form-js). */
export function isMultipleOf(value: Decimal, step: Decimal): boolean {
  const scale = Math.max(value.scale, step.scale);
  const divisor = signed(step, scale);
  return divisor === 0n || signed(value, scale) % divisor === 0n;
}

/** The nearest multiples of `step` below and above `value`, for the error message. */
export function neighbouringMultiples(value: Decimal, step: Decimal): [Decimal, Decimal] {
  const scale = Math.max(value.scale, step.scale);
  const units = signed(value, scale);
  const divisor = signed(step, scale);
  if (divisor <= 0n) return [value, value];
  let lower = (units / divisor) * divisor;
  if (lower > units) lower -= divisor;
  const make = (total: bigint) => normalize(total < 0n, total < 0n ? -total : total, scale);
  return [make(lower), make(lower + divisor)];
}
