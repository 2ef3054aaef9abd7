// The controller's SetChargingProfile traffic (split from controller.ts), shaped for latency:
// - a wave (the reductions of a recompute, or its increases) is persisted in ONE transaction, the
//   ledger rows and the log together, and only then does any request leave: the invariant needs
//   each bound on disk before its request leaves, not one commit (one fsync) per request;
// - answers are settled in batches, one transaction for a wave's confirmations (held until its
//   last answer, at most HOLD_MS; a confirmation need not be durable at once: after a crash the
//   row still in flight counts at max(old, new)), and the site is recomputed when its last
//   reduction in flight is answered, its last request of any kind, or one failed, not on every
//   answer: while any reduction is in flight no increase may go, so a recompute in between only
//   costs.
// With ~10 reductions per arrival this took the wire latency from ~20 commits and ~10 recomputes
// per arrival to 2-4 commits and 2 recomputes (docs/benchmarks.md).
import type { Db } from '../db/open';
import type { ChargerGateway, CallResult } from '../ocpp/gateway';
import type { Logger } from '../platform/logger';
import type { txProfileRequest } from './controller-profiles';
import { appendLog, writeLedger, type LedgerRow, type LogAction } from './ledger-store';

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

export function createProfileSender(deps: {
  db: Db;
  gateway: ChargerGateway;
  logger: Logger;
  now: () => number;
  timeoutMs: () => number;
  /** Settles one answer (inside the batch's transaction); true: recompute the site now. */
  settle(o: Outgoing, r: CallResult<unknown>): boolean;
  trigger(siteId: number): void;
}) {
  const { db, gateway } = deps;
  // One transaction, or a part of the caller's if one is open (better-sqlite3 does not nest).
  function atomically<T>(fn: () => T): T {
    if (db.$client.inTransaction) return fn();
    return db.transaction(fn);
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
    flushing = false;
    if (holdTimer) clearTimeout(holdTimer);
    holdTimer = null;
    const batch = answers.splice(0);
    const sites = [...due];
    due.clear();
    try {
      atomically(() => {
        for (const { o, r } of batch) if (deps.settle(o, r)) sites.push(o.siteId);
      });
    } finally {
      for (const siteId of new Set(sites)) deps.trigger(siteId);
    }
  }

  return {
    atomically,
    persist,
    send,
    stop(): void {
      stopped = true;
      if (holdTimer) clearTimeout(holdTimer);
      holdTimer = null;
    },
    /** After a live restore: what was in flight is settled from the ledger (settleInFlight). */
    reset(): void {
      if (holdTimer) clearTimeout(holdTimer);
      holdTimer = null;
      due.clear();
      unanswered.clear();
      reductions.clear();
      answers.length = 0;
    },
  };
}
