// The exports' own CSV writer must write exactly what papaparse (as the exports configured it:
// formula escaping on) writes, byte for byte, for any text and numbers, with any of the
// delimiters an accounting export profile may choose; a literal (an amount we formatted) is
// never given the apostrophe.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Papa from 'papaparse';
import {
  csvField,
  csvLine,
  csvLiteral,
  type CsvCell,
  type CsvDelimiter,
} from '../../../src-main/downloads/csv-writer';

const awkward = fc.constantFrom(
  ',',
  '"',
  '\r',
  '\n',
  '\r\n',
  ' ',
  '\ufeff',
  '=',
  '+',
  '-',
  '@',
  '\t',
  ';',
  '|',
  'é',
  '😀',
  "'",
);
/** Text mixing ordinary characters with the ones CSV quoting is about. */
const text = fc
  .array(fc.oneof(fc.string({ unit: 'grapheme' }), awkward, fc.string({ unit: 'binary' })), {
    maxLength: 6,
  })
  .map((parts) => parts.join(''));
const cell: fc.Arbitrary<CsvCell> = fc.oneof(
  text,
  fc.integer(),
  fc.double(),
  fc.constant(null),
  fc.constant(''),
);
const papaFile = (rows: CsvCell[][], delimiter: CsvDelimiter = ',') =>
  Papa.unparse(rows as unknown[][], { escapeFormulae: true, delimiter });
const ourFile = (rows: CsvCell[][], delimiter: CsvDelimiter = ',') =>
  rows.map((r) => csvLine(r, delimiter)).join('\r\n');

describe('the exports’ CSV writer', () => {
  it('writes exactly what papaparse writes, for any rows of text, numbers and empties', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 1, maxLength: 25 }), { minLength: 1, maxLength: 20 }),
        (rows) => {
          expect(ourFile(rows)).toBe(papaFile(rows));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('writes what papaparse writes with a semicolon, tab or bar between the fields', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<CsvDelimiter>(';', '\t', '|'),
        fc.array(fc.array(cell, { minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 10 }),
        (delimiter, rows) => {
          expect(ourFile(rows, delimiter)).toBe(papaFile(rows, delimiter));
        },
      ),
      { numRuns: 1000 },
    );
    expect(csvLine(['a;b', 'a,b', '=1'], ';')).toBe(`"a;b";a,b;"'=1"`);
  });

  it('writes an amount or a date we formatted as it is: a credit stays a negative number', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), (cents) => {
        const dollars = (cents / 100).toFixed(2);
        const line = csvLine(['=HYPERLINK("x")', csvLiteral(dollars)]);
        const [name, amount] = (Papa.parse<string[]>(line).data[0] ?? []) as string[];
        expect(name).toBe(`'=HYPERLINK("x")`);
        expect(amount).toBe(dollars);
      }),
    );
    expect(csvField(csvLiteral('-12.30'))).toBe('-12.30');
    expect(csvField('-12.30')).toBe(`"'-12.30"`);
    expect(csvField(csvLiteral('1,234.50'))).toBe('"1,234.50"');
    expect(csvField(csvLiteral('1,234.50'), ';')).toBe('1,234.50');
  });

  it('matches papaparse on the cases a spreadsheet user would trip over', () => {
    const rows: CsvCell[][] = [
      ['Smith, J', 'Lot "7"', 'line one\nline two', 'cr\ronly', 'Zoë Ōtaki 😀', '', null, 0, -12.5],
      ['=SUM(A1:A2)', '+61 400 000 000', '-5', '@home', ' leading', 'trailing ', '\ufeffbom', 1e21],
    ];
    expect(ourFile(rows)).toBe(papaFile(rows));
    // What that is, spelled out: quotes only where needed, quotes doubled, and text a
    // spreadsheet would run as a formula behind an apostrophe (a number stays a number).
    expect(csvLine(rows[0] ?? [])).toBe(
      '"Smith, J","Lot ""7""","line one\nline two","cr\ronly",Zoë Ōtaki 😀,,,0,-12.5',
    );
    expect(csvField('=SUM(A1:A2)')).toBe(`"'=SUM(A1:A2)"`);
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField(-5)).toBe('-5');
    expect(csvField(' leading')).toBe('" leading"');
    // And it reads back to the same values.
    expect(Papa.parse(ourFile(rows)).data).toEqual(Papa.parse(papaFile(rows)).data);
  });
});
