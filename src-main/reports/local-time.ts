// Grouping UTC timestamps by the site's local calendar, in SQL, correctly across daylight saving.
//
// Method: over any period a zone's UTC offset is piecewise constant; it changes only at the
// zone's transitions (twice a year in Sydney). luxon lists the pieces for the period, and the SQL
// adds the piece's offset to each UTC timestamp with one CASE (`localMs`), which makes it "local
// epoch ms": integer-dividing that by a day gives the local calendar day, its remainder the local
// hour. No per-row calls into JavaScript, so SQLite groups a quarter's sessions in one scan.
// Rolling days up into weeks and months happens afterwards on the (few) day rows.
import { DateTime, IANAZone } from 'luxon';
import { sql, type SQL } from 'drizzle-orm';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** A stretch of time with one UTC offset: it applies to timestamps before `until`. */
export interface OffsetPiece {
  until: number;
  offsetMs: number;
}

const offsetAt = (zone: string, at: number) => DateTime.fromMillis(at, { zone }).offset * 60_000;

/** The offset pieces of `zone` over [from, to): the last piece's `until` is Infinity. */
export function offsetPieces(zone: string, from: number, to: number): OffsetPiece[] {
  if (!IANAZone.isValidZone(zone)) throw new Error(`Unknown time zone "${zone}".`);
  const pieces: OffsetPiece[] = [];
  let current = offsetAt(zone, from);
  // Transitions are far more than 6 hours apart; probing every 6 hours finds each one, and a
  // binary search between the probes pins it to the millisecond.
  const step = 6 * HOUR_MS;
  for (let a = from; a < to; a += step) {
    const b = Math.min(a + step, to);
    const next = offsetAt(zone, b);
    if (next === current) continue;
    let lo = a;
    let hi = b; // offsetAt(lo) === current, offsetAt(hi) === next
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetAt(zone, mid) === current) lo = mid;
      else hi = mid;
    }
    pieces.push({ until: hi, offsetMs: current });
    current = next;
  }
  pieces.push({ until: Infinity, offsetMs: current });
  return pieces;
}

/** SQL for `column` (UTC epoch ms) as local epoch ms in the zone the pieces describe. */
export function localMs(column: SQL | string, pieces: OffsetPiece[]): SQL {
  const col = typeof column === 'string' ? sql.raw(column) : column;
  const last = pieces[pieces.length - 1];
  if (!last) throw new Error('no offset pieces');
  if (pieces.length === 1) return sql`(${col} + ${last.offsetMs})`;
  const whens = pieces.slice(0, -1).map((p) => sql`WHEN ${col} < ${p.until} THEN ${p.offsetMs}`);
  return sql`(${col} + CASE ${sql.join(whens, sql` `)} ELSE ${last.offsetMs} END)`;
}

/** The UTC bounds [from, to) of local dates `fromDate`..`toDate` (inclusive, YYYY-MM-DD). */
export function localDateRange(
  zone: string,
  fromDate: string,
  toDate: string,
): { from: number; to: number } {
  const from = DateTime.fromISO(fromDate, { zone }).startOf('day');
  const to = DateTime.fromISO(toDate, { zone }).plus({ days: 1 }).startOf('day');
  if (!from.isValid || !to.isValid) throw new Error('invalid date');
  return { from: from.toMillis(), to: to.toMillis() };
}

/** A local day number (local epoch ms ÷ a day) as its date, YYYY-MM-DD. */
export const dayDate = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** ISO weekday of a local day number: 1 = Monday ... 7 = Sunday (1970-01-01 was a Thursday). */
export const dayWeekday = (day: number) => ((day + 3) % 7) + 1;

/** The Monday starting the ISO week of a local day number, as a day number. */
export const weekStart = (day: number) => day - (dayWeekday(day) - 1);
