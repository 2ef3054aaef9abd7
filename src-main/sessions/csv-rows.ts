// The sessions export's rows, fast: the view's order comes from one query that reads only the
// session ids (off the sort key's index), and each batch's rows are read by id RANGE with the
// per-session tables (who it is billed to, its review, its occupancy) joined on their primary
// key, one array per session straight from SQLite. Joining in the view's order cost a table
// lookup in start order per row (~3.5 µs a row, two thirds of the export); sessions are numbered
// as they start, so a batch of the view (newest first, by stop, by id) covers a narrow id range,
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

/** The export's columns, one array per session straight from SQLite (no per-row objects, no
 *  refilling in JS). The joined tables' primary keys are the session id, so each join is a rowid
 *  lookup. Review: open when flagged and no decision on this very flag (query.ts OPEN), resolved
 *  when decided. */
const COLUMNS = `t.id, t.station_id, t.identity, t.connector_number, t.id_tag,
  sa.card_id, coalesce(rs.account_id, sa.account_id), t.started_at, t.stopped_at, o.idle_ms,
  t.meter_start_wh, coalesce(t.meter_stop_wh, t.meter_last_wh), t.stop_reason, t.flag,
  t.flag_reason,
  CASE WHEN t.flag IS NOT NULL AND (rs.transaction_id IS NULL OR rs.flag IS NOT t.flag
         OR rs.flag_reason IS NOT t.flag_reason) THEN 'open'
       WHEN rs.transaction_id IS NOT NULL THEN 'resolved' END,
  rs.action, rs.excluded, rs.meter_stop_wh
  FROM transactions t
  LEFT JOIN session_accounts sa ON sa.transaction_id = t.id
  LEFT JOIN session_review_state rs ON rs.transaction_id = t.id
  LEFT JOIN session_occupancy o ON o.transaction_id = t.id`;

/** The view's rows in its order; `where` is whereOf's filter within the caller's scope. */
export function* exportRows(
  db: Database.Database,
  where: Sql,
  sort: SessionSort,
  dir: 'asc' | 'desc',
): Generator<ExportRow> {
  const range = db.prepare(`SELECT ${COLUMNS} WHERE t.id BETWEEN ? AND ?`).raw();
  const one = db.prepare(`SELECT ${COLUMNS} WHERE t.id = ?`).raw();

  function* emit(ids: number[]): Generator<ExportRow> {
    let lo = Infinity;
    let hi = -Infinity;
    for (const id of ids) {
      if (id < lo) lo = id;
      if (id > hi) hi = id;
    }
    if (hi - lo < DENSE * ids.length) {
      // Dense: one range read, then the view's order by id.
      const byId = new Array<ExportRow | undefined>(hi - lo + 1);
      for (const r of range.all(lo, hi) as ExportRow[]) byId[r[0] - lo] = r;
      for (const id of ids) {
        const r = byId[id - lo];
        if (r) yield r;
      }
      return;
    }
    for (const id of ids) {
      const r = one.get(id) as ExportRow | undefined;
      if (r) yield r;
    }
  }

  // The view's ids a batch at a time, each batch continuing after the last (keyset, as the
  // page does): one short query per batch is cheaper per row than stepping one long one. Two
  // statements (the first batch, the ones after), prepared once: preparing per batch was 7 %.
  const first = selectSql(where, sort, dir, null, BATCH, 't.id');
  const firstIds = db.prepare(first.text).raw();
  let nextIds: Database.Statement | null = null;
  let after: Cursor | null = null;
  for (;;) {
    let page: [number, number][];
    if (after === null) {
      page = firstIds.all(...first.params) as [number, number][];
    } else {
      const q = selectSql(where, sort, dir, after, BATCH, 't.id');
      nextIds ??= db.prepare(q.text).raw();
      page = nextIds.all(...q.params) as [number, number][];
    }
    if (page.length === 0) return;
    yield* emit(page.map((r) => r[0]));
    const last = page[page.length - 1] as [number, number];
    after = { key: last[1], id: last[0] };
    if (page.length < BATCH) return;
  }
}
