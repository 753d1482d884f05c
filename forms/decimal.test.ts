import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareDecimal,
  decimalOfNumber,
  formatDecimal,
  isMultipleOf,
  neighbouringMultiples,
  parseDecimal,
  toNumber,
} from './decimal.js';

const read = (text: string) => {
  const decimal = parseDecimal(text);
  if (decimal === undefined) throw new Error(`not a number: ${text}`);
  return decimal;
};

describe('parseDecimal', () => {
  it.each([
    ['12', '12'],
    ['12,5', '12.5'],
    ['12.5', '12.5'],
    ['-0,50', '-0.5'],
    ['1.234,56', '1234.56'],
    ['1.234', '1.234'],
    [' 7 ', '7'],
    ['1 000,5', '1000.5'],
    ['-0', '0'],
  ])('reads %o as %s', (text, expected) => {
    expect(formatDecimal(read(text))).toBe(expected);
  });

  // '0.000,0': found by the property test — no German grouping starts with a 0 group.
  it.each(['', 'zwölf', '1e3', '1,2,3', '1.23.4', '12,', ',5', 'Infinity', '0x10', '1'.repeat(61), '0.000,0'])(
    'rejects %o',
    (text) => {
      expect(parseDecimal(text)).toBeUndefined();
    },
  );
});

describe('decimal arithmetic', () => {
  it('is exact where floating point is not', () => {
    expect(isMultipleOf(read('0.3'), read('0.1'))).toBe(true);
    expect(isMultipleOf(read('0.35'), read('0.1'))).toBe(false);
    expect(compareDecimal(read('0.1'), read('0.10'))).toBe(0);
  });

  it('finds the neighbouring multiples, also below zero', () => {
    expect(neighbouringMultiples(read('12.25'), read('0.5')).map((decimal) => formatDecimal(decimal))).toEqual([
      '12',
      '12.5',
    ]);
    expect(neighbouringMultiples(read('-2.5'), read('1')).map((decimal) => formatDecimal(decimal))).toEqual([
      '-3',
      '-2',
    ]);
  });

  it('reads every finite number, exponent notation included', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const decimal = decimalOfNumber(value);

        expect(decimal).toBeDefined();
        expect(toNumber(decimal ?? read('0'))).toBe(value === 0 ? 0 : value);
      }),
    );
  });

  it('formats with a German comma when asked', () => {
    expect(formatDecimal(read('-1234.5'), ',')).toBe('-1234,5');
  });
});
