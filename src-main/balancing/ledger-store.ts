// The controller's persisted state: the ledger (what each connector may draw: confirmed, and in
// flight), what each charger accepts (units, stack levels) and its fallback, and the log.
// Every ledger write is a synchronous SQLite commit made BEFORE the profile is sent.
import { desc, eq, isNotNull, lt, sql } from 'drizzle-orm';
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

export const keyOf = (stationId: number, connectorNumber: number) =>
  `${stationId}/${connectorNumber}`;

/**
 * The controller's statements, prepared once per connection: drizzle builds each statement on every
 * call, and these run for every station of a site on every recompute, and per profile sent.
 */
const statements = new WeakMap<object, ReturnType<typeof prepare>>();
function prepare(client: Db['$client']) {
  const ledgerColumns = `station_id AS stationId, connector_number AS connectorNumber,
    transaction_id AS transactionId, confirmed_a AS confirmedA, in_flight_a AS inFlightA,
    uncontrolled, failures`;
  return {
    ledgerOf: client.prepare(
      `SELECT ${ledgerColumns} FROM balancing_ledger
       WHERE station_id IN (SELECT value FROM json_each(?))`,
    ),
    ledgerRow: client.prepare(
      `SELECT ${ledgerColumns} FROM balancing_ledger WHERE station_id = ? AND connector_number = ?`,
    ),
    upsertLedger: client.prepare(
      `INSERT INTO balancing_ledger (station_id, connector_number, transaction_id, confirmed_a,
         in_flight_a, uncontrolled, failures, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (station_id, connector_number) DO UPDATE SET
         transaction_id = excluded.transaction_id, confirmed_a = excluded.confirmed_a,
         in_flight_a = excluded.in_flight_a, uncontrolled = excluded.uncontrolled,
         failures = excluded.failures, updated_at = excluded.updated_at`,
    ),
    chargersOf: client.prepare(
      `SELECT station_id AS stationId, unit, max_stack_level AS maxStackLevel,
         fallback_a AS fallbackA
       FROM balancing_chargers WHERE station_id IN (SELECT value FROM json_each(?))`,
    ),
    // site-state.ts: the site's outlets and the transactions active on them.
    connectorsOf: client.prepare(
      `SELECT station_id AS stationId, connector_number AS connectorNumber,
         max_current_a AS maxCurrentA
       FROM connectors WHERE station_id IN (SELECT value FROM json_each(?))`,
    ),
    activeOf: client.prepare(
      `SELECT t.id, t.station_id AS stationId, t.connector_number AS connectorNumber,
         sa.account_id AS accountId
       FROM transactions t LEFT JOIN session_accounts sa ON sa.transaction_id = t.id
       WHERE t.station_id IN (SELECT value FROM json_each(?)) AND t.status = 'active'`,
    ),
    insertLog: client.prepare(
      `INSERT INTO balancing_log (site_id, at, station_id, connector_number, from_a, to_a, action, reason)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
  };
}
/** The controller's prepared statements on this connection. */
export function stmts(db: Db) {
  let s = statements.get(db.$client);
  if (!s) statements.set(db.$client, (s = prepare(db.$client)));
  return s;
}

type LedgerSqlRow = Omit<LedgerRow, 'uncontrolled'> & { uncontrolled: number };
const ledgerRow = (r: LedgerSqlRow): LedgerRow => ({ ...r, uncontrolled: r.uncontrolled !== 0 });

export function readLedger(db: Db, stationIds: number[]): Map<string, LedgerRow> {
  const out = new Map<string, LedgerRow>();
  if (stationIds.length === 0) return out;
  for (const r of stmts(db).ledgerOf.all(JSON.stringify(stationIds)) as LedgerSqlRow[])
    out.set(keyOf(r.stationId, r.connectorNumber), ledgerRow(r));
  return out;
}

/** One connector's ledger row. */
export function readLedgerRow(
  db: Db,
  stationId: number,
  connectorNumber: number,
): LedgerRow | undefined {
  const r = stmts(db).ledgerRow.get(stationId, connectorNumber) as LedgerSqlRow | undefined;
  return r && ledgerRow(r);
}

export function writeLedger(db: Db, row: LedgerRow, now: number): void {
  stmts(db).upsertLedger.run(
    row.stationId,
    row.connectorNumber,
    row.transactionId,
    row.confirmedA,
    row.inFlightA,
    row.uncontrolled ? 1 : 0,
    row.failures,
    now,
  );
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
  for (const r of stmts(db).chargersOf.all(JSON.stringify(stationIds)) as (ChargerCaps & {
    stationId: number;
  })[])
    out.set(r.stationId, { unit: r.unit, maxStackLevel: r.maxStackLevel, fallbackA: r.fallbackA });
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
  stmts(db).insertLog.run(
    e.siteId,
    e.at,
    e.stationId,
    e.connectorNumber,
    e.fromA,
    e.toA,
    e.action,
    e.reason,
  );
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
