// The exports' own CSV writer must write exactly what papaparse (as the exports configured it:
// its defaults, formula escaping off) wrote before, byte for byte, for any text and numbers.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Papa from 'papaparse';
import { csvField, csvLine, type CsvCell } from '../../../src-main/downloads/csv-writer';

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
const papaFile = (rows: CsvCell[][]) => Papa.unparse(rows as unknown[][], { escapeFormulae: true });
const ourFile = (rows: CsvCell[][]) => rows.map(csvLine).join('\r\n');

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
