// The controller's SetChargingProfile traffic (split from controller.ts), shaped for latency:
// - a wave (the reductions of a recompute, or its increases) is persisted in ONE transaction, the
//   ledger rows and the log together, not one commit (one fsync) per request. An increase leaves
//   only after that commit (the invariant needs its higher bound on disk first); a reduction
//   leaves at once, since the bound already on disk (its old limit) covers it after a crash;
// - answers are settled in batches, one transaction for a wave's confirmations (held until its
//   last answer, at most HOLD_MS; a confirmation need not be durable at once: after a crash the
//   row still in flight counts at max(old, new)), and the site is recomputed when its last
//   reduction in flight is answered, its last request of any kind, or one failed, not on every
//   answer: while any reduction is in flight no increase may go, so a recompute in between only
//   costs. That recompute runs in the same transaction as the confirmations (afterCommit holds
//   its sends and events until the commit).
// With ~10 reductions per arrival this took the wire latency from ~20 commits and ~10 recomputes
// per arrival to 2 commits (the new car's wave, the confirmations with the increase) and 2
// recomputes, and the reductions no longer wait for the first fsync (docs/benchmarks.md).
import type { Db } from '../db/open';
import type { ChargerGateway, CallResult } from '../ocpp/gateway';
import type { Logger } from '../platform/logger';
import { stationPhases } from '../../src-shared/balancing/model';
import { txProfileRequest } from './controller-profiles';
import { appendLog, writeLedger, type LedgerRow, type LogAction } from './ledger-store';
import type { SiteSnapshot } from './site-state';
import { boundA } from './transition';

/** The longest a confirmation waits for the rest of its wave before it is written anyway. */
const HOLD_MS = 50;

export interface Outgoing {
  siteId: number;
  stationId: number;
  connectorNumber: number;
  txId: number;
  toA: number;
  /** The ledger row with the request in flight, written before it leaves. */
  row: LedgerRow;
  log: { fromA: number | null; action: LogAction; reason: string };
  request: ReturnType<typeof txProfileRequest>;
}

/** The request for this connector, its ledger row marked in flight; null when it cannot go now (offline, one in flight). */
export function prepareOutgoing(
  snap: SiteSnapshot,
  c: SiteSnapshot['connectors'][number],
  toA: number,
  action: 'reduction' | 'increase',
  reason: string,
): Outgoing | null {
  const row = c.ledger;
  if (!c.connected || c.transactionId === null || !row || row.inFlightA !== null) return null;
  const caps = snap.caps.get(c.stationId) ?? { unit: 'A', maxStackLevel: 0, fallbackA: null };
  const wiring = snap.model.stations.find((s) => s.stationId === String(c.stationId));
  const phases = wiring ? stationPhases(wiring).length : 3;
  const inFlight: LedgerRow = { ...row, inFlightA: toA };
  c.ledger = inFlight;
  const txId = c.transactionId;
  return {
    siteId: snap.siteId,
    stationId: c.stationId,
    connectorNumber: c.connectorNumber,
    txId,
    toA,
    row: inFlight,
    log: { fromA: boundA(row), action, reason },
    request: txProfileRequest(
      caps,
      c.connectorNumber,
      txId,
      toA,
      phases,
      snap.model.supply.nominalVoltageV,
    ),
  };
}

