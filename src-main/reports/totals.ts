// Totals for a period: energy, sessions and occupancy by site, station, outlet, account, card,
// local day / week / month, hour of day and weekday. Three groupings (per outlet, per local day
// and hour, per account and card) come from the daily rollup plus the few sessions it leaves
// out, or from the period's sessions alone (totals-sources.ts); everything coarser is summed from
// those few rows here.
//
// Rules (docs/reports.md): a session counts in the period, day and hour it STARTED in (local
// time of the report's zone: localMs in local-time.ts, correct across DST); its energy is the
// register's stop (or latest) reading minus its start reading, never below 0; its occupied time is
// start to stop (or to now while active), clipped to the period's end.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/open';
import type { ReportTotals } from '../../src-shared/api/methods/reports';
import { DAY_MS, dayDate, dayWeekday, localDateRange, offsetPieces, weekStart } from './local-time';
import {
  liveSources,
  rolledSources,
  sumBy,
  type CardSum,
  type DayHourSum,
  type OutletSum,
} from './totals-sources';

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

/** The whole local months within fromDate..toDate ("YYYY-MM"), and the local dates they span. */
export function wholeMonths(
  fromDate: string,
  toDate: string,
): { months: string[]; first: string; last: string } | null {
  const months: string[] = [];
  let [y, m] = fromDate.split('-').map(Number) as [number, number];
  if (!fromDate.endsWith('-01')) m += 1;
  for (;;) {
    if (m > 12) {
      y += 1;
      m = 1;
    }
    const start = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
    const end = dayDate(Date.UTC(y, m, 0) / DAY_MS); // its last day
    if (end > toDate) break;
    months.push(start);
    m += 1;
  }
  const first = months[0];
  const lastMonth = months[months.length - 1];
  if (first === undefined || lastMonth === undefined) return null;
  const [ly, lm] = lastMonth.split('-').map(Number) as [number, number];
  return { months, first: `${first}-01`, last: dayDate(Date.UTC(ly, lm, 0) / DAY_MS) };
}

export function createTotals(db: Db, opts: { rollup?: boolean } = {}) {
  const useRollup = opts.rollup ?? true;

  /** The three groupings for the period: from the daily rollup plus the few sessions it leaves
   *  out when every site keeps its days in the report's zone (the rollup's days are each
   *  site's own), else all from the sessions. */
  function sums(q: TotalsQuery, from: number, to: number, siteList: SQL, zones: string[]) {
    const pieces = offsetPieces(q.zone, from, to);
    const period = { siteList, from, to, now: q.now, pieces };
    const live = liveSources(db, period);
    if (!useRollup || zones.some((z) => z !== q.zone)) {
      return {
        perOutlet: live.perOutlet(false),
        perDayHour: live.perDayHour(false),
        perCard: live.perCard(from, to, false),
      };
    }
    const firstDay = Date.parse(`${q.fromDate}T00:00:00Z`) / DAY_MS;
    const lastDay = Date.parse(`${q.toDate}T00:00:00Z`) / DAY_MS;
    const rolled = rolledSources(db, { ...period, firstDay, lastDay });
    // Accounts and cards: whole months from the rollup, the days either side from the sessions.
    const whole = wholeMonths(q.fromDate, q.toDate);
    let perCard: CardSum[][];
    if (whole) {
      const mid = localDateRange(q.zone, whole.first, whole.last);
      perCard = [
        live.perCard(from, mid.from, false),
        rolled.perCard(whole.months),
        live.perCard(mid.from, mid.to, true),
        live.perCard(mid.to, to, false),
      ];
    } else {
      perCard = [live.perCard(from, to, false)];
    }
    return {
      perOutlet: sumBy<OutletSum>(
        [rolled.perOutlet(), live.perOutlet(true)],
        (r) => `${r.s}:${r.c}`,
      ),
      perDayHour: sumBy<DayHourSum>(
        [rolled.perDayHour(), live.perDayHour(true)],
        (r) => `${r.day}:${r.hour}`,
      ),
      perCard: sumBy<CardSum>(perCard, (r) => `${r.accountId}:${r.cardId}:${r.idTag}`),
    };
  }

  function totals(q: TotalsQuery): ReportTotals {
    const { from, to } = localDateRange(q.zone, q.fromDate, q.toDate);
    const ids = q.siteIds.length ? q.siteIds : [-1];
    const siteList = sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    );
    const periodMs = to - from;
    const siteRows = db.all<{ id: number; name: string; zone: string }>(
      sql`SELECT id, name, time_zone AS zone FROM sites WHERE id IN (${siteList}) ORDER BY name`,
    );
    const {
      perOutlet,
      perDayHour,
      perCard: unsorted,
    } = sums(
      q,
      from,
      to,
      siteList,
      siteRows.map((s) => s.zone),
    );
    // SQL's GROUP BY order (nulls first), whichever sources the rows came from: the tie order
    // of the sorted lists below.
    const cmp = (a: number | null, b: number | null) =>
      a === b ? 0 : a === null ? -1 : b === null ? 1 : a - b;
    const perCard = unsorted.sort(
      (a, b) =>
        cmp(a.accountId, b.accountId) ||
        cmp(a.cardId, b.cardId) ||
        (a.idTag < b.idTag ? -1 : a.idTag > b.idTag ? 1 : 0),
    );

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
    for (const r of [...outletSums.values()].sort((a, b) => a.s - b.s || a.c - b.c)) {
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

    const bySite = siteRows.map((s) => {
      const sum = zero();
      for (const st of byStation) if (st.siteId === s.id) add(sum, st.sessions, st.energyWh);
      return { siteId: s.id, name: s.name, ...sum };
    });

    // ── Local day and hour ──
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
      sites: siteRows.map(({ id, name }) => ({ id, name })),
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
