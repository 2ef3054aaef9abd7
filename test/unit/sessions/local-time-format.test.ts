// The export's local times (csv.ts localTimeFormatter: arithmetic per day, luxon only on the
// days a zone changes its offset) are luxon's, to the second, across DST changes and zones.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { localTimeFormatter } from '../../../src-main/sessions/csv';

const ZONES = ['Australia/Sydney', 'Australia/Perth', 'Australia/Lord_Howe', 'Pacific/Chatham'];
const luxon = (ms: number, zone: string) =>
  DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd HH:mm:ss');

describe('the export’s local time', () => {
  it('is luxon’s for any moment and zone, in any order', () => {
    const format = localTimeFormatter();
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2032, 0, 1) }),
        fc.constantFrom(...ZONES),
        (ms, zone) => format(ms, zone) === luxon(ms, zone),
      ),
      { numRuns: 5000 },
    );
  });

  it('is right every minute around Sydney’s DST changes, second by second at the jump', () => {
    const format = localTimeFormatter();
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
