// One charging session in detail: its facts (who, where, when, how much), a chart of its meter
// samples, the raw samples paged, and the OCPP messages of the transaction from the message log.
//
// The chart is downsampled here, in SQL, not in the browser: a session can hold thousands of
// samples (a 12-hour overnight charge at 10 s is 4,320), and the page needs a few hundred points.
// Samples are bucketed by time into at most `points` equal buckets; each bucket gives its mean and
// highest power (a peak is not averaged away), its per-phase mean currents and the energy register
// at its last reading. A session with no more samples than points is returned sample by sample.
import { and, count, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/open';
import {
  accounts,
  cards,
  connectors,
  meterValues,
  residents,
  sessionAccounts,
  sites,
  stations,
  transactions,
} from '../db/schema';
import { ocppLog } from '../db/log-schema';
import type { MessageLog } from '../ocpp/message-log';
import { fromTable, pagedQuery, type PageRequest } from '../db/paged';
import type { ChartPoint, SessionChart, SessionFacts } from '../../src-shared/api/methods/reports';
import type { MeterSample, OcppLogEntry, SampledValue } from '../../src-shared/ocpp/types';

/** Messages this long before the start / after the last message still belong to the session
 *  window (the Authorize before the start, the StatusNotification after the stop). */
const MESSAGE_MARGIN_MS = 5 * 60_000;

export function createSessionDetail(deps: {
  db: Db;
  messageLog: Pick<MessageLog, 'db' | 'flush'>;
}) {
  const { db } = deps;
  const sqlite = db.$client;

  function facts(id: number, now: number): SessionFacts | null {
    const r = db
      .select({
        tx: transactions,
        siteId: stations.siteId,
        siteName: sites.name,
        timeZone: sites.timeZone,
        stationName: stations.name,
        connectorName: connectors.name,
        accountId: sessionAccounts.accountId,
        cardId: sessionAccounts.cardId,
        via: sessionAccounts.via,
        free: sessionAccounts.free,
        cardLabel: cards.label,
        residentFirst: residents.firstName,
        residentLast: residents.lastName,
        lotNumber: accounts.lotNumber,
        unitNumber: accounts.unitNumber,
        ownerNames: accounts.ownerNames,
      })
      .from(transactions)
      .leftJoin(stations, eq(stations.id, transactions.stationId))
      .leftJoin(sites, eq(sites.id, stations.siteId))
      .leftJoin(
        connectors,
        and(
          eq(connectors.stationId, transactions.stationId),
          eq(connectors.connectorNumber, transactions.connectorNumber),
        ),
      )
      .leftJoin(sessionAccounts, eq(sessionAccounts.transactionId, transactions.id))
      .leftJoin(accounts, eq(accounts.id, sessionAccounts.accountId))
      .leftJoin(cards, eq(cards.id, sessionAccounts.cardId))
      .leftJoin(residents, eq(residents.id, cards.residentId))
      .where(eq(transactions.id, id))
      .get();
    if (!r) return null;
    const t = r.tx;
    const last = t.status === 'completed' ? t.meterStopWh : t.meterLastWh;
    const energyWh = last == null ? null : last - t.meterStartWh;
    const end = t.stoppedAt ?? Math.max(now, t.lastMessageAt);
    const durationMs = Math.max(0, end - t.startedAt);
    const sampleCount =
      db.select({ n: count() }).from(meterValues).where(eq(meterValues.transactionId, id)).get()
        ?.n ?? 0;
    return {
      id: t.id,
      status: t.status,
      flag: t.flag,
      flagReason: t.flagReason,
      siteId: r.siteId,
      siteName: r.siteName,
      timeZone: r.timeZone,
      stationId: t.stationId,
      stationName: r.stationName,
      identity: t.identity,
      connectorNumber: t.connectorNumber,
      connectorName: r.connectorName,
      idTag: t.idTag,
      chargerTransactionId: t.chargerTransactionId,
      cardId: r.cardId,
      cardLabel: r.cardLabel,
      residentName: r.residentFirst ? `${r.residentFirst} ${r.residentLast ?? ''}`.trim() : null,
      accountId: r.accountId,
      lotNumber: r.lotNumber,
      unitNumber: r.unitNumber,
      ownerNames: r.ownerNames,
      via: r.via,
      free: r.free ?? false,
      startedAt: t.startedAt,
      stoppedAt: t.stoppedAt,
      durationMs,
      meterStartWh: t.meterStartWh,
      meterStopWh: t.meterStopWh,
      energyWh,
      averagePowerW:
        energyWh !== null && durationMs > 0
          ? Math.round((energyWh * 3_600_000) / durationMs)
          : null,
      stopReason: t.stopReason,
      sampleCount,
    };
  }

  // Raw statements: this runs for every chart view and its GROUP BY is easier to read as SQL.
  const rawPoints = sqlite.prepare(
    `SELECT timestamp AS at, power_w AS powerW, power_w AS powerMaxW, energy_wh AS energyWh,
            current_l1_a AS currentL1A, current_l2_a AS currentL2A, current_l3_a AS currentL3A,
            soc_percent AS socPercent
       FROM meter_values WHERE transaction_id = ? ORDER BY timestamp, id`,
  );
  // The energy register at a bucket's last reading: max() over a register that only rises; a
  // meter that went backwards is flagged for review elsewhere and shows as a dip here anyway.
  const bucketPoints = sqlite.prepare(
    `SELECT CAST((timestamp - @start) / @width AS INTEGER) AS bucket, MIN(timestamp) AS at,
            AVG(power_w) AS powerW, MAX(power_w) AS powerMaxW, MAX(energy_wh) AS energyWh,
            AVG(current_l1_a) AS currentL1A, AVG(current_l2_a) AS currentL2A,
            AVG(current_l3_a) AS currentL3A, AVG(soc_percent) AS socPercent
       FROM meter_values WHERE transaction_id = @id
      GROUP BY bucket ORDER BY bucket`,
  );
  const span = sqlite.prepare(
    `SELECT COUNT(*) AS n, MIN(timestamp) AS first, MAX(timestamp) AS last
       FROM meter_values WHERE transaction_id = ?`,
  );

  function chart(id: number, meterStartWh: number, points: number): SessionChart {
    const s = span.get(id) as { n: number; first: number | null; last: number | null };
    const sinceStart = (p: ChartPoint): ChartPoint => ({
      ...p,
      energyWh: p.energyWh === null ? null : p.energyWh - meterStartWh,
    });
    if (s.n <= points || s.first === null || s.last === null) {
      return {
        sampleCount: s.n,
        downsampled: false,
        bucketMs: 0,
        points: (rawPoints.all(id) as ChartPoint[]).map(sinceStart),
      };
    }
    // Integer division into `points` buckets over [first, last]: the last sample opens one more.
    const width = Math.max(1, Math.ceil((s.last - s.first + 1) / points));
    const rows = bucketPoints.all({ id, start: s.first, width }) as (ChartPoint & {
      bucket: number;
    })[];
    return {
      sampleCount: s.n,
      downsampled: true,
      bucketMs: width,
      points: rows.map(({ bucket: _b, ...p }) => sinceStart(p)),
    };
  }

  function samples(
    id: number,
    page: PageRequest,
  ): { total: number; next: string | null; samples: MeterSample[] } {
    const { total, next, rows } = pagedQuery({
      filter: [eq(meterValues.transactionId, id)],
      order: { key: meterValues.timestamp, tie: meterValues.id },
      page,
      ...fromTable(db, meterValues),
      keyOf: (r) => [r.timestamp, r.id],
    });
    return {
      total,
      next,
      samples: rows.map(
        ({ dedupeKey: _k, sampledValues, currentL1A, currentL2A, currentL3A, ...m }) => ({
          ...m,
          currentA: { L1: currentL1A, L2: currentL2A, L3: currentL3A },
          sampledValue: parseSampled(sampledValues),
        }),
      ),
    };
  }

  /**
   * The session's exchanges: those naming its transactionId (MeterValues, StopTransaction,
   * RemoteStopTransaction, and the StartTransaction whose answer gave it), and, within its time
   * window, its outlet's StatusNotifications and the Authorize / RemoteStartTransaction of its
   * card. The log has no transaction column (it stores frames as sent): the window on the time
   * index bounds the scan, JSON functions pick the rows. A station's rows are those with its id
   * AND its identity (the log outlives a restore that may reuse ids, as in ocpp-log-list).
   */
  async function messages(
    id: number,
    page: PageRequest,
    now: number,
  ): Promise<{ total: number; next: string | null; entries: OcppLogEntry[] } | null> {
    const t = db
      .select({
        stationId: transactions.stationId,
        identity: transactions.identity,
        connectorNumber: transactions.connectorNumber,
        idTag: transactions.idTag,
        startedAt: transactions.startedAt,
        stoppedAt: transactions.stoppedAt,
        lastMessageAt: transactions.lastMessageAt,
      })
      .from(transactions)
      .where(eq(transactions.id, id))
      .get();
    if (!t) return null;
    await deps.messageLog.flush();
    const from = Math.min(t.startedAt, t.lastMessageAt) - MESSAGE_MARGIN_MS;
    const to = Math.max(t.stoppedAt ?? now, t.lastMessageAt) + MESSAGE_MARGIN_MS;
    const call = (path: string) =>
      sql`CASE WHEN json_valid(${ocppLog.payload}) THEN json_extract(${ocppLog.payload}, ${path}) END`;
    const answer = (path: string) =>
      sql`CASE WHEN json_valid(${ocppLog.response}) THEN json_extract(${ocppLog.response}, ${path}) END`;
    const filter: (SQL | undefined)[] = [
      sql`${ocppLog.at} >= ${from} AND ${ocppLog.at} <= ${to}`,
      eq(ocppLog.identity, t.identity),
      t.stationId === null ? undefined : eq(ocppLog.stationId, t.stationId),
      sql`(
        ${call('$[3].transactionId')} = ${id}
        OR (${ocppLog.action} = 'StartTransaction' AND ${answer('$[2].transactionId')} = ${id})
        OR (${ocppLog.action} = 'StatusNotification'
            AND ${call('$[3].connectorId')} = ${t.connectorNumber})
        OR (${ocppLog.action} IN ('Authorize', 'RemoteStartTransaction')
            AND ${call('$[3].idTag')} = ${t.idTag})
      )`,
    ];
    const { total, next, rows } = pagedQuery({
      filter,
      order: { key: ocppLog.at, tie: ocppLog.id },
      page,
      ...fromTable(deps.messageLog.db, ocppLog),
      keyOf: (r) => [r.at, r.id],
    });
    return {
      total,
      next,
      entries: rows.map(({ response, ...r }) => ({
        ...r,
        payload: framePayload(r.payload),
        response: response === null ? null : framePayload(response),
      })),
    };
  }

  return { facts, chart, samples, messages };
}

export type SessionDetail = ReturnType<typeof createSessionDetail>;

/** The stored sampledValue JSON ([] if it was ever damaged). */
function parseSampled(text: string): SampledValue[] {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? (v as SampledValue[]) : [];
  } catch {
    return [];
  }
}

/** A logged frame's payload part (as the message log page shows it). */
function framePayload(text: string): unknown {
  try {
    const frame = JSON.parse(text) as unknown;
    if (!Array.isArray(frame)) return frame;
    if (frame[0] === 2) return frame[3];
    if (frame[0] === 3) return frame[2];
    return frame.slice(2);
  } catch {
    return text;
  }
}
