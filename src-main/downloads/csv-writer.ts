// A small CSV writer for the big streamed exports, byte-for-byte what
// `Papa.unparse(rows, { escapeFormulae: true })` writes: papaparse re-checks every field for
// seven quoting conditions (~3.5 µs a 25-field row); here numbers are written as they are and a
// string is scanned once. Text a spreadsheet would run as a formula (= + - @ tab CR first: a card
// label, a resident's name, or a stop reason a charger sent) gets an apostrophe in front and
// quotes, as our residents export does, so opening the file in Excel never runs it
// (test/unit/downloads/csv-writer.test.ts proves the equality against papaparse itself).

export type CsvCell = string | number | null | undefined;

/** Papaparse quotes a field holding the delimiter, the quote, CR, LF or a byte order mark
 *  (its BAD_DELIMITERS), or starting or ending with a space. */
const NEEDS_QUOTES = /[",\r\n\ufeff]|^ | $/;
const QUOTE = /"/g;
/** Papaparse's `escapeFormulae: true` pattern, quirk included (no line break after the start). */
const FORMULA = /^[=+\-@\t\r].*$/;

export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  if (FORMULA.test(value)) return `"'${value.replace(QUOTE, '""')}"`;
  return NEEDS_QUOTES.test(value) ? `"${value.replace(QUOTE, '""')}"` : value;
}

/** One record, without its line end (papaparse's CRLF goes between and after records). */
export function csvLine(cells: readonly CsvCell[]): string {
  let line = cells.length > 0 ? csvField(cells[0]) : '';
  for (let i = 1; i < cells.length; i++) line += ',' + csvField(cells[i]);
  return line;
}
