// How billing reads a session: the one definition of its billable state (docs/sessions.md
// "How billing reads a session"). The charger's readings stay as sent; a review's decision is
// applied on top: the account it attributed, the stop reading / stop time it set, exclusion.
import type { Db } from '../db/open';

export type BillableStatus =
  /** Bill it: energy = meterStopWh − meterStartWh, to accountId (null: nobody to bill). */
  | 'billable'
  /** Flagged and not yet reviewed: leave it out of a run until a manager decides. */
  | 'held'
  /** A manager excluded it from billing. */
  | 'excluded'
  /** Still charging (no stop, and no stop set by a review): not billable yet. */
  | 'in-progress';

export interface BillableSession {
  transactionId: number;
  siteId: number | null;
  stationId: number | null;
  connectorNumber: number;
  /** The account to bill: a review's attribution, else the one fixed at start. */
  accountId: number | null;
  /** A visitor bay marked free: bill nothing (the energy still counts in reports). */
  free: boolean;
  startedAt: number;
  /** The charger's stop time, or the one a review set for a session whose stop never came. */
  stoppedAt: number | null;
  meterStartWh: number;
  /** The stop register a review set, else the charger's. */
  meterStopWh: number | null;
  energyWh: number | null;
  /** True when a review changed the stop reading (invoices may say so). */
  corrected: boolean;
  status: BillableStatus;
  /** Why it is held (the flag's reason). */
  heldReason: string | null;
}

/** One statement for any set of sessions; `WHERE` over the aliases t (transactions), s
 *  (stations), sa (session_accounts), rs (session_review_state). */
const SELECT = `SELECT t.id AS transactionId, s.site_id AS siteId, t.station_id AS stationId,
    t.connector_number AS connectorNumber,
    coalesce(rs.account_id, sa.account_id) AS accountId, coalesce(sa.free, 0) AS free,
    t.started_at AS startedAt, coalesce(rs.stopped_at, t.stopped_at) AS stoppedAt,
    t.meter_start_wh AS meterStartWh,
    coalesce(rs.meter_stop_wh, t.meter_stop_wh) AS meterStopWh,
    rs.meter_stop_wh IS NOT NULL AS corrected,
    CASE
      WHEN rs.excluded = 1 THEN 'excluded'
      WHEN t.flag IS NOT NULL AND (rs.transaction_id IS NULL OR rs.flag IS NOT t.flag
        OR rs.flag_reason IS NOT t.flag_reason) THEN 'held'
      WHEN coalesce(rs.stopped_at, t.stopped_at) IS NULL THEN 'in-progress'
      ELSE 'billable'
    END AS status,
    t.flag_reason AS flagReason
  FROM transactions t
    LEFT JOIN stations s ON s.id = t.station_id
    LEFT JOIN session_accounts sa ON sa.transaction_id = t.id
    LEFT JOIN session_review_state rs ON rs.transaction_id = t.id`;

type Raw = Omit<BillableSession, 'free' | 'corrected' | 'energyWh' | 'heldReason'> & {
  free: number;
  corrected: number;
  flagReason: string | null;
};

const toBillable = ({ flagReason, ...r }: Raw): BillableSession => ({
  ...r,
  free: r.free === 1,
  corrected: r.corrected === 1,
  energyWh: r.meterStopWh === null ? null : r.meterStopWh - r.meterStartWh,
  heldReason: r.status === 'held' ? flagReason : null,
});

export function createBillable(db: Db) {
  const sqlite = db.$client;
  const one = sqlite.prepare(`${SELECT} WHERE t.id = ?`);
  // A session is billed in the period it ended: by the charger's stop (through the stop-key
  // index, sessions/sort.ts) or by the stop a review set, then the effective stop checked.
  const bySite = sqlite.prepare(
    `${SELECT} WHERE t.id IN (
         SELECT id FROM transactions
         WHERE (CASE WHEN stopped_at IS NULL THEN 8640000000000000 ELSE stopped_at END) >= @from
           AND (CASE WHEN stopped_at IS NULL THEN 8640000000000000 ELSE stopped_at END) < @to
         UNION SELECT transaction_id FROM session_review_state
         WHERE stopped_at >= @from AND stopped_at < @to)
       AND s.site_id = @siteId
       AND coalesce(rs.stopped_at, t.stopped_at) >= @from
       AND coalesce(rs.stopped_at, t.stopped_at) < @to
     ORDER BY coalesce(rs.stopped_at, t.stopped_at), t.id`,
  );
  return {
    /** One session's billable state, or null when there is no such session. */
    state(transactionId: number): BillableSession | null {
      const r = one.get(transactionId) as Raw | undefined;
      return r ? toBillable(r) : null;
    },
    /**
     * Every session of a site that ended in [from, to) (UTC ms; the caller converts the site's
     * local billing period), in stop order, whatever its status: billing bills 'billable' ones
     * and lists 'held' ones as waiting for review.
     */
    endedBetween(siteId: number, from: number, to: number): BillableSession[] {
      return (bySite.all({ siteId, from, to }) as Raw[]).map(toBillable);
    },
  };
}

export type Billable = ReturnType<typeof createBillable>;
