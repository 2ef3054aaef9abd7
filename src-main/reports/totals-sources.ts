// Where the totals' three groupings come from (totals.ts sums them up): per outlet (sessions,
// energy, plugged-in time), per local day × hour, per account × card × id tag.
//
// - `live`: grouped from `transactions` by SQL, over a UTC range of starts; optionally only the
//   sessions the rollup leaves out (UNROLLED: still charging, or completed without a stop time),
//   read through their small partial index.
// - `rolled`: read from the daily rollup (schema/rollups.ts, kept by triggers: rollup.ts), which
//   holds every other session: a quarter is a few thousand rows instead of 100,000+ sessions
//   sorted by two GROUP BYs. Its plugged-in time is stop − start; a session that started in the
//   period and stopped after its end counts only up to the end, so those few (found through
//   the days whose latest stop is past the end) are taken off. A group whose sessions all left
//   (re-attributed, deleted) stays as a row of zeros: left out, as the sessions' SQL never has it.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/open';
import { DAY_MS, HOUR_MS, localMs, type OffsetPiece } from './local-time';

export interface OutletSum {
  s: number;
  c: number;
  n: number;
  wh: number;
  occ: number;
}
export interface DayHourSum {
  day: number;
  hour: number;
  n: number;
  wh: number;
}
export interface CardSum {
  accountId: number | null;
  cardId: number | null;
  idTag: string;
  n: number;
  wh: number;
}

/** Must be transactions_unrolled_idx's WHERE, word for word (schema/ocpp.ts). */
const UNROLLED = sql`(t.status = 'active' OR t.stopped_at IS NULL)`;
/** The opposite, for the sessions the rollup holds (rollup.ts ROLLED). */
const ROLLED = sql`t.status = 'completed' AND t.stopped_at IS NOT NULL`;

export interface Period {
  /** The sites' ids as an SQL list. */
  siteList: SQL;
  /** UTC bounds of the period, [from, to). */
  from: number;
  to: number;
  now: number;
  pieces: OffsetPiece[];
}

export function liveSources(db: Db, p: Period) {
  // Completed: stop − start, from the covering index. Active (few): the latest reading, looked
  // up in the table only for those rows, so the scan stays on the index (schema/ocpp.ts).
  const energy = sql`MAX(0, CASE WHEN t.status = 'completed' THEN t.meter_stop_wh
    ELSE (SELECT COALESCE(x.meter_last_wh, x.meter_start_wh) FROM transactions x WHERE x.id = t.id)
    END - t.meter_start_wh)`;
  const occupied = sql`MAX(0, MIN(COALESCE(t.stopped_at, ${p.now}), ${p.to}) - t.started_at)`;
  const stations = sql`(SELECT id FROM stations WHERE site_id IN (${p.siteList}))`;
  /** Starts in [a, b) of the sites' stations; the unary + keeps SQLite from reading the period
   *  through the station index (every session of every station, then filtered by time: 10x
   *  slower over two years of history); the started_at index bounds the scan instead. */
  const within = (a: number, b: number, unrolled: boolean) =>
    sql`t.started_at >= ${a} AND t.started_at < ${b} AND +t.station_id IN ${stations}
      ${unrolled ? sql`AND ${UNROLLED}` : sql``}`;
  const source = (unrolled: boolean) =>
    unrolled ? sql`transactions t INDEXED BY transactions_unrolled_idx` : sql`transactions t`;

  return {
    perOutlet(unrolled: boolean): OutletSum[] {
      if (unrolled) {
        return db.all<OutletSum>(
          sql`SELECT t.station_id AS s, t.connector_number AS c, COUNT(*) AS n,
                     COALESCE(SUM(${energy}), 0) AS wh, COALESCE(SUM(${occupied}), 0) AS occ
                FROM ${source(true)} WHERE ${within(p.from, p.to, true)}
               GROUP BY t.station_id, t.connector_number`,
        );
      }
      // Station ids × outlet numbers (1-8: ocpp/store.ts MAX_CONNECTORS, beyond which connector
      // ids are refused) probe the outlet index once each, so the rows arrive grouped: no sort of
      // the period's sessions.
      return db.all<OutletSum>(
        sql`SELECT t.station_id AS s, t.connector_number AS c, COUNT(*) AS n,
                   COALESCE(SUM(${energy}), 0) AS wh, COALESCE(SUM(${occupied}), 0) AS occ
              FROM transactions t INDEXED BY transactions_outlet_report_idx
             WHERE t.station_id IN ${stations}
               AND t.connector_number IN (1, 2, 3, 4, 5, 6, 7, 8)
               AND t.started_at >= ${p.from} AND t.started_at < ${p.to}
             GROUP BY t.station_id, t.connector_number`,
      );
    },
    perDayHour(unrolled: boolean): DayHourSum[] {
      const local = localMs(sql.raw('t.started_at'), p.pieces);
      return db.all<DayHourSum>(
        sql`SELECT CAST(${local} / ${DAY_MS} AS INTEGER) AS day,
                   CAST((${local} % ${DAY_MS}) / ${HOUR_MS} AS INTEGER) AS hour,
                   COUNT(*) AS n, COALESCE(SUM(${energy}), 0) AS wh
              FROM ${source(unrolled)} WHERE ${within(p.from, p.to, unrolled)}
             GROUP BY day, hour`,
      );
    },
    /** Starts in [a, b). */
    perCard(a: number, b: number, unrolled: boolean): CardSum[] {
      if (a >= b) return [];
      return db.all<CardSum>(
        sql`SELECT sa.account_id AS accountId, sa.card_id AS cardId, t.id_tag AS idTag,
                   COUNT(*) AS n, COALESCE(SUM(${energy}), 0) AS wh
              FROM ${source(unrolled)} LEFT JOIN session_accounts sa ON sa.transaction_id = t.id
             WHERE ${within(a, b, unrolled)}
             GROUP BY sa.account_id, sa.card_id, t.id_tag`,
      );
    },
  };
}

