import { describe, expect, it } from 'vitest';
import { csvCell, csvLines, toCsv } from './csv.js';

describe('csvCell', () => {
  it.each([
    ['plain text stays as it is', 'Schmidt Metallbau GmbH', 'Schmidt Metallbau GmbH'],
    ['umlauts stay as they are', 'Förderanfrage für Größe', 'Förderanfrage für Größe'],
    ['empty for null', null, ''],
    ['empty for undefined', undefined, ''],
    ['a separator is quoted', 'a;b', '"a;b"'],
    ['quotes are doubled inside quotes', 'sagt "Hallo"', '"sagt ""Hallo"""'],
    ['a line break is quoted', 'Zeile 1\nZeile 2', '"Zeile 1\nZeile 2"'],
    ['leading blanks are quoted (Excel would drop them)', ' eingerückt', '" eingerückt"'],
  ])('%s', (_name, value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it.each([
    ['=', '=HYPERLINK("http://evil.example","klick")', `"'=HYPERLINK(""http://evil.example"",""klick"")"`],
    ['+', '+49 123', "'+49 123"],
    ['-', '-2+3', "'-2+3"],
    ['@', '@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['tab', '\t=1+1', "'\t=1+1"],
    ['carriage return', '\r=1+1', `"'\r=1+1"`],
  ])('a cell starting with %s cannot run as a formula', (_start, value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('a formula sign inside the text is harmless and stays', () => {
    expect(csvCell('Summe = 3')).toBe('Summe = 3');
  });
});

describe('toCsv', () => {
  it('starts with a byte order mark, separates by semicolons and ends every line with CRLF', () => {
    const csv = toCsv(
      ['Vorgang', 'Betreff'],
      [
        ['WF-2026-000001', 'Halle; Neubau'],
        ['WF-2026-000002', null],
      ],
    );
    expect(csv).toBe('\uFEFFVorgang;Betreff\r\nWF-2026-000001;"Halle; Neubau"\r\nWF-2026-000002;\r\n');
  });

  it('an empty result is the header only', () => {
    expect(toCsv(['a', 'b'], [])).toBe('\uFEFFa;b\r\n');
  });
});

describe('csvLines', () => {
  it('continues a file without a second byte order mark (an export written page by page)', () => {
    expect(toCsv(['a'], []) + csvLines([['=1'], ['2']])).toBe("\uFEFFa\r\n'=1\r\n2\r\n");
  });
});
