// The history of a balanced site: per minute, for the supply and each circuit, the current on
// each phase (the rest of the building plus what the chargers draw), what the chargers were
// allowed and the limit, so the live view can chart current per phase against the limit. Samples
// are taken when the controller allocates (every trigger, and at least every review period while
// a site balances: no timer of its own), at most one per site every SAMPLE_MS, folded into
// per-minute rows keeping the PEAK (a breaker trips on peaks, not averages). Kept KEEP_DAYS.
import type { Seams } from '../platform/seams';
import { PHASES, type Phase } from '../../src-shared/balancing/model';

export const SAMPLE_MS = 10_000;
export const MINUTE_MS = 60_000;
export const KEEP_DAYS = 14;
/** A chart never gets more points than this: longer windows are bucketed (peaks kept). */
export const MAX_POINTS = 360;

/** What the recorder needs of the live view (service.live's nodes). */
export interface LiveNodes {
  enabled: boolean;
  at: number;
  nodes: {
    id: string;
    phases: { phase: Phase; limitA: number; otherA: number; allowedA: number; drawA: number }[];
  }[];
}

export interface HistoryPoint {
  at: number;
  /** Peak current per phase in the bucket, A (null: the node does not carry that phase). */
  currentA: (number | null)[];
  allowedA: (number | null)[];
  limitA: (number | null)[];
}

const round1 = (a: number) => Math.round(a * 10) / 10;

export function createBalancingHistory(
  seams: Pick<Seams, 'db' | 'clock' | 'domainEvents' | 'logger'>,
  live: (siteId: number) => LiveNodes,
) {
  const { db, clock, domainEvents, logger } = seams;
  const lastSample = new Map<number, number>();
  let lastPrune = 0;
  const upsert = db.$client.prepare(
    `INSERT INTO balancing_history (site_id, node_id, minute, phase, limit_a, current_a, allowed_a)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (site_id, node_id, minute, phase) DO UPDATE SET
       limit_a = excluded.limit_a,
       current_a = max(current_a, excluded.current_a),
       allowed_a = max(allowed_a, excluded.allowed_a)`,
  );
  const write = db.$client.transaction((siteId: number, view: LiveNodes, minute: number) => {
    for (const n of view.nodes)
      for (const p of n.phases)
        upsert.run(
          siteId,
          n.id,
          minute,
          p.phase,
          round1(p.limitA),
          round1(p.otherA + p.drawA),
          round1(p.otherA + p.allowedA),
        );
  });

  function record(siteId: number): void {
    const now = clock.now();
    const last = lastSample.get(siteId);
    if (last !== undefined && now - last < SAMPLE_MS && now >= last) return;
    lastSample.set(siteId, now);
    try {
      const view = live(siteId);
      if (!view.enabled) return;
      write(siteId, view, Math.floor(now / MINUTE_MS) * MINUTE_MS);
      if (now - lastPrune > 3_600_000 || now < lastPrune) {
        lastPrune = now;
        db.$client
          .prepare('DELETE FROM balancing_history WHERE minute < ?')
          .run(now - KEEP_DAYS * 86_400_000);
      }
    } catch (error) {
      // History is for people; a failure to keep it must never touch the balancing itself.
      logger.error('balancing history sample failed', { siteId, error });
    }
  }

  // For the service's life (the controller publishes only while started).
  domainEvents.subscribe('balancing.allocated', (e) => record(e.siteId));

  return {
    /** Peaks per bucket for one node over the last `hours`, oldest first. */
    read(siteId: number, nodeId: string, hours: number) {
      const now = clock.now();
      const from = now - hours * 3_600_000;
      const bucketMs = Math.max(
        MINUTE_MS,
        Math.ceil((hours * 3_600_000) / MAX_POINTS / MINUTE_MS) * MINUTE_MS,
      );
      const rows = db.$client
        .prepare(
          `SELECT CAST(minute / ? AS INTEGER) * ? AS at, phase, max(current_a) AS currentA,
                  max(allowed_a) AS allowedA, min(limit_a) AS limitA
             FROM balancing_history
            WHERE site_id = ? AND node_id = ? AND minute >= ?
            GROUP BY at, phase ORDER BY at`,
        )
        .all(bucketMs, bucketMs, siteId, nodeId, from) as {
        at: number;
        phase: Phase;
        currentA: number;
        allowedA: number;
        limitA: number;
      }[];
      const points: HistoryPoint[] = [];
      for (const r of rows) {
        let p = points[points.length - 1];
        if (!p || p.at !== r.at) {
          p = {
            at: r.at,
            currentA: [null, null, null],
            allowedA: [null, null, null],
            limitA: [null, null, null],
          };
          points.push(p);
        }
        const k = PHASES.indexOf(r.phase);
        p.currentA[k] = r.currentA;
        p.allowedA[k] = r.allowedA;
        p.limitA[k] = r.limitA;
      }
      return { from, to: now, bucketMs, points };
    },
    /** Samples now (tests; the live view right after a save). */
    record,
  };
}

export type BalancingHistory = ReturnType<typeof createBalancingHistory>;