export function rolledSources(db: Db, p: Period & { firstDay: number; lastDay: number }) {
  const stations = sql`(SELECT id FROM stations WHERE site_id IN (${p.siteList}))`;
  return {
    perOutlet(): OutletSum[] {
      const rows = db.all<OutletSum & { last: number }>(
        sql`SELECT station_id AS s, connector_number AS c, SUM(sessions) AS n,
                   SUM(energy_wh) AS wh, SUM(occupied_ms) AS occ, MAX(last_stop) AS last
              FROM session_rollup_outlet_day
             WHERE station_id IN ${stations} AND day >= ${p.firstDay} AND day <= ${p.lastDay}
             GROUP BY station_id, connector_number HAVING SUM(sessions) <> 0`,
      );
      if (!rows.some((r) => r.last > p.to)) return rows;
      // Sessions that stopped after the period's end count up to the end: take the rest off.
      // They started on the days whose latest stop is past the end; a local day starts at most
      // 14 hours before the same UTC date.
      const first = db.get<{ day: number | null }>(
        sql`SELECT MIN(day) AS day FROM session_rollup_outlet_day
             WHERE station_id IN ${stations} AND day >= ${p.firstDay} AND day <= ${p.lastDay}
               AND last_stop > ${p.to}`,
      );
      const since = Math.max(p.from, (first?.day ?? p.firstDay) * DAY_MS - 15 * HOUR_MS);
      const over = db.all<{ s: number; c: number; ms: number }>(
        sql`SELECT t.station_id AS s, t.connector_number AS c, SUM(t.stopped_at - ${p.to}) AS ms
              FROM transactions t
             WHERE t.started_at >= ${since} AND t.started_at < ${p.to} AND t.stopped_at > ${p.to}
               AND ${ROLLED} AND +t.station_id IN ${stations}
             GROUP BY t.station_id, t.connector_number`,
      );
      const byKey = new Map(over.map((o) => [`${o.s}:${o.c}`, o.ms]));
      return rows.map((r) => ({ ...r, occ: r.occ - (byKey.get(`${r.s}:${r.c}`) ?? 0) }));
    },
    perDayHour(): DayHourSum[] {
      return db.all<DayHourSum>(
        sql`SELECT day, hour, SUM(sessions) AS n, SUM(energy_wh) AS wh
              FROM session_rollup_hour
             WHERE site_id IN (${p.siteList}) AND day >= ${p.firstDay} AND day <= ${p.lastDay}
             GROUP BY day, hour HAVING SUM(sessions) <> 0`,
      );
    },
    /** Whole local months, "YYYY-MM". */
    perCard(months: string[]): CardSum[] {
      if (months.length === 0) return [];
      return db.all<CardSum>(
        sql`SELECT NULLIF(account_id, 0) AS accountId, NULLIF(card_id, 0) AS cardId,
                   id_tag AS idTag, SUM(sessions) AS n, SUM(energy_wh) AS wh
              FROM session_rollup_card_month
             WHERE site_id IN (${p.siteList})
               AND month IN (${sql.join(
                 months.map((m) => sql`${m}`),
                 sql`, `,
               )})
             GROUP BY account_id, card_id, id_tag HAVING SUM(sessions) <> 0`,
      );
    },
  };
}

/** Rows of several sources summed by key (the key's fields kept from the first row). */
export function sumBy<T extends { n: number; wh: number; occ?: number }>(
  lists: T[][],
  key: (r: T) => string,
): T[] {
  const out = new Map<string, T>();
  for (const list of lists) {
    for (const r of list) {
      const k = key(r);
      const acc = out.get(k);
      if (!acc) {
        out.set(k, { ...r });
      } else {
        acc.n += r.n;
        acc.wh += r.wh;
        if (acc.occ !== undefined && r.occ !== undefined) acc.occ += r.occ;
      }
    }
  }
  return [...out.values()];
}
