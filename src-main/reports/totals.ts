// Totals for a period: energy, sessions and occupancy by site, station, outlet, account, card,
// local day / week / month, hour of day and weekday. Aggregated in SQL in three scans of the
// period's sessions (the started_at index bounds each): per outlet, per local day and hour, per
// account and card. Everything coarser is summed from those few rows here.
//
// Rules (docs/reports.md): a session counts in the period, day and hour it STARTED in (local
// time of the report's zone: localMs in local-time.ts, correct across DST); its energy is the
// register's stop (or latest) reading minus its start reading, never below 0; its occupied time is
// start to stop (or to now while active), clipped to the period's end.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/open';
import type { ReportTotals } from '../../src-shared/api/methods/reports';
import {
  DAY_MS,
  HOUR_MS,
  dayDate,
  dayWeekday,
  localDateRange,
  localMs,
  offsetPieces,
  weekStart,
} from './local-time';

export interface TotalsQuery {
  /** The sites reported on (already checked against the caller). */
  siteIds: number[];
  /** The zone days and hours are counted in. */
  zone: string;
  /** Local dates, inclusive, YYYY-MM-DD. */
  fromDate: string;
  toDate: string;
  now: number;
}

type Sum = { sessions: number; energyWh: number };
const zero = (): Sum => ({ sessions: 0, energyWh: 0 });
const add = (a: Sum, n: number, wh: number) => {
  a.sessions += n;
  a.energyWh += wh;
};

