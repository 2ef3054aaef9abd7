// The sessions CSV: exactly the filtered, sorted view of the sessions page (same filter, sort and
// role scope), every row, streamed. Rows come from a dedicated read-only connection in batches
// (csv-rows.ts; one consistent WAL snapshot; the main connection is never busy while a slow
// client reads), written by our CSV writer (papaparse's exact output, without its per-field
// checks) in ~256 KiB chunks pulled by Readable.from with backpressure;
// destroying the stream (client gone) runs the generator's finally and closes the connection.
// Times are the site's local time as "YYYY-MM-DD HH:MM:SS" (a spreadsheet sorts and parses it).
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { DateTime } from 'luxon';
import type { SessionFilter, SessionSort } from '../../src-shared/api/methods/sessions';
import { csvField, csvLine } from '../downloads/csv-writer';
import { whereOf, type SessionScope } from './query';
import { exportRows, type ExportRow } from './csv-rows';

/** Characters per chunk pushed to the stream (~256 KiB): big enough that the per-chunk cost of
 *  the stream is nothing, small enough that memory stays flat. */
const CHUNK_CHARS = 1 << 18;

export const SESSION_CSV_COLUMNS = [
  'Transaction id',
  'Site',
  'Station',
  'Charge box id',
  'Connector',
  'Card',
  'Card label',
  'Resident',
  'Lot',
  'Unit',
  'Start (site time)',
  'Stop (site time)',
  'Duration (min)',
  'Occupied after charging (min)',
  'Meter start (Wh)',
  'Meter stop (Wh)',
  'Energy (kWh)',
  'Average power (W)',
  'Stop reason',
  'Flag',
  'Flag reason',
  'Review',
  'Review decision',
  'Excluded from billing',
  'Corrected stop reading (Wh)',
] as const;

/** "00".."59". */
const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const DAY_MS = 86_400_000;

/**
 * Local time of `ms` in `zone` as "YYYY-MM-DD HH:MM:SS". luxon (or even Date#toISOString) per
 * row would cap the export well under 200,000 rows/s: the zone's offset is looked up at the
 * start and end of each UTC day; when they agree (every day but the two DST changes) the day's
 * times are plain arithmetic on the local day's date, written once per day; otherwise luxon
 * answers for that row.
 */
export function localTimeFormatter() {
  const zones = new Map<string, Map<number, number | null>>();
  const dates = new Map<number, string>();
  const offsetAt = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).offset * 60_000;
  // Rows come in time order mostly: the last zone and UTC day answer without a lookup.
  let lastZone = '';
  let lastDay = NaN;
  let lastOffset: number | null = null;
  return (ms: number | null, zone: string | null): string => {
    if (ms === null) return '';
    const z = zone ?? 'UTC';
    const day = Math.floor(ms / DAY_MS);
    let offset: number | null;
    if (z === lastZone && day === lastDay) {
      offset = lastOffset;
    } else {
      let days = zones.get(z);
      if (!days) zones.set(z, (days = new Map()));
      let known = days.get(day);
      if (known === undefined) {
        const start = offsetAt(day * DAY_MS, z);
        known = start === offsetAt(day * DAY_MS + DAY_MS - 1, z) ? start : null;
        days.set(day, known);
      }
      offset = known;
      lastZone = z;
      lastDay = day;
      lastOffset = known;
    }
    const local = ms + (offset ?? offsetAt(ms, z));
    const localDay = Math.floor(local / DAY_MS);
    let date = dates.get(localDay);
    if (date === undefined) {
      date = new Date(localDay * DAY_MS).toISOString().slice(0, 10) + ' ';
      dates.set(localDay, date);
    }
    const sec = Math.floor((local - localDay * DAY_MS) / 1000);
    const min = Math.floor(sec / 60);
    return `${date}${TWO[Math.floor(min / 60)]}:${TWO[min % 60]}:${TWO[sec % 60]}`;
  };
}

const minutes = (ms: number | null) => (ms === null ? '' : (ms / 60_000).toFixed(1));

/** Names of the few stations, sites, accounts, cards and residents, read once per export and
 *  already escaped for the CSV: joining (or escaping) them per row would cost more than the rest
 *  of the row. */