export function createProfileSender(deps: {
  db: Db;
  gateway: ChargerGateway;
  logger: Logger;
  now: () => number;
  timeoutMs: () => number;
  /** Settles one answer (inside the batch's transaction); true: recompute the site now. */
  settle(o: Outgoing, r: CallResult<unknown>): boolean;
  /** Recomputes a site (inside the batch's transaction: one commit for both). */
  recompute(siteId: number): void;
  /** Counts `fn`'s main-thread time as the controller's. */
  timed<T>(fn: () => T): T;
}) {
  const { db, gateway } = deps;
  /** Inside a transaction this sender opened: what must wait for its commit waits in `after`. */
  let own = false;
  const after: (() => void)[] = [];
  // One transaction, or a part of the caller's if one is open (better-sqlite3 does not nest).
  function atomically<T>(fn: () => T): T {
    if (db.$client.inTransaction) return fn();
    own = true;
    let out: T;
    try {
      out = db.transaction(fn);
    } catch (error) {
      after.length = 0;
      throw error;
    } finally {
      own = false;
    }
    for (const f of after.splice(0)) f();
    return out;
  }
  /** Runs `f` once this sender's open transaction has committed (at once outside one). */
  function afterCommit(f: () => void): void {
    if (own) after.push(f);
    else f();
  }
  /** Per site: requests sent and not yet settled, and how many of them are reductions. */
  const unanswered = new Map<number, number>();
  const reductions = new Map<number, number>();
  /** Counts one more (+1) or one less (-1); true when none is left. */
  const count = (m: Map<number, number>, siteId: number, d: number) => {
    const n = (m.get(siteId) ?? 0) + d;
    if (n > 0) m.set(siteId, n);
    else m.delete(siteId);
    return n <= 0;
  };
  /** Answers not yet settled in the database: settled together, one transaction. */
  const answers: { o: Outgoing; r: CallResult<unknown> }[] = [];
  let flushing = false;
  let stopped = false;

  /** Writes a wave's ledger rows and log, in the caller's transaction (see atomically). */
  function persist(wave: Outgoing[]): void {
    const now = deps.now();
    for (const o of wave) {
      writeLedger(db, o.row, now);
      appendLog(db, {
        siteId: o.siteId,
        at: now,
        stationId: o.stationId,
        connectorNumber: o.connectorNumber,
        toA: o.toA,
        ...o.log,
      });
    }
  }

  /** Sends a persisted wave (after its transaction committed). */
  function send(wave: Outgoing[]): void {
    for (const o of wave) {
      count(unanswered, o.siteId, 1);
      if (o.log.action === 'reduction') count(reductions, o.siteId, 1);
      void gateway
        .send(o.stationId, 'SetChargingProfile', o.request, {
          priority: 'urgent',
          timeoutMs: deps.timeoutMs(),
        })
        .then((r) => answered(o, r))
        .catch((error: unknown) => deps.logger.error('profile answer handling failed', { error }));
    }
  }

  /** Sites to recompute once the held answers are settled. */
  const due = new Set<number>();
  let holdTimer: NodeJS.Timeout | null = null;

  function answered(o: Outgoing, r: CallResult<unknown>): void {
    if (stopped) return;
    answers.push({ o, r });
    // Recomputed when its last reduction in flight is answered (increases may go now), its last
    // request of any kind (a target that changed meanwhile may go now), or on a failure.
    let now = !r.ok;
    if (count(unanswered, o.siteId, -1)) now = true;
    if (o.log.action === 'reduction' && count(reductions, o.siteId, -1)) now = true;
    if (now) {
      due.add(o.siteId);
      if (!flushing) {
        flushing = true;
        setImmediate(flush);
      }
    } else if (!holdTimer && !flushing) {
      // A write-batching timer, not a scheduled job (like the OCPP touch flush): confirmations
      // of a wave wait for its last answer, but never long, so the live view stays current.
      holdTimer = setTimeout(flush, HOLD_MS);
    }
  }

  function flush(): void {
    deps.timed(flushNow);
  }

  function flushNow(): void {
    flushing = false;
    if (holdTimer) clearTimeout(holdTimer);
    holdTimer = null;
    const batch = answers.splice(0);
    const sites = new Set(due);
    due.clear();
    try {
      // The confirmations and the recompute they allow (the increases once the last reduction is
      // confirmed) are one transaction: one commit, one fsync, before the increases leave.
      atomically(() => {
        for (const { o, r } of batch) if (deps.settle(o, r)) sites.add(o.siteId);
        for (const siteId of sites) {
          try {
            // A savepoint: a site that fails leaves the confirmations and the other sites.
            db.$client.transaction(() => deps.recompute(siteId))();
          } catch (error) {
            deps.logger.error('load balancing failed for a site', { siteId, error });
          }
        }
      });
    } catch (error) {
      deps.logger.error('could not settle the answers to charging profiles', { error });
    }
  }

  return {
    atomically,
    afterCommit,
    persist,
    send,
    stop(): void {
      stopped = true;
      if (holdTimer) clearTimeout(holdTimer);
      holdTimer = null;
    },
    /** After a live restore: what was in flight is settled from the ledger (settleInFlight). */
    reset(): void {
      after.length = 0;
      if (holdTimer) clearTimeout(holdTimer);
      holdTimer = null;
      due.clear();
      unanswered.clear();
      reductions.clear();
      answers.length = 0;
    },
  };
}
