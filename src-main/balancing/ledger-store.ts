// The controller's persisted state: the ledger (what each connector may draw: confirmed, and in
// flight), what each charger accepts (units, stack levels) and its fallback, and the log.
// Every ledger write is a synchronous SQLite commit made BEFORE the profile is sent.
import { desc, eq, isNotNull, lt, sql, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../db/open';
import { balancingChargers, balancingLedger, balancingLog, stations } from '../db/schema';
import { boundA } from './transition';

export interface LedgerRow {
  stationId: number;
  connectorNumber: number;
  transactionId: number | null;
  confirmedA: number;
  inFlightA: number | null;
  uncontrolled: boolean;
  failures: number;
}

/**
 * `column IN (the ids)` as ONE parameter (a JSON array read by json_each) instead of one per id:
 * drizzle builds the statement on every call, and the controller reads every station of a site
 * on every recompute (200 parameters each cost more than the query).
 */
export const inIds = (column: SQLWrapper, ids: readonly number[]) =>
  sql`${column} in (select value from json_each(${JSON.stringify(ids)}))`;

export const keyOf = (stationId: number, connectorNumber: number) =>
  `${stationId}/${connectorNumber}`;

export function readLedger(db: Db, stationIds: number[]): Map<string, LedgerRow> {
  const out = new Map<string, LedgerRow>();
  if (stationIds.length === 0) return out;
  for (const r of db
    .select()
    .from(balancingLedger)
    .where(inIds(balancingLedger.stationId, stationIds))
    .all())
    out.set(keyOf(r.stationId, r.connectorNumber), r);
  return out;
}

export function writeLedger(db: Db, row: LedgerRow, now: number): void {
  const set = {
    transactionId: row.transactionId,
    confirmedA: row.confirmedA,
    inFlightA: row.inFlightA,
    uncontrolled: row.uncontrolled,
    failures: row.failures,
    updatedAt: now,
  };
  db.insert(balancingLedger)
    .values({ stationId: row.stationId, connectorNumber: row.connectorNumber, ...set })
    .onConflictDoUpdate({
      target: [balancingLedger.stationId, balancingLedger.connectorNumber],
      set,
    })
    .run();
}

/**
 * After a restart nobody knows whether a profile in flight was applied: from now on the higher of
 * the two counts as in force (docs/load-balancing.md, the invariant).
 */
export function settleInFlight(db: Db, now: number): void {
  db.update(balancingLedger)
    .set({
      confirmedA: sql`max(${balancingLedger.confirmedA}, ${balancingLedger.inFlightA})`,
      inFlightA: null,
      updatedAt: now,
    })
    .where(isNotNull(balancingLedger.inFlightA))
    .run();
}

export const ledgerBound = (row: LedgerRow | undefined): number | null =>
  row ? boundA(row) : null;

export interface ChargerCaps {
  unit: 'A' | 'W';
  maxStackLevel: number;
  fallbackA: number | null;
}

export function readChargers(db: Db, stationIds: number[]): Map<number, ChargerCaps> {
  const out = new Map<number, ChargerCaps>();
  if (stationIds.length === 0) return out;
  for (const r of db
    .select()
    .from(balancingChargers)
    .where(inIds(balancingChargers.stationId, stationIds))
    .all())
    out.set(r.stationId, r);
  return out;
}

export function writeCharger(db: Db, stationId: number, caps: ChargerCaps, now: number): void {
  const row = { ...caps, fallbackAt: caps.fallbackA === null ? null : now, updatedAt: now };
  db.insert(balancingChargers)
    .values({ stationId, ...row })
    .onConflictDoUpdate({ target: balancingChargers.stationId, set: row })
    .run();
}

export type LogAction =
  | 'reduction'
  | 'increase'
  | 'fallback'
  | 'confirmed'
  | 'rejected'
  | 'timeout'
  | 'uncontrolled'
  | 'overload';

export function appendLog(
  db: Db,
  e: {
    siteId: number;
    at: number;
    stationId: number;
    connectorNumber: number;
    fromA: number | null;
    toA: number;
    action: LogAction;
    reason: string;
  },
): void {
  db.insert(balancingLog).values(e).run();
}

/** The log is for explaining recent decisions: older than `before` goes. */
export function pruneLog(db: Db, before: number): void {
  db.delete(balancingLog).where(lt(balancingLog.at, before)).run();
}

export function readLog(db: Db, siteId: number, limit: number) {
  return db
    .select({
      id: balancingLog.id,
      at: balancingLog.at,
      stationId: balancingLog.stationId,
      stationName: sql<string>`coalesce(${stations.name}, '')`,
      connectorNumber: balancingLog.connectorNumber,
      fromA: balancingLog.fromA,
      toA: balancingLog.toA,
      action: balancingLog.action,
      reason: balancingLog.reason,
    })
    .from(balancingLog)
    .leftJoin(stations, eq(stations.id, balancingLog.stationId))
    .where(eq(balancingLog.siteId, siteId))
    .orderBy(desc(balancingLog.id))
    .limit(limit)
    .all();
}
