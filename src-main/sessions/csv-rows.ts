// The sessions export's rows, fast: the view's order comes from one query that reads only the
// session ids (off the sort key's index), and the rows' columns are read per batch of ids from
// each table by id RANGE and joined here. Joining in SQL cost three index probes a row (the
// per-session tables: who it is billed to, its review, its occupancy) plus a table lookup in
// start order: ~3.5 µs a row, two thirds of the export. Sessions are numbered as they start, so
// a batch of the view (newest first, by stop, by id) covers a narrow id range and each table is
// read as a run of consecutive rows. A batch whose ids are scattered (sorted by energy, say)
// is read id by id instead: never slower than the join it replaces.
import type Database from 'better-sqlite3';
import type { SessionSort } from '../../src-shared/api/methods/sessions';
import { selectSql, type Sql } from './query';
import type { Cursor } from './sort';

/** A row of the export (csv.ts exportLine), in raw (array) mode. */
export type ExportRow = [
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
];

/** Ids per batch: a few hundred KiB of rows held at once. */
const BATCH = 1024;
/** A batch is read by range when its ids span at most this many times its size. */
const DENSE = 4;

type TRow = [
  id: number,
  stationId: number | null,
  identity: string,
  connector: number,
  idTag: string,
  startedAt: number,
  stoppedAt: number | null,
  meterStartWh: number,
  meterStopWh: number | null,
  stopReason: string | null,
  flag: string | null,
  flagReason: string | null,
];
type SaRow = [id: number, accountId: number | null, cardId: number | null];
type RsRow = [
  id: number,
  accountId: number | null,
  action: string,
  excluded: number,
  meterStopWh: number | null,
  flag: string | null,
  flagReason: string | null,
];
type OccRow = [id: number, idleMs: number | null];

const COLUMNS = {
  t: `id, station_id, identity, connector_number, id_tag, started_at, stopped_at, meter_start_wh,
      coalesce(meter_stop_wh, meter_last_wh), stop_reason, flag, flag_reason FROM transactions`,
  sa: 'transaction_id, account_id, card_id FROM session_accounts',
  rs: `transaction_id, account_id, action, excluded, meter_stop_wh, flag, flag_reason
       FROM session_review_state`,
  o: 'transaction_id, idle_ms FROM session_occupancy',
};
type Table = keyof typeof COLUMNS;

/** The view's rows in its order; `where` is whereOf's filter within the caller's scope. The
 *  same array is refilled for every row: copy a row to keep it. */
export function* exportRows(
  db: Database.Database,
  where: Sql,
  sort: SessionSort,
  dir: 'asc' | 'desc',
): Generator<ExportRow> {
  const prepare = (by: 'range' | 'id') =>
    Object.fromEntries(
      (Object.keys(COLUMNS) as Table[]).map((k) => {
        const key = k === 't' ? 'id' : 'transaction_id';
        const cond = by === 'range' ? `${key} BETWEEN ? AND ?` : `${key} = ?`;
        return [k, db.prepare(`SELECT ${COLUMNS[k]} WHERE ${cond}`).raw()];
      }),
    ) as Record<Table, Database.Statement>;
  const range = prepare('range');
  const one = prepare('id');

  /** Each table's rows of the batch, by id: a dense array over [lo, hi], or a map. */
  function read(ids: number[]) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const id of ids) {
      if (id < lo) lo = id;
      if (id > hi) hi = id;
    }
    if (hi - lo < DENSE * ids.length) {
      const load = <R extends [number, ...unknown[]]>(k: Table) => {
        const byId: (R | undefined)[] = new Array<R | undefined>(hi - lo + 1);
        for (const r of range[k].all(lo, hi) as R[]) byId[r[0] - lo] = r;
        return (id: number) => byId[id - lo];
      };
      return {
        t: load<TRow>('t'),
        sa: load<SaRow>('sa'),
        rs: load<RsRow>('rs'),
        o: load<OccRow>('o'),
      };
    }
    const load = <R>(k: Table) => {
      const byId = new Map<number, R>();
      for (const id of ids) {
        const r = one[k].get(id) as R | undefined;
        if (r) byId.set(id, r);
      }
      return (id: number) => byId.get(id);
    };
    return {
      t: load<TRow>('t'),
      sa: load<SaRow>('sa'),
      rs: load<RsRow>('rs'),
      o: load<OccRow>('o'),
    };
  }

  // One row array, refilled for each row: a million fresh 19-slot arrays were a fifth of the
  // export's time in garbage collection. The consumer uses a row before asking for the next.
  const row = new Array(19).fill(null) as ExportRow;
  function* emit(ids: number[]): Generator<ExportRow> {
    const b = read(ids);
    for (const id of ids) {
      const t = b.t(id);
      if (!t) continue;
      const sa = b.sa(id);
      const rs = b.rs(id);
      // Open: flagged and no decision on this very flag (query.ts OPEN); resolved: decided.
      const review =
        t[10] !== null && (!rs || rs[5] !== t[10] || rs[6] !== t[11])
          ? 'open'
          : rs
            ? 'resolved'
            : null;
      row[0] = id;
      row[1] = t[1];
      row[2] = t[2];
      row[3] = t[3];
      row[4] = t[4];
      row[5] = sa ? sa[2] : null;
      row[6] = rs && rs[1] !== null ? rs[1] : sa ? sa[1] : null;
      row[7] = t[5];
      row[8] = t[6];
      row[9] = b.o(id)?.[1] ?? null;
      row[10] = t[7];
      row[11] = t[8];
      row[12] = t[9];
      row[13] = t[10];
      row[14] = t[11];
      row[15] = review;
      row[16] = rs ? rs[2] : null;
      row[17] = rs ? rs[3] : null;
      row[18] = rs ? rs[4] : null;
      yield row;
    }
  }

  // The view's ids a batch at a time, each batch continuing after the last (keyset, as the
  // page does): one short query per batch is cheaper per row than stepping one long one.
  let after: Cursor | null = null;
  for (;;) {
    const q = selectSql(where, sort, dir, after, BATCH, 't.id');
    const page = db
      .prepare(q.text)
      .raw()
      .all(...q.params) as [number, number][];
    if (page.length === 0) return;
    yield* emit(page.map((r) => r[0]));
    const last = page[page.length - 1] as [number, number];
    after = { key: last[1], id: last[0] };
    if (page.length < BATCH) return;
  }
}
