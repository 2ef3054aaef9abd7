// The read side of transactions: the API's view of a row, the paged list and one transaction
// with its meter samples.
import { count, eq, gte, inArray, lte, type SQL } from 'drizzle-orm';
import type { MeterSample, SampledValue, Transaction } from '../../src-shared/ocpp/types';
import type { Db } from '../db/open';
import { pagedQuery, type PageRequest } from '../db/paged';
import { meterValues, stations, transactions } from '../db/schema';

type TxRow = typeof transactions.$inferSelect;

export function createTransactionQueries(db: Db) {
  function hasTransactions(stationId: number): boolean {
    return (
      (db
        .select({ n: count() })
        .from(transactions)
        .where(eq(transactions.stationId, stationId))
        .get()?.n ?? 0) > 0
    );
  }

  function toApi(r: TxRow, siteId: number | null): Transaction {
    const last = r.status === 'completed' ? r.meterStopWh : r.meterLastWh;
    return {
      id: r.id,
      stationId: r.stationId,
      siteId,
      identity: r.identity,
      connectorNumber: r.connectorNumber,
      idTag: r.idTag,
      chargerTransactionId: r.chargerTransactionId,
      status: r.status,
      flag: r.flag,
      flagReason: r.flagReason,
      startedAt: r.startedAt,
      stoppedAt: r.stoppedAt,
      meterStartWh: r.meterStartWh,
      meterStopWh: r.meterStopWh,
      energyWh: last == null ? null : last - r.meterStartWh,
      stopReason: r.stopReason,
      stopIdTag: r.stopIdTag,
      reservationId: r.reservationId,
      lastMessageAt: r.lastMessageAt,
    };
  }

  function list(
    f: {
      stationId?: number;
      siteIds?: number[] | 'all';
      siteId?: number;
      status?: 'active' | 'completed' | 'suspect' | 'review';
      idTag?: string;
      from?: number;
      to?: number;
    } & PageRequest,
  ): { total: number; next: string | null; transactions: Transaction[] } {
    const where: SQL[] = [];
    if (f.stationId) where.push(eq(transactions.stationId, f.stationId));
    if (f.siteId) where.push(eq(stations.siteId, f.siteId));
    if (f.siteIds && f.siteIds !== 'all') where.push(inArray(stations.siteId, f.siteIds));
    if (f.status === 'active' || f.status === 'completed') {
      where.push(eq(transactions.status, f.status));
    } else if (f.status) where.push(eq(transactions.flag, f.status));
    if (f.idTag) where.push(eq(transactions.idTag, f.idTag));
    if (f.from != null) where.push(gte(transactions.startedAt, f.from));
    if (f.to != null) where.push(lte(transactions.startedAt, f.to));
    const { total, next, rows } = pagedQuery({
      filter: where,
      order: { key: transactions.startedAt, tie: transactions.id },
      page: f,
      count: (cond) =>
        db
          .select({ n: count() })
          .from(transactions)
          .leftJoin(stations, eq(stations.id, transactions.stationId))
          .where(cond)
          .get()?.n ?? 0,
      select: (cond, orderBy, limit, offset) =>
        db
          .select({ tx: transactions, siteId: stations.siteId })
          .from(transactions)
          .leftJoin(stations, eq(stations.id, transactions.stationId))
          .where(cond)
          .orderBy(...orderBy)
          .limit(limit)
          .offset(offset)
          .all(),
      keyOf: (r) => [r.tx.startedAt, r.tx.id],
    });
    return { total, next, transactions: rows.map((r) => toApi(r.tx, r.siteId)) };
  }

  function get(id: number): (Transaction & { meterValues: MeterSample[] }) | null {
    const r = db
      .select({ tx: transactions, siteId: stations.siteId })
      .from(transactions)
      .leftJoin(stations, eq(stations.id, transactions.stationId))
      .where(eq(transactions.id, id))
      .get();
    if (!r) return null;
    const mvs = db
      .select()
      .from(meterValues)
      .where(eq(meterValues.transactionId, id))
      .orderBy(meterValues.timestamp, meterValues.id)
      .all()
      .map(({ dedupeKey: _k, sampledValues, currentL1A, currentL2A, currentL3A, ...m }) => ({
        ...m,
        currentA: { L1: currentL1A, L2: currentL2A, L3: currentL3A },
        sampledValue: parseSampled(sampledValues),
      }));
    return { ...toApi(r.tx, r.siteId), meterValues: mvs };
  }

  return { hasTransactions, toApi, list, get };
}

/** The stored sampledValue JSON (written by storeMeterValues; [] if it was ever damaged). */
function parseSampled(text: string): SampledValue[] {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? (v as SampledValue[]) : [];
  } catch {
    return [];
  }
}
