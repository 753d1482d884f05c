/**
 * Exact decimal numbers for the number field: `0.3` is a multiple of `0.1` here, which binary floating
 * point disagrees with. Pure (BigInt only); also runs inside the case workflow.
 */
import type { Locale } from './model.js';

/** `(negative ? -1 : 1) × units / 10^scale`, normalized: no trailing zeros after the point, zero is not negative. */
export interface Decimal {
  negative: boolean;
  units: bigint;
  scale: number;
}

const MAX_TEXT_LENGTH = 60;

// `12`, `12.5`, `12,5` (German decimal comma), `1.234,5` (German grouping, only together with a comma:
// `1.234` alone is one point two three four, the JSON and JavaScript reading). A first group never starts
// with 0 (`0.000,5` is no grouping in German either).
const PLAIN = /^([+-]?)(\d+)(?:[.,](\d+))?$/;
const GERMAN_GROUPED = /^([+-]?)([1-9]\d{0,2}(?:\.\d{3})+),(\d+)$/;

/** Reads a number as people type it; undefined when the text is not one. */
export function parseDecimal(text: string): Decimal | undefined {
  const trimmed = text.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (trimmed === '' || trimmed.length > MAX_TEXT_LENGTH) return undefined;
  const match = PLAIN.exec(trimmed) ?? GERMAN_GROUPED.exec(trimmed);
  if (!match) return undefined;
  const [, sign = '', whole = '', fraction = ''] = match;
  return normalize(sign === '-', BigInt(whole.replaceAll('.', '') + fraction), fraction.length);
}

/**
 * A number typed by a person: the decimal, or why it is refused. `format` means the text has the
 * characters of a number but not a shape the locale reads unambiguously (`1.00.0`, `12.5` in German,
 * `50.000` without a locale): the message names the expected format instead of guessing.
 */
export type NumberReading = { ok: true; decimal: Decimal } | { ok: false; problem: 'notANumber' | 'format' };

const NUMBER_CHARACTERS = /^[+-]?[\d.,]+$/;
// Per locale: plain digits with an optional decimal part, or digits grouped in threes from a first group
// that does not start with 0 (`0.125` is no German grouping), with an optional decimal part.
const LOCALE_SHAPES: Record<Locale, { plain: RegExp; grouped: RegExp; group: string }> = {
  de: {
    plain: /^([+-]?)(\d+)(?:,(\d+))?$/,
    grouped: /^([+-]?)([1-9]\d{0,2}(?:\.\d{3})+)(?:,(\d+))?$/,
    group: '.',
  },
  en: {
    plain: /^([+-]?)(\d+)(?:\.(\d+))?$/,
    grouped: /^([+-]?)([1-9]\d{0,2}(?:,\d{3})+)(?:\.(\d+))?$/,
    group: ',',
  },
};
// Without a locale, one separator before exactly three digits ending in 0 (`50.000`, `1,500`) is how
// people group thousands, and our own output never looks like that (it has no trailing zeros): refused.
const AMBIGUOUS_GROUPING = /^[+-]?[1-9]\d{0,2}[.,]\d{2}0$/;
// Several groups of the same separator can only be grouping (`1.000.000`, `1,000,000`).
const ONLY_GROUPS = /^([+-]?)([1-9]\d{0,2}(?:([.,])\d{3})(?:\3\d{3})+)$/;
const ENGLISH_GROUPED = /^([+-]?)([1-9]\d{0,2}(?:,\d{3})+)\.(\d+)$/;

/**
 * Reads a number as a person typed it. With a locale, that locale's reading only: German `.` groups and
 * `,` is the decimal separator (`1.000.000`, `50.000`, `3,5`, `1.000,50`), English the other way round.
 * Without a locale, the reading of `parseDecimal` (data: JSON, our own output, a German comma), plus
 * what can only be grouping (`1.000.000`, `1,234.5`); shapes that read differently in German and English
 * and that only people type (`50.000`) are refused. Spaces group in every locale.
 */
export function readNumberText(text: string, locale?: Locale): NumberReading {
  const trimmed = text.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (trimmed === '' || trimmed.length > MAX_TEXT_LENGTH || !NUMBER_CHARACTERS.test(trimmed)) {
    return { ok: false, problem: 'notANumber' };
  }
  const format = { ok: false, problem: 'format' } as const;
  if (locale) {
    const shapes = LOCALE_SHAPES[locale];
    const match = shapes.plain.exec(trimmed) ?? shapes.grouped.exec(trimmed);
    if (!match) return format;
    const [, sign = '', whole = '', fraction = ''] = match;
    return { ok: true, decimal: fromParts(sign, whole.replaceAll(shapes.group, ''), fraction) };
  }
  if (AMBIGUOUS_GROUPING.test(trimmed)) return format;
  const data = parseDecimal(trimmed);
  if (data) return { ok: true, decimal: data };
  const groups = ONLY_GROUPS.exec(trimmed);
  if (groups) {
    const [, sign = '', whole = '', separator = ''] = groups;
    return { ok: true, decimal: fromParts(sign, whole.replaceAll(separator, ''), '') };
  }
  const english = ENGLISH_GROUPED.exec(trimmed);
  if (english) {
    const [, sign = '', whole = '', fraction = ''] = english;
    return { ok: true, decimal: fromParts(sign, whole.replaceAll(',', ''), fraction) };
  }
  return format;
}

function fromParts(sign: string, digits: string, fraction: string): Decimal {
  return normalize(sign === '-', BigInt(digits + fraction), fraction.length);
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
