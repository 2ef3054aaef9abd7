// The review side of transactions (plausibility.ts applied): the connector's rating for the
// energy check (cached: MeterValues is the hot path), flagging a transaction for review with
// its reasons, and the checks on a MeterValues' new register reading.
import type { Database } from 'better-sqlite3';
import type { transactions } from '../db/schema';
import { addReason, energyProblem, registerProblem, type Rating } from './plausibility';

/** How long a connector's rating is cached for the MeterValues check; an edit of the station or
 *  outlet drops it at once (station.updated / connector.updated, ocpp/service.ts). */
const RATING_CACHE_MS = 60_000;

type TxRow = typeof transactions.$inferSelect;

/** A transaction newly flagged suspect or for review (published as a domain event). */
export type OnFlagged = (f: {
  transactionId: number;
  stationId: number | null;
  flag: 'suspect' | 'review';
  reason: string;
}) => void;

export function createReadingChecks(sqlite: Database, onFlagged: OnFlagged) {
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

  return {
    connectorRating,
    review,
    checkReadings,
    /** After a restore replaced the data (ratings may differ): forget the cached ones. */
    forgetRatings: () => ratingCache.clear(),
  };
}