export function createTotals(db: Db) {
  function totals(q: TotalsQuery): ReportTotals {
    const { from, to } = localDateRange(q.zone, q.fromDate, q.toDate);
    const pieces = offsetPieces(q.zone, from, to);
    const ids = q.siteIds.length ? q.siteIds : [-1];
    const siteList = sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    );
    // The unary + keeps SQLite from reading the period through the station index (every session
    // of every station, then filtered by time: 10x slower over two years of history); the
    // started_at index bounds the scan to the period instead.
    const inPeriod: SQL = sql`t.started_at >= ${from} AND t.started_at < ${to}
      AND +t.station_id IN (SELECT id FROM stations WHERE site_id IN (${siteList}))`;
    // Completed: stop − start, from the covering index. Active (few): the latest reading, looked
    // up in the table only for those rows, so the scan stays on the index (schema/ocpp.ts).
    const energy = sql`MAX(0, CASE WHEN t.status = 'completed' THEN t.meter_stop_wh
      ELSE (SELECT COALESCE(x.meter_last_wh, x.meter_start_wh) FROM transactions x WHERE x.id = t.id)
      END - t.meter_start_wh)`;
    const occupied = sql`MAX(0, MIN(COALESCE(t.stopped_at, ${q.now}), ${to}) - t.started_at)`;
    const periodMs = to - from;

    // ── Outlets (and so stations and sites): every outlet of the sites, used or not ──
    const outlets = db.all<{
      stationId: number;
      stationName: string;
      siteId: number;
      connectorNumber: number;
    }>(sql`SELECT s.id AS stationId, s.name AS stationName, s.site_id AS siteId,
                  c.connector_number AS connectorNumber
             FROM connectors c JOIN stations s ON s.id = c.station_id
            WHERE s.site_id IN (${siteList})
            ORDER BY s.name, s.id, c.connector_number`);
    const perOutlet = db.all<{ s: number; c: number; n: number; wh: number; occ: number }>(
      // Station ids × outlet numbers (1-8: ocpp/store.ts MAX_CONNECTORS, beyond which connector
      // ids are refused) probe the outlet index once each, so the rows arrive grouped: no sort of
      // the period's sessions.
      sql`SELECT t.station_id AS s, t.connector_number AS c, COUNT(*) AS n,
                 SUM(${energy}) AS wh, SUM(${occupied}) AS occ
            FROM transactions t INDEXED BY transactions_outlet_report_idx
           WHERE t.station_id IN (SELECT id FROM stations WHERE site_id IN (${siteList}))
             AND t.connector_number IN (1, 2, 3, 4, 5, 6, 7, 8)
             AND t.started_at >= ${from} AND t.started_at < ${to}
           GROUP BY t.station_id, t.connector_number`,
    );
    const key = (s: number, c: number) => `${s}:${c}`;
    const outletSums = new Map(perOutlet.map((r) => [key(r.s, r.c), r]));
    const byConnector = outlets.map((o) => {
      const r = outletSums.get(key(o.stationId, o.connectorNumber));
      outletSums.delete(key(o.stationId, o.connectorNumber));
      const occupiedMs = r?.occ ?? 0;
      return {
        stationId: o.stationId,
        stationName: o.stationName,
        connectorNumber: o.connectorNumber,
        sessions: r?.n ?? 0,
        energyWh: r?.wh ?? 0,
        occupiedMs,
        occupancy: periodMs > 0 ? occupiedMs / periodMs : 0,
      };
    });
    // Sessions on an outlet number the station no longer lists still count, as their own rows.
    const stationOf = new Map(outlets.map((o) => [o.stationId, o]));
    for (const r of outletSums.values()) {
      const st = stationOf.get(r.s);
      if (!st) continue;
      byConnector.push({
        stationId: r.s,
        stationName: st.stationName,
        connectorNumber: r.c,
        sessions: r.n,
        energyWh: r.wh,
        occupiedMs: r.occ,
        occupancy: periodMs > 0 ? r.occ / periodMs : 0,
      });
    }
    const stations = new Map<number, ReportTotals['byStation'][number] & { connectors: number }>();
    for (const c of byConnector) {
      const st = stationOf.get(c.stationId);
      if (!st) continue;
      const row = stations.get(c.stationId) ?? {
        stationId: c.stationId,
        name: c.stationName,
        siteId: st.siteId,
        sessions: 0,
        energyWh: 0,
        occupiedMs: 0,
        occupancy: 0,
        connectors: 0,
      };
      row.sessions += c.sessions;
      row.energyWh += c.energyWh;
      row.occupiedMs += c.occupiedMs;
      row.connectors += 1;
      stations.set(c.stationId, row);
    }
    const byStation = [...stations.values()].map(({ connectors, ...s }) => ({
      ...s,
      occupancy: periodMs > 0 && connectors > 0 ? s.occupiedMs / (periodMs * connectors) : 0,
    }));

    const siteRows = db.all<{ id: number; name: string }>(
      sql`SELECT id, name FROM sites WHERE id IN (${siteList}) ORDER BY name`,
    );
    const bySite = siteRows.map((s) => {
      const sum = zero();
      for (const st of byStation) if (st.siteId === s.id) add(sum, st.sessions, st.energyWh);
      return { siteId: s.id, name: s.name, ...sum };
    });

    // ── Local day and hour ──
    const local = localMs(sql.raw('t.started_at'), pieces);
    const perDayHour = db.all<{ day: number; hour: number; n: number; wh: number }>(
      sql`SELECT CAST(${local} / ${DAY_MS} AS INTEGER) AS day,
                 CAST((${local} % ${DAY_MS}) / ${HOUR_MS} AS INTEGER) AS hour,
                 COUNT(*) AS n, SUM(${energy}) AS wh
            FROM transactions t WHERE ${inPeriod}
           GROUP BY day, hour`,
    );
    // Local epoch day numbers of the period's first and last local dates.
    const firstDay = Date.parse(`${q.fromDate}T00:00:00Z`) / DAY_MS;
    const lastDay = Date.parse(`${q.toDate}T00:00:00Z`) / DAY_MS;
    const days = new Map<number, Sum>();
    for (let d = firstDay; d <= lastDay; d++) days.set(d, zero());
    const hours = Array.from({ length: 24 }, zero);
    const weekdays = Array.from({ length: 7 }, zero);
    for (const r of perDayHour) {
      const day = days.get(r.day) ?? zero();
      add(day, r.n, r.wh);
      days.set(r.day, day);
      const h = hours[r.hour];
      if (h) add(h, r.n, r.wh);
      const w = weekdays[dayWeekday(r.day) - 1];
      if (w) add(w, r.n, r.wh);
    }
    const byDay = [...days.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([d, s]) => ({ date: dayDate(d), ...s }));
    const weeks = new Map<number, Sum>();
    const months = new Map<string, Sum>();
    for (const [d, s] of days) {
      const w = weeks.get(weekStart(d)) ?? zero();
      add(w, s.sessions, s.energyWh);
      weeks.set(weekStart(d), w);
      const m = dayDate(d).slice(0, 7);
      const month = months.get(m) ?? zero();
      add(month, s.sessions, s.energyWh);
      months.set(m, month);
    }

    // ── Accounts and cards ──
    const perCard = db.all<{
      accountId: number | null;
      cardId: number | null;
      idTag: string;
      n: number;
      wh: number;
    }>(
      sql`SELECT sa.account_id AS accountId, sa.card_id AS cardId, t.id_tag AS idTag,
                 COUNT(*) AS n, SUM(${energy}) AS wh
            FROM transactions t LEFT JOIN session_accounts sa ON sa.transaction_id = t.id
           WHERE ${inPeriod}
           GROUP BY sa.account_id, sa.card_id, t.id_tag`,
    );
    const accountIds = [...new Set(perCard.flatMap((r) => (r.accountId ? [r.accountId] : [])))];
    const cardIds = [...new Set(perCard.flatMap((r) => (r.cardId ? [r.cardId] : [])))];
    const idList = (xs: number[]) =>
      sql.join(
        (xs.length ? xs : [-1]).map((x) => sql`${x}`),
        sql`, `,
      );
    const accountNames = new Map(
      db
        .all<{
          id: number;
          lot: string;
          unit: string | null;
          owner: string;
        }>(
          sql`SELECT id, lot_number AS lot, unit_number AS unit, owner_names AS owner
                FROM accounts WHERE id IN (${idList(accountIds)})`,
        )
        .map((a) => [a.id, `Lot ${a.lot}${a.unit ? ` (unit ${a.unit})` : ''} — ${a.owner}`]),
    );
    const cardsById = new Map(
      db
        .all<{ id: number; label: string | null; idTag: string }>(
          sql`SELECT id, label, id_tag AS idTag FROM cards WHERE id IN (${idList(cardIds)})`,
        )
        .map((c) => [c.id, c]),
    );
    const accountsSum = new Map<number | null, Sum>();
    for (const r of perCard) {
      const a = accountsSum.get(r.accountId) ?? zero();
      add(a, r.n, r.wh);
      accountsSum.set(r.accountId, a);
    }
    const byEnergy = (a: Sum, b: Sum) => b.energyWh - a.energyWh || b.sessions - a.sessions;
    const byAccount = [...accountsSum.entries()]
      .map(([accountId, s]) => ({
        accountId,
        name: accountId === null ? 'No account' : (accountNames.get(accountId) ?? `#${accountId}`),
        ...s,
      }))
      .sort(byEnergy);
    const byCard = perCard
      .map((r) => ({
        cardId: r.cardId,
        idTag: r.idTag,
        label: r.cardId === null ? null : (cardsById.get(r.cardId)?.label ?? null),
        accountName: r.accountId === null ? null : (accountNames.get(r.accountId) ?? null),
        sessions: r.n,
        energyWh: r.wh,
      }))
      .sort(byEnergy);

    const total = zero();
    let occupiedMs = 0;
    for (const c of byConnector) {
      add(total, c.sessions, c.energyWh);
      occupiedMs += c.occupiedMs;
    }
    const connectorCount = byConnector.length;
    return {
      timeZone: q.zone,
      from,
      to,
      sites: siteRows,
      total: {
        ...total,
        occupiedMs,
        occupancy:
          periodMs > 0 && connectorCount > 0 ? occupiedMs / (periodMs * connectorCount) : 0,
        connectors: connectorCount,
      },
      bySite,
      byStation: byStation.sort(byEnergy),
      byConnector,
      byAccount,
      byCard,
      byDay,
      byWeek: [...weeks.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([d, s]) => ({ date: dayDate(d), ...s })),
      byMonth: [...months.entries()]
        .sort((a, b) => a[0].localeCompare(b[0]))
        .map(([month, s]) => ({ month, ...s })),
      byHour: hours.map((s, hour) => ({ hour, ...s })),
      byWeekday: weekdays.map((s, i) => ({ weekday: i + 1, ...s })),
    };
  }

  return { totals };
}

export type Totals = ReturnType<typeof createTotals>;
