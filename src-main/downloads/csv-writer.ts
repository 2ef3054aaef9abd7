// A small CSV writer for the big streamed exports, byte-for-byte what
// `Papa.unparse(rows, { escapeFormulae: true, delimiter })` writes: papaparse re-checks every
// field for seven quoting conditions (~3.5 µs a 25-field row); here numbers are written as they
// are and a string is scanned once. Text a spreadsheet would run as a formula (= + - @ tab CR
// first: a card label, a resident's name, or a stop reason a charger sent) gets an apostrophe in
// front and quotes, as our residents export does, so opening the file in Excel never runs it
// (test/unit/downloads/csv-writer.test.ts proves the equality against papaparse itself).
//
// A `CsvLiteral` is text we formatted ourselves from a number or a date (an accounting export's
// "-12.30" for a credit, "01/04/2026"): it is quoted when it must be, but never given the
// apostrophe, so amounts stay numbers for the accounting package.

export interface CsvLiteral {
  literal: string;
}
export type CsvCell = string | number | null | undefined | CsvLiteral;

/** The delimiters the exports write: comma (the default), semicolon, tab and bar. */
export type CsvDelimiter = ',' | ';' | '\t' | '|';

/** Papaparse quotes a field holding the delimiter, the quote, CR, LF or a byte order mark
 *  (its BAD_DELIMITERS), or starting or ending with a space. */
const NEEDS_QUOTES: Record<CsvDelimiter, RegExp> = {
  ',': /[",\r\n\ufeff]|^ | $/,
  ';': /[";\r\n\ufeff]|^ | $/,
  '\t': /["\t\r\n\ufeff]|^ | $/,
  '|': /["|\r\n\ufeff]|^ | $/,
};
const QUOTE = /"/g;
/** Papaparse's `escapeFormulae: true` pattern, quirk included (no line break after the start). */
const FORMULA = /^[=+\-@\t\r].*$/;

export const csvLiteral = (text: string): CsvLiteral => ({ literal: text });

export function csvField(value: CsvCell, delimiter: CsvDelimiter = ','): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object') {
    const text = value.literal;
    return NEEDS_QUOTES[delimiter].test(text) ? `"${text.replace(QUOTE, '""')}"` : text;
  }
  if (FORMULA.test(value)) return `"'${value.replace(QUOTE, '""')}"`;
  return NEEDS_QUOTES[delimiter].test(value) ? `"${value.replace(QUOTE, '""')}"` : value;
}

/** One record, without its line end (papaparse's CRLF goes between and after records). */
export function csvLine(cells: readonly CsvCell[], delimiter: CsvDelimiter = ','): string {
  let line = cells.length > 0 ? csvField(cells[0], delimiter) : '';
  for (let i = 1; i < cells.length; i++) line += delimiter + csvField(cells[i], delimiter);
  return line;
}
