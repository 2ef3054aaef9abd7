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
import { createHash, hash } from 'node:crypto';
import {
  and,
  count,
  eq,
  gte,
  inArray,
  isNotNull,
  isNull,
  lte,
  ne,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { Db } from '../db/open';
import { meterValues, stations, transactions } from '../db/schema';
import type { MeterSample, SampledValue, Transaction } from '../../src-shared/ocpp/types';
import { extract, parseTime } from './units';
import {
  addReason,
  energyProblem,
  registerProblem,
  timeProblem,
  type Rating,
} from './plausibility';
import { pagedQuery, type PageRequest } from '../db/paged';

/** How long a connector's rating is cached for the MeterValues check (station edits apply after). */
const RATING_CACHE_MS = 60_000;

type TxRow = typeof transactions.$inferSelect;

export interface MeterValueIn {
  timestamp: string;
  sampledValue: SampledValue[];
}

export interface StationRef {
  id: number;
  siteId: number;
  identity: string;
}

export interface TxChange {
  kind: 'started' | 'updated' | 'stopped';
  tx: TxRow;
}

/** A transaction newly flagged suspect or for review (published as a domain event). */
export type OnFlagged = (f: {
  transactionId: number;
  stationId: number | null;
  flag: 'suspect' | 'review';
  reason: string;
}) => void;

export function createTransactions(db: Db, onFlagged: OnFlagged = () => {}) {
  const sqlite = db.$client;
  const insertMeter = sqlite.prepare(
    `INSERT OR IGNORE INTO meter_values (station_id, transaction_id, connector_number, timestamp, sampled_values, energy_wh, power_w, current_l1_a, current_l2_a, current_l3_a, soc_percent, dedupe_key)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

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

  // The rating the energy check uses: the connector's own maximum current if set, else the
  // station's; `known` = the station has this connector.
  const ratingQuery = sqlite.prepare(
    `SELECT s.max_current_a AS stationA, s.phases AS phases, c.max_current_a AS connectorA,
       c.id IS NOT NULL AS known
     FROM stations s LEFT JOIN connectors c ON c.station_id = s.id AND c.connector_number = ?
     WHERE s.id = ?`,
  );
  type RatingRow = {
    stationA: number;
    phases: string;
    connectorA: number | null;
    known: number;
  };
  function connectorRating(
    stationId: number | null,
    connector: number,
  ): { rating: Rating; known: boolean } | null {
    if (stationId == null) return null;
    const r = ratingQuery.get(connector, stationId) as RatingRow | undefined;
    if (!r) return null;
    return {
      rating: { maxCurrentA: r.connectorA ?? r.stationA, phases: r.phases === 'three' ? 3 : 1 },
      known: r.known === 1,
    };
  }
  // MeterValues is the hot path: its rating lookup is cached per station and connector.
  const ratingCache = new Map<string, { rating: Rating | null; until: number }>();
  function cachedRating(stationId: number | null, connector: number, now: number): Rating | null {
    if (stationId == null) return null;
    const key = `${stationId}:${connector}`;
    const hit = ratingCache.get(key);
    if (hit && hit.until > now) return hit.rating;
    if (ratingCache.size > 10_000) ratingCache.clear();
    const rating = connectorRating(stationId, connector)?.rating ?? null;
    ratingCache.set(key, { rating, until: now + RATING_CACHE_MS });
    return rating;
  }

  const setReview = sqlite.prepare(
    `UPDATE transactions SET flag = 'review', flag_reason = ? WHERE id = ?`,
  );
  /** Flags `row` for review with `reasons` added to any review reason it has; returns the row. */
  function review(row: TxRow, reasons: (string | null)[]): TxRow {
    let reason = row.flag === 'review' ? row.flagReason : null;
    for (const r of reasons) if (r) reason = addReason(reason, r);
    if (reason === null || (row.flag === 'review' && reason === row.flagReason)) return row;
    setReview.run(reason, row.id);
    onFlagged({ transactionId: row.id, stationId: row.stationId, flag: 'review', reason });
    return { ...row, flag: 'review', flagReason: reason };
  }

  // Hashed: a short fixed-width key keeps the unique index small and its inserts cheap. The
  // raw values are part of it, so two different samples with one timestamp are both kept.
  // crypto.hash (Node ≥ 20.12) is one call without a Hash object per sample; same digest as
  // createHash('sha1').update(head).update(raw), which older Nodes use.
  const dedupeKey = (
    identity: string,
    connector: number,
    transactionId: number | null,
    at: number,
    raw: string,
  ): string => {
    const head = `${identity}|${connector}|${transactionId ?? ''}|${at}|`;
    if (typeof hash === 'function') return hash('sha1', head + raw, 'base64');
    return createHash('sha1').update(head).update(raw).digest('base64');
  };

  /**
   * One row per sample (MeterValue element): the sampledValue array kept as received, the
   * quantities the product reads extracted (docs/ocpp.md "Meter values"). Returns the newest
   * energy register / power reading for the transaction row.
   */
  /** A MeterValues message's newest per-phase currents (A) and state of charge (%). */
  type LatestSample = {
    currentA: { L1: number | null; L2: number | null; L3: number | null } | null;
    socPercent: number | null;
  };
  function storeMeterValues(
    station: StationRef,
    connectorNumber: number,
    transactionId: number | null,
    values: MeterValueIn[],
    now: number,
  ): {
    inserted: number;
    energyWh: number | null;
    energyAt: number;
    powerW: number | null;
    lastAt: number | null;
    /** A newer sample's register below an older one's within this message. */
    backwards: { fromWh: number; toWh: number } | null;
    /** The newest sample's per-phase currents and state of charge (domain event). */
    latest: LatestSample;
  } {
    // Scalars, not {at, wh} objects per sample: this runs for every MeterValues message.
    let inserted = 0;
    let backwards: { fromWh: number; toWh: number } | null = null;
    let energyWh: number | null = null;
    let energyAt = -Infinity;
    let powerW: number | null = null;
    let powerAt = -Infinity;
    let lastAt: number | null = null;
    let latest: LatestSample = { currentA: null, socPercent: null };
    let latestAt = -Infinity;
    for (const mv of values) {
      const at = parseTime(mv.timestamp, now);
      lastAt = lastAt === null ? at : Math.max(lastAt, at);
      const x = extract(mv.sampledValue);
      const raw = JSON.stringify(mv.sampledValue);
      inserted += insertMeter.run(
        station.id,
        transactionId,
        connectorNumber,
        at,
        raw,
        x.energyWh,
        x.powerW,
        x.currentA[0],
        x.currentA[1],
        x.currentA[2],
        x.socPercent,
        dedupeKey(station.identity, connectorNumber, transactionId, at, raw),
      ).changes;
      if (x.energyWh !== null && at >= energyAt) {
        if (energyWh !== null && x.energyWh < energyWh && !backwards)
          backwards = { fromWh: energyWh, toWh: x.energyWh };
        energyWh = x.energyWh;
        energyAt = at;
      }
      if (x.powerW !== null && at >= powerAt) {
        powerW = x.powerW;
        powerAt = at;
      }
      if (at >= latestAt) {
        const [L1, L2, L3] = x.currentA;
        latest = {
          currentA: L1 === null && L2 === null && L3 === null ? null : { L1, L2, L3 },
          socPercent: x.socPercent,
        };
        latestAt = at;
      }
    }
    return { inserted, energyWh, energyAt, powerW, lastAt, backwards, latest };
  }

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

  // Every second (the sweep): prepared once; the partial index transactions_active_idx holds
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

  /**
   * A MeterValues' new register reading against the transaction: absurd, lower than an earlier
   * one (within the message or since the last), or more than the connector could deliver
   * since the start. Cheap when nothing is wrong (the rating is cached).
   */
  function checkReadings(
    before: TxRow,
    tx: TxRow,
    r: {
      energyWh: number | null;
      energyAt: number;
      backwards: { fromWh: number; toWh: number } | null;
    },
    now: number,
  ): TxRow {
    const energyWh = r.energyWh as number;
    const absurd = registerProblem('a meter reading', energyWh);
    if (absurd) return review(tx, [absurd]);
    const reasons: (string | null)[] = [];
    const prev = before.meterLastWh;
    if (r.backwards)
      reasons.push(
        energyProblem(r.backwards.fromWh, r.backwards.toWh, 0, null, {
          from: 'an earlier reading',
          to: 'a later reading',
        }),
      );
    else if (prev !== null && before.status === 'active' && !registerProblem('', prev))
      reasons.push(
        energyProblem(prev, energyWh, 0, null, {
          from: 'the previous reading',
          to: 'a new reading',
        }),
      );
    if (
      before.status === 'active' &&
      before.chargerTransactionId === null &&
      !registerProblem('', before.meterStartWh) &&
      energyWh > before.meterStartWh
    ) {
      const rating = cachedRating(before.stationId, before.connectorNumber, now);
      reasons.push(
        energyProblem(before.meterStartWh, energyWh, r.energyAt - before.startedAt, rating, {
          from: 'the reading at start',
          to: 'the latest reading',
        }),
      );
    }
    return reasons.some(Boolean) ? review(tx, reasons) : tx;
  }

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

  return {
    /** After a restore replaced the data (ratings may differ): forget the cached ones. */
    reloadAfterRestore: () => ratingCache.clear(),
    start,
    stop,
    meter,
    storeMeterValues,
    flagActiveAsSuspect,
    flagQuietAsSuspect,
    flagReview,
    hasTransactions,
    byId,
    toApi,
    list,
    get,
  };
}

export type Transactions = ReturnType<typeof createTransactions>;

/** The stored sampledValue JSON (written by storeMeterValues; [] if it was ever damaged). */
function parseSampled(text: string): SampledValue[] {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? (v as SampledValue[]) : [];
  } catch {
    return [];
  }
}
