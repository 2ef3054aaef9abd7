// The sessions CSV: exactly the filtered, sorted view of the sessions page (same filter, sort and
// role scope), every row, streamed. Rows come from a dedicated read-only connection in batches
// (csv-rows.ts; one consistent WAL snapshot; the main connection is never busy while a slow
// client reads), written as bytes (csv-bytes.ts: papaparse's exact output, text escaped once per
// distinct value, numbers and times digit by digit) in 256 KiB Buffers pulled by Readable.from
// with backpressure; destroying the stream (client gone) runs the generator's finally and
// closes the connection. Times are the site's local time as "YYYY-MM-DD HH:MM:SS" (a
// spreadsheet sorts and parses it).
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import type { SessionFilter, SessionSort } from '../../src-shared/api/methods/sessions';
import { csvField, csvLine } from '../downloads/csv-writer';
import { whereOf, type SessionScope } from './query';
import { CsvBytes } from './csv-bytes';
import { exportRows, type ExportRow } from './csv-rows';

/** Bytes per chunk pushed to the stream (256 KiB): big enough that the per-chunk cost of the
 *  stream is nothing, small enough that memory stays flat. */
const CHUNK_BYTES = 1 << 18;

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

const NOTHING = Buffer.alloc(0);

/** Names of the few stations, sites, accounts, cards and residents, read once per export and
 *  already escaped for the CSV: joining (or escaping) them per row would cost more than the rest
 *  of the row. */
function lookups(db: Database.Database) {
  const map = <V>(sql: string, escape: (v: unknown[]) => V) =>
    new Map(
      (db.prepare(sql).raw().all() as [number, ...unknown[]][]).map(([k, ...v]) => [k, escape(v)]),
    );
  const text = (v: unknown) => Buffer.from(csvField(v as string | null));
  return {
    stations: map('SELECT id, name, site_id FROM stations', (v): [Buffer, number] => [
      text(v[0]),
      v[1] as number,
    ]),
    sites: map('SELECT id, name, time_zone FROM sites', (v): [Buffer, string] => [
      text(v[0]),
      v[1] as string,
    ]),
    accounts: map('SELECT id, lot_number, unit_number FROM accounts', (v): [Buffer, Buffer] => [
      text(v[0]),
      text(v[1]),
    ]),
    cards: map('SELECT id, label, resident_id FROM cards', (v): [Buffer, number | null] => [
      text(v[0]),
      v[1] as number | null,
    ]),
    residents: map("SELECT id, first_name || ' ' || last_name FROM residents", (v) => text(v[0])),
    /** A session's own text (charge box id, card number, stop reason, flag): few distinct values
     *  repeat over millions of rows, so each is escaped once (at most 50,000 kept). */
    own: (() => {
      const seen = new Map<string, Buffer>();
      return (v: string | null): Buffer => {
        if (v === null) return NOTHING;
        let e = seen.get(v);
        if (e === undefined) {
          e = Buffer.from(csvField(v));
          if (seen.size < 50_000) seen.set(v, e);
        }
        return e;
      };
    })(),
  };
}

/** One session as a CSV line, with its line end: numbers, figures and times written digit by
 *  digit, text as bytes escaped once (the lookups; csvField, once per distinct value); the flag's
 *  reason (free text, mostly distinct) is escaped per row. */
function writeRow(o: CsvBytes, r: ExportRow, l: ReturnType<typeof lookups>): void {
  const station = r[1] === null ? undefined : l.stations.get(r[1]);
  const site = station ? l.sites.get(station[1]) : undefined;
  const zone = site ? site[1] : null;
  const card = r[5] === null ? undefined : l.cards.get(r[5]);
  const resident = card && card[1] !== null ? l.residents.get(card[1]) : undefined;
  const account = r[6] === null ? undefined : l.accounts.get(r[6]);
  const duration = r[8] === null ? null : r[8] - r[7];
  const energy = r[11] === null ? null : r[11] - r[10];
  o.number(r[0]);
  o.comma();
  if (site) o.bytes(site[0]);
  o.comma();
  if (station) o.bytes(station[0]);
  o.comma();
  o.bytes(l.own(r[2]));
  o.comma();
  o.number(r[3]);
  o.comma();
  o.bytes(l.own(r[4]));
  o.comma();
  if (card) o.bytes(card[0]);
  o.comma();
  if (resident) o.bytes(resident);
  o.comma();
  if (account) o.bytes(account[0]);
  o.comma();
  if (account) o.bytes(account[1]);
  o.comma();
  o.time(r[7], zone);
  o.comma();
  o.time(r[8], zone);
  o.comma();
  o.minutes(duration);
  o.comma();
  o.minutes(r[9]);
  o.comma();
  o.number(r[10]);
  o.comma();
  o.number(r[11]);
  o.comma();
  o.kwh(energy);
  o.comma();
  if (energy !== null && duration !== null && duration > 0) {
    o.number(Math.round((energy * 3_600_000) / duration));
  }
  o.comma();
  o.bytes(l.own(r[12]));
  o.comma();
  o.bytes(l.own(r[13]));
  o.comma();
  if (r[14] !== null) o.text(csvField(r[14]));
  o.comma();
  o.bytes(l.own(r[15]));
  o.comma();
  o.bytes(l.own(r[16]));
  o.comma();
  if (r[17] === 1) o.bytes(YES);
  o.comma();
  o.number(r[18]);
  o.byte(13);
  o.byte(10);
}

const YES = Buffer.from('yes');

export function streamSessionsCsv(opts: {
  file: string;
  nativeBinding?: string;
  filter: SessionFilter;
  scope: SessionScope;
  sort: SessionSort;
  dir: 'asc' | 'desc';
}): Readable {
  const where = whereOf(opts.filter, opts.scope, opts.sort);
  function* chunks(): Generator<Buffer> {
    const reader = new Database(opts.file, {
      readonly: true,
      fileMustExist: true,
      ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    });
    try {
      // One snapshot for the lookups and the rows.
      reader.exec('BEGIN');
      const l = lookups(reader);
      // BOM so Excel (what strata managers open CSVs with) reads UTF-8 names correctly.
      const o = new CsvBytes(CHUNK_BYTES);
      o.text('\ufeff' + csvLine(SESSION_CSV_COLUMNS) + '\r\n');
      for (const row of exportRows(reader, where, opts.sort, opts.dir)) {
        writeRow(o, row, l);
        if (o.length >= CHUNK_BYTES) yield o.take();
      }
      if (o.length > 0) yield o.take();
    } finally {
      reader.close();
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}