function lookups(db: Database.Database) {
  const map = <V>(sql: string, escape: (v: unknown[]) => V) =>
    new Map(
      (db.prepare(sql).raw().all() as [number, ...unknown[]][]).map(([k, ...v]) => [k, escape(v)]),
    );
  const text = (v: unknown) => csvField(v as string | null);
  return {
    stations: map('SELECT id, name, site_id FROM stations', (v): [string, number] => [
      text(v[0]),
      v[1] as number,
    ]),
    sites: map('SELECT id, name, time_zone FROM sites', (v): [string, string] => [
      text(v[0]),
      v[1] as string,
    ]),
    accounts: map('SELECT id, lot_number, unit_number FROM accounts', (v): [string, string] => [
      text(v[0]),
      text(v[1]),
    ]),
    cards: map('SELECT id, label, resident_id FROM cards', (v): [string, number | null] => [
      text(v[0]),
      v[1] as number | null,
    ]),
    residents: map("SELECT id, first_name || ' ' || last_name FROM residents", (v) => text(v[0])),
    /** A session's own text (charge box id, card number, stop reason, flag): few distinct values
     *  repeat over millions of rows, so each is escaped once (at most 50,000 kept). */
    own: (() => {
      const seen = new Map<string, string>();
      return (v: string | null): string => {
        if (v === null) return '';
        let e = seen.get(v);
        if (e === undefined) {
          e = csvField(v);
          if (seen.size < 50_000) seen.set(v, e);
        }
        return e;
      };
    })(),
  };
}

/** One session as a CSV line (no line end): numbers and the formatted times and figures are
 *  written as they are (they never need quotes), only text is escaped (csvField, once per
 *  distinct value). The flag's reason (free text, mostly distinct) is escaped per row. */
function exportLine(
  r: ExportRow,
  l: ReturnType<typeof lookups>,
  time: ReturnType<typeof localTimeFormatter>,
): string {
  const station = r[1] === null ? undefined : l.stations.get(r[1]);
  const site = station ? l.sites.get(station[1]) : undefined;
  const zone = site ? site[1] : null;
  const card = r[5] === null ? undefined : l.cards.get(r[5]);
  const resident = card && card[1] !== null ? l.residents.get(card[1]) : undefined;
  const account = r[6] === null ? undefined : l.accounts.get(r[6]);
  const duration = r[8] === null ? null : r[8] - r[7];
  const energy = r[11] === null ? null : r[11] - r[10];
  return (
    r[0] +
    ',' +
    (site ? site[0] : '') +
    ',' +
    (station ? station[0] : '') +
    ',' +
    l.own(r[2]) +
    ',' +
    r[3] +
    ',' +
    l.own(r[4]) +
    ',' +
    (card ? card[0] : '') +
    ',' +
    (resident ?? '') +
    ',' +
    (account ? account[0] : '') +
    ',' +
    (account ? account[1] : '') +
    ',' +
    time(r[7], zone) +
    ',' +
    time(r[8], zone) +
    ',' +
    minutes(duration) +
    ',' +
    minutes(r[9]) +
    ',' +
    r[10] +
    ',' +
    csvField(r[11]) +
    ',' +
    (energy === null ? '' : (energy / 1000).toFixed(3)) +
    ',' +
    (energy !== null && duration !== null && duration > 0
      ? Math.round((energy * 3_600_000) / duration)
      : '') +
    ',' +
    l.own(r[12]) +
    ',' +
    l.own(r[13]) +
    ',' +
    csvField(r[14]) +
    ',' +
    l.own(r[15]) +
    ',' +
    l.own(r[16]) +
    ',' +
    (r[17] === 1 ? 'yes' : '') +
    ',' +
    csvField(r[18])
  );
}

export function streamSessionsCsv(opts: {
  file: string;
  nativeBinding?: string;
  filter: SessionFilter;
  scope: SessionScope;
  sort: SessionSort;
  dir: 'asc' | 'desc';
}): Readable {
  const where = whereOf(opts.filter, opts.scope, opts.sort);
  function* chunks(): Generator<string> {
    const reader = new Database(opts.file, {
      readonly: true,
      fileMustExist: true,
      ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    });
    try {
      // One snapshot for the lookups and the rows.
      reader.exec('BEGIN');
      const l = lookups(reader);
      const time = localTimeFormatter();
      // BOM so Excel (what strata managers open CSVs with) reads UTF-8 names correctly.
      yield '\ufeff' + csvLine(SESSION_CSV_COLUMNS) + '\r\n';
      let chunk = '';
      const rows = exportRows(reader, where, opts.sort, opts.dir);
      for (const row of rows) {
        chunk += exportLine(row, l, time) + '\r\n';
        if (chunk.length >= CHUNK_CHARS) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk.length > 0) yield chunk;
    } finally {
      reader.close();
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}
