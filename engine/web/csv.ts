/**
 * CSV for German spreadsheets (pure): UTF-8 with a byte order mark (Excel reads umlauts only with it),
 * `;` between cells (Excel's separator in the German locale, where `,` is the decimal comma), CRLF lines.
 */

/** A spreadsheet runs a cell that starts with one of these as a formula (CSV injection, OWASP). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A cell with one of these must be quoted to stay one cell. */
const NEEDS_QUOTES = /[;"\r\n]|^\s|\s$/;

export const CSV_MEDIA_TYPE = 'text/csv; charset=utf-8';

/** One cell: text that would start a formula gets a leading `'`, then quoted if it holds `;`, quotes or lines. */
export function csvCell(value: string | null | undefined): string {
  let text = value ?? '';
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

type CsvRow = readonly (string | null | undefined)[];

/** Rows as CSV lines, each ended by CRLF: what follows the header when an export streams page by page. */
export function csvLines(rows: readonly CsvRow[]): string {
  return rows.map((cells) => cells.map(csvCell).join(';') + '\r\n').join('');
}

/** The whole file: the byte order mark, the header row, then the rows. */
export function toCsv(header: readonly string[], rows: readonly CsvRow[]): string {
  return '\uFEFF' + csvLines([header, ...rows]);
}
