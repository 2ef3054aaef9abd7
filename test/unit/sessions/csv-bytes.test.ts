// The export writes its figures and times as bytes, digit by digit (csv-bytes.ts), instead of
// toFixed and luxon per row: each must be exactly what those give. Local times: arithmetic per
// day, luxon only on the days a zone changes its offset, to the second, across DST changes and
// zones. Figures: minutes with one decimal and kWh with three, toFixed's rounding included.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { CsvBytes } from '../../../src-main/sessions/csv-bytes';

const ZONES = ['Australia/Sydney', 'Australia/Perth', 'Australia/Lord_Howe', 'Pacific/Chatham'];
const luxon = (ms: number, zone: string) =>
  DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd HH:mm:ss');

/** What one writer call wrote, as text. */
function written(o: CsvBytes, write: (o: CsvBytes) => void): string {
  write(o);
  return o.take().toString('utf8');
}

describe('the export’s local time', () => {
  it('is luxon’s for any moment and zone, in any order', () => {
    const o = new CsvBytes(64);
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2032, 0, 1) }),
        fc.constantFrom(...ZONES),
        (ms, zone) => written(o, (w) => w.time(ms, zone)) === luxon(ms, zone),
      ),
      { numRuns: 5000 },
    );
  });

  it('is right every minute around Sydney’s DST changes, second by second at the jump', () => {
    const o = new CsvBytes(64);
    const format = (ms: number | null, zone: string | null) => written(o, (w) => w.time(ms, zone));
    // 5 April 2026 03:00 AEDT → 02:00 AEST (16:00 UTC the day before); 4 October 2026
    // 02:00 AEST → 03:00 AEDT (16:00 UTC on 3 October).
    for (const change of [Date.UTC(2026, 3, 4, 16), Date.UTC(2026, 9, 3, 16)]) {
      for (let ms = change - 86_400_000; ms < change + 86_400_000; ms += 60_000) {
        expect(format(ms, 'Australia/Sydney')).toBe(luxon(ms, 'Australia/Sydney'));
      }
      for (let ms = change - 5_000; ms < change + 5_000; ms += 1000) {
        expect(format(ms, 'Australia/Sydney')).toBe(luxon(ms, 'Australia/Sydney'));
      }
    }
    expect(format(null, 'Australia/Sydney')).toBe('');
    expect(format(Date.UTC(2026, 0, 1, 13, 5, 9), null)).toBe('2026-01-01 13:05:09');
  });
});

describe('the export’s figures', () => {
  // Durations and readings as they come (whole ms and Wh, sometimes negative, fractional from a
  // meter that keeps fractions, huge), with the exact halves where toFixed's rounding is subtle.
  const whole = fc.oneof(
    fc.integer({ min: 0, max: 30 * 86_400_000 }),
    fc.integer({ min: 0, max: 10_000 }).map((k) => k * 6000 + 3000), // x.x5 minutes exactly
    fc.integer({ min: -2_000_000, max: 2_000_000 }),
    fc.constantFrom(0, -0, 1, 999, 1000, 1001, -1, -999, -1000, 2 ** 40 - 1, 2 ** 40, 2 ** 53),
  );
  const any = fc.oneof(whole, fc.double({ min: -1e7, max: 1e7, noNaN: true }));

  it('minutes are (ms / 60000).toFixed(1)', () => {
    const o = new CsvBytes(64);
    fc.assert(
      fc.property(any, (ms) => written(o, (w) => w.minutes(ms)) === (ms / 60_000).toFixed(1)),
      { numRuns: 20_000 },
    );
    expect(written(o, (w) => w.minutes(null))).toBe('');
  });

  it('kWh are (wh / 1000).toFixed(3)', () => {
    const o = new CsvBytes(64);
    fc.assert(
      fc.property(any, (wh) => written(o, (w) => w.kwh(wh)) === (wh / 1000).toFixed(3)),
      { numRuns: 20_000 },
    );
    expect(written(o, (w) => w.kwh(null))).toBe('');
  });

  it('numbers are String(n), and a chunk grows past its size for a long value', () => {
    const o = new CsvBytes(64);
    fc.assert(
      fc.property(any, (n) => written(o, (w) => w.number(n)) === String(n)),
      { numRuns: 20_000 },
    );
    const long = 'Zoë 😀 '.repeat(100);
    expect(
      written(o, (w) => {
        w.number(12);
        w.comma();
        w.text(long);
      }),
    ).toBe(`12,${long}`);
  });
});
