// Reading an uploaded CSV (residents, payments) with each record's row number as a spreadsheet
// shows the file: the header is row 1 and a blank line is a row too. papaparse's
// skipEmptyLines would drop blank lines before numbering, so a problem after one was reported a
// row (or more) too early; here blank records are skipped after they are numbered.
import Papa from 'papaparse';

export interface CsvRecord {
  /** The row a spreadsheet shows it on. */
  row: number;
  values: Record<string, string>;
  /** papaparse's complaints about this record (too few or too many fields, bad quotes). */
  errors: string[];
}

const LOST_CHARACTER =
  'A character on this row was lost reading the file (it shows as �): save the file from Excel as “CSV UTF-8 (Comma delimited)” and choose it again.';

function plainWords(e: Papa.ParseError): string {
  switch (e.code) {
    case 'TooManyFields':
      return 'This row has more cells than the header has columns (a comma inside a value that is not in quotes, e.g. 1,234.56?).';
    case 'TooFewFields':
      return 'This row has fewer cells than the header has columns.';
    case 'MissingQuotes':
    case 'InvalidQuotes':
      return 'A quoted cell on this row is not closed, or has a stray quote (").';
    default:
      return e.message;
  }
}

export function parseCsvRecords(
  csv: string,
  transformHeader: (header: string) => string,
): { fields: string[]; records: CsvRecord[] } {
  const parsed = Papa.parse<Record<string, unknown>>(csv.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: false,
    transformHeader,
  });
  const errors = new Map<number, string[]>();
  for (const e of parsed.errors) {
    if (e.row === undefined) continue;
    errors.set(e.row, [...(errors.get(e.row) ?? []), plainWords(e)]);
  }
  const records: CsvRecord[] = [];
  parsed.data.forEach((raw, i) => {
    const values: Record<string, string> = {};
    let blank = true;
    for (const [key, value] of Object.entries(raw)) {
      const text = Array.isArray(value) ? value.join('') : String(value ?? '');
      if (text.trim() !== '') blank = false;
      if (key !== '__parsed_extra') values[key] = text;
    }
    // A character the file's reader could not decode (a Windows-1252 file read as UTF-8 by a
    // script): importing it would store the name mangled.
    const lost = Object.values(values).some((v) => v.includes('\uFFFD'));
    const own = errors.get(i) ?? [];
    if (lost) own.push(LOST_CHARACTER);
    // Only one record per line unless a quoted cell holds a line break: row = index + 2.
    if (!blank) records.push({ row: i + 2, values, errors: own });
  });
  return { fields: parsed.meta.fields ?? [], records };
}
