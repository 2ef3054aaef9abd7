// Transactions, exactly once (ocpp.md "Things real chargers do"):
// - a retransmitted StartTransaction (same charger, connector, idTag, meterStart, timestamp) gets
//   the transactionId it got the first time;
// - retransmitted StopTransaction / MeterValues are recorded once (dedupe keys);
// - offline transactions keep the charger's timestamps;
// - a StopTransaction for an id we never issued is recorded and flagged for review;
// - an active transaction is flagged suspect when its charger boots or it goes quiet too long,
//   and un-flagged when a message for it arrives again;
// - impossible or implausible meter readings (plausibility.ts) and connectors the station does
//   not have flag it for review; the readings are kept as sent.
// The parts: meter-samples.ts (meter_values rows), reading-checks.ts (review flags),
// transaction-queries.ts (the API's read side).
import { and, eq, isNotNull, isNull, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../db/open';
import { meterValues, transactions } from '../db/schema';
import { parseTime } from './units';
import { energyProblem, registerProblem, timeProblem } from './plausibility';
import {
  createMeterSamples,
  type LatestSample,
  type MeterValueIn,
  type StationRef,
} from './meter-samples';
import { createReadingChecks, type OnFlagged } from './reading-checks';
import { createTransactionQueries } from './transaction-queries';

export type { MeterValueIn, StationRef } from './meter-samples';
export type { OnFlagged } from './reading-checks';

type TxRow = typeof transactions.$inferSelect;

export interface TxChange {
  kind: 'started' | 'updated' | 'stopped';
  tx: TxRow;
}

export function createTransactions(db: Db, onFlagged: OnFlagged = () => {}) {
  const sqlite = db.$client;
  const storeMeterValues = createMeterSamples(sqlite);
  const { connectorRating, review, checkReadings, forgetRatings } = createReadingChecks(
    sqlite,
    onFlagged,
  );
  const queries = createTransactionQueries(db);

  // One wrapper, built once (better-sqlite3 prepares BEGIN/COMMIT per wrapper). Inside a
  // transaction the caller's savepoint already makes the work atomic — the group commit runs
  // each charger message in its own savepoint and rolls it back on a throw — so a second,
  // nested savepoint is skipped (two statements per message on the hottest path). Callers
  // inside a transaction must therefore not catch a throw from these and carry on.
  const wrapper = sqlite.transaction((fn: () => unknown) => fn());
  const atomic = <T>(fn: () => T): T => (sqlite.inTransaction ? fn() : (wrapper(fn) as T));

  // Hot path (every MeterValues of a transaction): the query is built and prepared once.
  const byIdQuery = db
    .select()
    .from(transactions)
    .where(eq(transactions.id, sql.placeholder('id')))
    .prepare();
  const byId = (id: number): TxRow | undefined => byIdQuery.get({ id });
  const byStartKeyQuery = db
    .select()
    .from(transactions)
    .where(eq(transactions.startKey, sql.placeholder('key')))
    .prepare();
  const byStartKey = (key: string): TxRow | undefined => byStartKeyQuery.get({ key });
  // SET expressions all read the old row, so the flag test applies to both columns. A
  // 'review' flag stays: only the operator clears it.
  const touchTx = sqlite.prepare(
    `UPDATE transactions SET last_message_at = ?,
       meter_last_wh = COALESCE(?, meter_last_wh), power_w = COALESCE(?, power_w),
       flag_reason = CASE WHEN flag = 'suspect' THEN NULL ELSE flag_reason END,
       flag = CASE WHEN flag = 'suspect' THEN NULL ELSE flag END
     WHERE id = ?`,
  );

  /**
   * Active transactions of a station that the charger did not mention since its (re)boot. A
   * 'review' flag is stronger and stays (only the operator clears it).
   */
  function flagActiveAsSuspect(stationId: number, reason: string): number {
    const flagged = db
      .update(transactions)
      .set({ flag: 'suspect', flagReason: reason })
      .where(
        and(eq(transactions.stationId, stationId), eq(transactions.status, 'active'), notReview),
      )
      .returning({ id: transactions.id })
      .all();
    for (const f of flagged) onFlagged({ transactionId: f.id, stationId, flag: 'suspect', reason });
    return flagged.length;
  }

  // The sweep: prepared once; the partial index transactions_active_idx holds
  // only active transactions, so this never scans the (ever-growing) completed ones.
  const flagQuiet = sqlite.prepare(
    `UPDATE transactions SET flag = 'suspect', flag_reason = 'no message from the charger for this transaction'
     WHERE status = 'active' AND last_message_at < ? AND flag IS NULL
     RETURNING id, station_id AS stationId, flag_reason AS reason`,
  );
  function flagQuietAsSuspect(before: number): number {
    const flagged = flagQuiet.all(before) as {
      id: number;
      stationId: number | null;
      reason: string;
    }[];
    for (const f of flagged)
      onFlagged({ transactionId: f.id, stationId: f.stationId, flag: 'suspect', reason: f.reason });
    return flagged.length;
  }

  // The sweep's next deadline (sweeps.ts): walks transactions_active_idx from the quietest.
  const quietest = sqlite
    .prepare(
      `SELECT MIN(last_message_at) AS at FROM transactions WHERE status = 'active' AND flag IS NULL`,
    )
    .pluck();
  /** The last message time of the quietest active transaction not yet flagged, null if none. */
  const quietestUnflagged = () => quietest.get() as number | null;

  const notReview = or(isNull(transactions.flag), ne(transactions.flag, 'review'));

  const seen = (tx: TxRow, now: number): TxRow => {
    const patch = {
      lastMessageAt: now,
      ...(tx.flag === 'suspect' ? { flag: null, flagReason: null } : {}),
    };
    db.update(transactions).set(patch).where(eq(transactions.id, tx.id)).run();
    return { ...tx, ...patch };
  };

  function start(
    station: StationRef,
    req: {
      connectorId: number;
      idTag: string;
      meterStart: number;
      timestamp: string;
      reservationId?: number;
    },
    now: number,
  ): { tx: TxRow; isNew: boolean } {
    const startedAt = parseTime(req.timestamp, now);
    const startKey = [station.identity, req.connectorId, req.idTag, req.meterStart, startedAt].join(
      '|',
    );
    return atomic(() => {
      const existing = db
        .select()
        .from(transactions)
        .where(eq(transactions.startKey, startKey))
        .get();
      if (existing) return { tx: seen(existing, now), isNew: false };
      // A new start on a connector that still has an active transaction: the old one's
      // StopTransaction was lost (a "zombie" session): flag it, keep it for the operator.
      db.update(transactions)
        .set({ flag: 'suspect', flagReason: 'a new transaction started on the same connector' })
        .where(
          and(
            eq(transactions.identity, station.identity),
            eq(transactions.connectorNumber, req.connectorId),
            eq(transactions.status, 'active'),
            notReview,
          ),
        )
        .run();
      const inserted = db
        .insert(transactions)
        .values({
          stationId: station.id,
          identity: station.identity,
          connectorNumber: req.connectorId,
          idTag: req.idTag,
          startKey,
          status: 'active',
          startedAt,
          meterStartWh: Math.round(req.meterStart),
          meterLastWh: Math.round(req.meterStart),
          reservationId: req.reservationId ?? null,
          lastMessageAt: now,
        })
        .returning()
        .get();
      const connector = connectorRating(station.id, req.connectorId);
      const tx = review(inserted, [
        registerProblem('the meter reading at start', req.meterStart),
        timeProblem('the start time', startedAt, now),
        connector && !connector.known
          ? `started on connector ${req.connectorId}, which this station does not have`
          : null,
      ]);
      return { tx, isNew: true };
    });
  }

  function stop(
    station: StationRef,
    req: {
      transactionId: number;
      meterStop: number;
      timestamp: string;
      idTag?: string;
      reason?: string;
      transactionData?: MeterValueIn[];
    },
    now: number,
  ): { tx: TxRow; isNew: boolean } {
    const stoppedAt = parseTime(req.timestamp, now);
    return atomic(() => {
      const found = byId(req.transactionId);
      const ours = found && found.identity === station.identity ? found : undefined;
      // Completes `row` with the stop's readings; a repeated stop is recorded once.
      const complete = (row: TxRow, extra: Partial<TxRow>, whenDone: () => TxRow) => {
        const data = req.transactionData ?? [];
        if (data.length) storeMeterValues(station, row.connectorNumber, row.id, data, now);
        if (row.status === 'completed') return { tx: whenDone(), isNew: false };
        const stopProblem = registerProblem('the meter reading at stop', req.meterStop);
        const reasons = [
          stopProblem,
          timeProblem('the stop time', stoppedAt, now),
          stoppedAt < row.startedAt
            ? `it stopped (${new Date(stoppedAt).toISOString()}) before it started (${new Date(row.startedAt).toISOString()})`
            : null,
          stopProblem || registerProblem('', row.meterStartWh)
            ? null
            : energyProblem(
                row.meterStartWh,
                req.meterStop,
                stoppedAt - row.startedAt,
                row.chargerTransactionId == null
                  ? (connectorRating(row.stationId, row.connectorNumber)?.rating ?? null)
                  : null,
                { from: 'the reading at start', to: 'the reading at stop' },
              ),
        ];
        const patch = {
          status: 'completed' as const,
          stoppedAt,
          meterStopWh: Math.round(req.meterStop),
          meterLastWh: Math.round(req.meterStop),
          stopReason: req.reason ?? 'Local',
          stopIdTag: req.idTag ?? null,
          lastMessageAt: now,
          powerW: 0,
          ...extra,
        };
        db.update(transactions).set(patch).where(eq(transactions.id, row.id)).run();
        return { tx: review({ ...row, ...patch }, reasons), isNew: true };
      };
      if (ours) {
        const unflag = ours.flag === 'suspect' ? { flag: null, flagReason: null } : {};
        return complete(ours, unflag, () => seen(ours, now));
      }
      // Never issued by us, but MeterValues already opened a review transaction for it: stop
      // that one (it keeps its review flag).
      const held = byStartKey(orphanKey(station.identity, req.transactionId));
      if (held) return complete(held, { idTag: held.idTag || (req.idTag ?? '') }, () => held);
      // Never issued by us (server data loss, or another central system): record and flag.
      const startKey = ['stop', station.identity, req.transactionId, req.meterStop, stoppedAt].join(
        '|',
      );
      const existing = db
        .select()
        .from(transactions)
        .where(eq(transactions.startKey, startKey))
        .get();
      if (existing) return { tx: existing, isNew: false };
      const data = req.transactionData ?? [];
      const times = data.map((d) => parseTime(d.timestamp, stoppedAt));
      const startedAt = times.length ? Math.min(stoppedAt, ...times) : stoppedAt;
      const tx = db
        .insert(transactions)
        .values({
          stationId: station.id,
          identity: station.identity,
          connectorNumber: 0,
          idTag: req.idTag ?? '',
          chargerTransactionId: req.transactionId,
          startKey,
          status: 'completed',
          flag: 'review',
          flagReason: `StopTransaction for transactionId ${req.transactionId}, which this server never issued`,
          startedAt,
          stoppedAt,
          meterStartWh: Math.round(req.meterStop),
          meterStopWh: Math.round(req.meterStop),
          meterLastWh: Math.round(req.meterStop),
          stopReason: req.reason ?? 'Local',
          stopIdTag: req.idTag ?? null,
          lastMessageAt: now,
        })
        .returning()
        .get();
      if (data.length) {
        storeMeterValues(station, 0, tx.id, data, now);
        const first = db
          .select({ v: meterValues.energyWh })
          .from(meterValues)
          .where(and(eq(meterValues.transactionId, tx.id), isNotNull(meterValues.energyWh)))
          .orderBy(meterValues.timestamp)
          .limit(1)
          .get();
        if (first?.v != null) {
          db.update(transactions)
            .set({ meterStartWh: Math.round(first.v) })
            .where(eq(transactions.id, tx.id))
            .run();
        }
      }
      const stored = byId(tx.id);
      return { tx: stored ?? tx, isNew: true };
    });
  }

  const orphanKey = (identity: string, chargerTransactionId: number) =>
    ['orphan', identity, chargerTransactionId].join('|');

  /** The review transaction holding messages for a transactionId we never issued. */
  function orphan(
    station: StationRef,
    connectorNumber: number,
    chargerTransactionId: number,
    values: MeterValueIn[],
    now: number,
  ): { row: TxRow; created: boolean } {
    const startKey = orphanKey(station.identity, chargerTransactionId);
    const existing = byStartKey(startKey);
    if (existing) return { row: existing, created: false };
    const times = values.map((v) => parseTime(v.timestamp, now));
    const row = db
      .insert(transactions)
      .values({
        stationId: station.id,
        identity: station.identity,
        connectorNumber,
        idTag: '',
        chargerTransactionId,
        startKey,
        status: 'active',
        flag: 'review',
        flagReason: `MeterValues for transactionId ${chargerTransactionId}, which this server never issued`,
        startedAt: times.length ? Math.min(...times) : now,
        meterStartWh: 0,
        lastMessageAt: now,
      })
      .returning()
      .get();
    return { row, created: true };
  }

  /** Flags a transaction for the operator's review (kept, never dropped), adding `reason`. */
  function flagReview(row: TxRow, reason: string): TxRow {
    return review(row, [reason]);
  }

  function meter(
    station: StationRef,
    req: { connectorId: number; transactionId?: number; meterValue: MeterValueIn[] },
    now: number,
  ): { tx: TxRow | null; latest: LatestSample | null } {
    return atomic(() => {
      const found = req.transactionId != null ? byId(req.transactionId) : undefined;
      let tx = found && found.identity === station.identity ? found : null;
      // A transactionId we never issued (server data loss, another central system): keep the
      // readings on a transaction flagged for review instead of storing them unlinked.
      let opened = false;
      if (!tx && req.transactionId != null) {
        const o = orphan(station, req.connectorId, req.transactionId, req.meterValue, now);
        tx = o.row;
        opened = o.created;
      }
      const r = storeMeterValues(station, req.connectorId, tx?.id ?? null, req.meterValue, now);
      if (!tx) return { tx: null, latest: null };
      if (opened && r.energyWh !== null) {
        // Our first sight of it: its first reading is the best start we have.
        db.update(transactions)
          .set({ meterStartWh: r.energyWh })
          .where(eq(transactions.id, tx.id))
          .run();
        tx = { ...tx, meterStartWh: r.energyWh };
      }
      const active = tx.status === 'active';
      const meterLastWh = active ? r.energyWh : null;
      const powerW = active ? r.powerW : null;
      touchTx.run(now, meterLastWh, powerW, tx.id);
      const patch: Partial<TxRow> = { lastMessageAt: now };
      if (tx.flag === 'suspect') Object.assign(patch, { flag: null, flagReason: null });
      if (meterLastWh !== null) patch.meterLastWh = meterLastWh;
      if (powerW !== null) patch.powerW = powerW;
      const updated = { ...tx, ...patch };
      if (r.inserted === 0 || r.energyWh === null) return { tx: updated, latest: r.latest };
      return { tx: checkReadings(tx, updated, r, now), latest: r.latest };
    });
  }

  return {
    /** After a restore replaced the data (ratings may differ): forget the cached ones. */
    reloadAfterRestore: forgetRatings,
    start,
    stop,
    meter,
    storeMeterValues,
    flagActiveAsSuspect,
    flagQuietAsSuspect,
    quietestUnflagged,
    flagReview,
    byId,
    ...queries,
  };
}

export type Transactions = ReturnType<typeof createTransactions>;
