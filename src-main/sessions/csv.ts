// The sessions CSV: exactly the filtered, sorted view of the sessions page (same query, same role
// scope), every row, streamed. Rows come from a dedicated read-only connection with
// stmt.iterate() (one consistent WAL snapshot; the main connection is never busy while a slow
// client reads), 1,000 at a time through papaparse, pulled by Readable.from with backpressure;
// destroying the stream (client gone) runs the generator's finally and closes the connection.
// Times are the site's local time as "YYYY-MM-DD HH:MM:SS" (a spreadsheet sorts and parses it).
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { DateTime } from 'luxon';
import Papa from 'papaparse';
import type { SessionFilter, SessionSort } from '../../src-shared/api/methods/sessions';
import { EXPORT_COLUMNS, selectSql, whereOf, type SessionScope } from './query';

const BATCH = 1000;

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

/**
 * Local time of `ms` in `zone` as "YYYY-MM-DD HH:MM:SS". luxon per row would cap the export
 * well under 200,000 rows/s: the zone's offset is looked up at the start and end of each UTC
 * day; when they agree (every day but the two DST changes) the day's times are plain
 * arithmetic, otherwise luxon answers for that row.
 */
export function localTimeFormatter() {
  const zones = new Map<string, Map<number, number | null>>();
  const offsetAt = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).offset * 60_000;
  return (ms: number | null, zone: string | null): string => {
    if (ms === null) return '';
    const z = zone ?? 'UTC';
    const day = Math.floor(ms / 86_400_000);
    let days = zones.get(z);
    if (!days) zones.set(z, (days = new Map()));
    let offset = days.get(day);
    if (offset === undefined) {
      const start = offsetAt(day * 86_400_000, z);
      offset = start === offsetAt(day * 86_400_000 + 86_399_999, z) ? start : null;
      days.set(day, offset);
    }
    const iso = new Date(ms + (offset ?? offsetAt(ms, z))).toISOString();
    return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  };
}

const minutes = (ms: number | null) => (ms === null ? '' : (ms / 60_000).toFixed(1));

type Cell = string | number | null;
/** A row of EXPORT_COLUMNS (query.ts), in raw (array) mode. */
type ExportRow = [
  id: number,
  stationId: number | null,
  identity: string,
  connector: number,
  idTag: string,
  cardId: number | null,
  accountId: number | null,
  startedAt: number,
  stoppedAt: number | null,
  idleMs: number | null,
  meterStartWh: number,
  meterStopWh: number | null,
  stopReason: string | null,
  flag: string | null,
  flagReason: string | null,
  review: string | null,
  reviewAction: string | null,
  excluded: number | null,
  correctedStopWh: number | null,
  sortKey: number,
];

/** Names of the few stations, sites, accounts, cards and residents, read once per export:
 *  joining them per row would cost more than the rest of the row. */
function lookups(db: Database.Database) {
  const map = <V>(sql: string) =>
    new Map(
      (db.prepare(sql).raw().all() as [number, ...unknown[]][]).map(([k, ...v]) => [k, v as V]),
    );
  return {
    stations: map<[string, number]>('SELECT id, name, site_id FROM stations'),
    sites: map<[string, string]>('SELECT id, name, time_zone FROM sites'),
    accounts: map<[string, string | null]>('SELECT id, lot_number, unit_number FROM accounts'),
    cards: map<[string | null, number | null]>('SELECT id, label, resident_id FROM cards'),
    residents: map<[string]>("SELECT id, first_name || ' ' || last_name FROM residents"),
  };
}

function exportRecord(
  r: ExportRow,
  l: ReturnType<typeof lookups>,
  time: ReturnType<typeof localTimeFormatter>,
): Cell[] {
  const station = r[1] === null ? undefined : l.stations.get(r[1]);
  const site = station ? l.sites.get(station[1]) : undefined;
  const zone = site ? site[1] : null;
  const card = r[5] === null ? undefined : l.cards.get(r[5]);
  const resident = card && card[1] !== null ? l.residents.get(card[1]) : undefined;
  const account = r[6] === null ? undefined : l.accounts.get(r[6]);
  const duration = r[8] === null ? null : r[8] - r[7];
  const energy = r[11] === null ? null : r[11] - r[10];
  return [
    r[0],
    site ? site[0] : '',
    station ? station[0] : '',
    r[2],
    r[3],
    r[4],
    card ? card[0] : '',
    resident ? resident[0] : '',
    account ? account[0] : '',
    account ? account[1] : '',
    time(r[7], zone),
    time(r[8], zone),
    minutes(duration),
    minutes(r[9]),
    r[10],
    r[11],
    energy === null ? '' : (energy / 1000).toFixed(3),
    energy !== null && duration !== null && duration > 0
      ? Math.round((energy * 3_600_000) / duration)
      : '',
    r[12],
    r[13],
    r[14],
    r[15],
    r[16],
    r[17] === 1 ? 'yes' : '',
    r[18],
  ];
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
  const query = selectSql(where, opts.sort, opts.dir, null, null, EXPORT_COLUMNS);
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
      yield '\ufeff' + Papa.unparse([[...SESSION_CSV_COLUMNS]]) + '\r\n';
      let batch: Cell[][] = [];
      const rows = reader
        .prepare(query.text)
        .raw()
        .iterate(...query.params) as Iterable<ExportRow>;
      for (const row of rows) {
        batch.push(exportRecord(row, l, time));
        if (batch.length === BATCH) {
          yield Papa.unparse(batch) + '\r\n';
          batch = [];
        }
      }
      if (batch.length > 0) yield Papa.unparse(batch) + '\r\n';
    } finally {
      reader.close();
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}
