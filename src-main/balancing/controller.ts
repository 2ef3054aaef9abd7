// The load-balancing controller: on every trigger (a transaction started or stopped, a meter
// sample, a connector status, a charger connecting, disconnecting or booting, a saved model, a
// meter reading, the periodic review) it reads the site's state (site-state.ts), recomputes
// allocate() and moves the chargers there through the gateway without ever exceeding a limit
// (meter samples wait for a trailing recompute, at most one per sampleDebounceMs per site;
// everything else recomputes at once: controller-triggers.ts):
// - the ledger row of an increase is committed BEFORE its profile is sent (a restart still knows
//   the bound), a wave of them in one transaction; a reduction may leave before the commit, the
//   old, higher bound being on disk (controller-send.ts);
// - reductions go out first, increases only once every reduction is confirmed (transition.ts);
// - a refused or unanswered profile is retried; after MAX_FAILURES the charger counts as
//   uncontrolled at its full rating and the others are rebalanced;
// - every charger gets a safe fallback (TxDefaultProfile) when it boots.
// docs/load-balancing.md explains why this keeps the invariant.
import type { Seams } from '../platform/seams';
import type { DomainEventMap } from '../platform/domain-event-types';
import type { ChargerGateway, CallResult } from '../ocpp/gateway';
import { allocate, type Allocation } from './allocate';
import { createFallbackInstaller } from './controller-fallback';
import { createProfileSender, prepareOutgoing, type Outgoing } from './controller-send';
import { createControllerStats } from './controller-stats';
import { createRecomputeTriggers } from './controller-triggers';
import {
  appendLog,
  keyOf,
  pruneLog,
  readLedgerRow,
  settleInFlight,
  writeLedger,
  type LedgerRow,
} from './ledger-store';
import { createFaultTracker } from './faults';
import type { MeasuredLoadBoard } from './measured-load';
import { describeReason } from './reasons';
import { createSiteConfigCache } from './site-config-cache';
import { readSite, type ConnectorView, type SiteDecision } from './site-state';
import { planTransition, reductionsPending, type LedgerEntry } from './transition';

export interface ControllerOptions {
  /** Periodic review (rotation, retries, quiet meters). */
  reviewMs: number;
  /** Wait before retrying a refused or unanswered profile (times the failures so far). */
  retryMs: number;
  /** Failures in a row before the charger counts as uncontrolled at its full rating. */
  maxFailures: number;
  /** SetChargingProfile answer timeout. */
  timeoutMs: number;
  /** How long a charger may draw clearly above its limit before it is flagged. */
  overLimitMs: number;
  /** Meter samples recompute a site at most this often (controller-triggers.ts); 0: at once. */
  sampleDebounceMs: number;
}

export const DEFAULT_CONTROLLER_OPTIONS: ControllerOptions = {
  reviewMs: 30_000,
  retryMs: 5_000,
  maxFailures: 3,
  timeoutMs: 10_000,
  overLimitMs: 60_000,
  sampleDebounceMs: 500,
};

export type { SiteDecision } from './site-state';

const LOG_DAYS = 30;
/** A meter sample whose draw moved less than this since the last one does not recompute. */
const DRAW_TOLERANCE_A = 0.5;

export function createBalancingController(
  seams: Pick<Seams, 'db' | 'clock' | 'logger' | 'domainEvents' | 'scheduler'>,
  deps: { gateway: ChargerGateway; board: MeasuredLoadBoard; options?: Partial<ControllerOptions> },
) {
  const { db, clock, domainEvents, scheduler } = seams;
  const logger = seams.logger.child({ component: 'balancing' });
  const opts = { ...DEFAULT_CONTROLLER_OPTIONS, ...deps.options };
  const { gateway } = deps;
  const views = new Map<number, Map<string, ConnectorView>>();
  const previous = new Map<number, Allocation>();
  const last = new Map<number, SiteDecision>();
  /** Per site: the overloaded node-phases (node:phase) of the last recompute. */
  const loggedOverloads = new Map<number, Set<string>>();
  let stopped = false;
  const unsubscribe: (() => void)[] = [];
  const faults = createFaultTracker(domainEvents, opts.overLimitMs);

  const viewsOf = (siteId: number) => {
    let v = views.get(siteId);
    if (!v) views.set(siteId, (v = new Map()));
    return v;
  };

  const configs = createSiteConfigCache(db, domainEvents);
  const triggers = createRecomputeTriggers({
    clock,
    scheduler,
    logger,
    sampleDebounceMs: () => opts.sampleDebounceMs,
    recompute: (siteId) => void recompute(siteId),
  });
  /** Recompute the site at the next turn of the event loop (controller-triggers.ts). */
  const trigger = (siteId: number) => triggers.now(siteId);

  // Its own main-thread time and counts (the benches report them: docs/benchmarks.md).
  const { stats, timed } = createControllerStats();

  function recompute(siteId: number): SiteDecision | null {
    return timed(() => recomputeNow(siteId));
  }

  function recomputeNow(siteId: number): SiteDecision | null {
    // Whatever a waiting sample would recompute is read now.
    triggers.recomputed(siteId);
    const site = configs.get(siteId);
    const config = site?.config;
    if (!site || !config?.enabled) {
      last.delete(siteId);
      faults.clear(siteId, clock.now());
      return null;
    }
    const now = clock.now();
    stats.recomputes++;
    const { facts } = site;
    const v = viewsOf(siteId);
    const reads = { db, gateway, board: deps.board };

    // One transaction (one commit, one fsync) from the new transactions' ledger rows to the
    // wave's; increases leave after the commit (controller-send.ts).
    const { snap, allocation, wave, early } = sender.atomically(() => {
      let snap = readSite(reads, siteId, config, facts, v, now, site.model);
      // Ledger rows follow the transactions (state, not events): a new transaction starts under
      // the fallback in force (or unconstrained: its full rating); an ended one is idle again.
      let changed = false;
      for (const c of snap.connectors) {
        const fallbackA = snap.caps.get(c.stationId)?.fallbackA ?? null;
        const row = c.ledger;
        if (c.transactionId !== null && row?.transactionId !== c.transactionId) {
          writeLedger(
            db,
            fresh(c.stationId, c.connectorNumber, c.transactionId, fallbackA ?? c.ratingA),
            now,
          );
          v.set(c.key, { charging: false, since: now, drawA: null, holdUntil: 0 });
          changed = true;
        } else if (c.transactionId === null && row && row.transactionId !== null) {
          writeLedger(db, fresh(c.stationId, c.connectorNumber, null, fallbackA ?? c.ratingA), now);
          v.delete(c.key);
          changed = true;
        }
      }
      if (changed) snap = readSite(reads, siteId, config, facts, v, now, site.model);

      const allocation = allocate({
        model: snap.model,
        loads: snap.loads,
        connectors: snap.connectors.map((c) => c.input),
        previous: previous.get(siteId) ?? null,
      });
      const byKey = new Map(snap.connectors.map((c) => [c.key, c]));
      const ledger = new Map<string, LedgerEntry>();
      for (const c of snap.connectors) if (c.ledger) ledger.set(c.key, c.ledger);
      const plan = planTransition(ledger, allocation);
      const reasonOf = new Map(allocation.connectors.map((a) => [a.id, describeReason(a.reason)]));
      // Reductions first; increases only once no reduction is in flight (transition.ts).
      const wave: Outgoing[] = [];
      let allSent = true;
      for (const r of plan.reductions) {
        const c = byKey.get(r.id);
        const o = c && prepareOutgoing(snap, c, r.toA, 'reduction', reasonOf.get(r.id) ?? '');
        if (o) wave.push(o);
        else allSent = false;
      }
      // Re-read: what was just prepared is in flight now.
      const after = new Map<string, LedgerEntry>();
      for (const c of snap.connectors) {
        const row = c.ledger;
        if (row) after.set(c.key, row);
      }
      if (allSent && !reductionsPending(after))
        for (const inc of plan.increases) {
          const c = byKey.get(inc.id);
          const o = c && prepareOutgoing(snap, c, inc.toA, 'increase', reasonOf.get(inc.id) ?? '');
          if (o) wave.push(o);
        }
      // In this transaction; after a crash the row in flight counts at max(old, new).
      sender.persist(wave);
      // A reduction only lowers what its charger may draw, and the bound on disk (its old limit,
      // or its full rating) already covers it: reductions leave now, the commit's fsync
      // overlapping the chargers' work. An increase leaves only once its bound is on disk.
      const early = wave.every((o) => o.log.action === 'reduction');
      if (early) sender.send(wave);
      return { snap, allocation, wave, early };
    });
    stats.profiles += wave.length;

    // Rotation bookkeeping: since when each car charges or waits.
    for (const a of allocation.connectors) {
      if (!a.controlled) continue;
      const view = v.get(a.id) ?? { charging: false, since: now, drawA: null, holdUntil: 0 };
      const charging = a.limitA > 0;
      if (charging !== view.charging) v.set(a.id, { ...view, charging, since: now });
      else if (!v.has(a.id)) v.set(a.id, view);
    }
    previous.set(siteId, allocation);
    const decision = { snapshot: snap, allocation };
    last.set(siteId, decision);
    logOverloads(siteId, allocation);
    // After the commit (the batch's, when the sender recomputes while settling answers).
    sender.afterCommit(() => {
      if (!early) sender.send(wave);
      faults.update(snap, allocation, v, now);
      domainEvents.publish({ type: 'balancing.allocated', siteId, at: now });
    });
    return decision;
  }

  /**
   * Once when a node-phase becomes overloaded, and once when none is any more: a recompute
   * runs on every meter sample and charger event, and an overload lasts until the load falls or
   * the chargers we could not steer are reached (at a first start, every charger never seen yet
   * counts at its full rating until its fallback is confirmed), so logging it on each recompute
   * was one warning per charger booting.
   */
  function logOverloads(siteId: number, allocation: Allocation): void {
    const before = loggedOverloads.get(siteId) ?? new Set<string>();
    const now = new Set(allocation.overloads.map((o) => `${o.nodeId}:${o.phase}`));
    loggedOverloads.set(siteId, now);
    if (now.size === 0 && before.size > 0)
      logger.info('what the controller cannot steer is within every limit again', { siteId });
    else if ([...now].some((k) => !before.has(k)))
      logger.warn('what the controller cannot steer exceeds a limit', {
        siteId,
        overloads: allocation.overloads,
      });
  }

  const fresh = (
    stationId: number,
    connectorNumber: number,
    transactionId: number | null,
    confirmedA: number,
  ): LedgerRow => ({
    stationId,
    connectorNumber,
    transactionId,
    confirmedA,
    inFlightA: null,
    uncontrolled: false,
    failures: 0,
  });

  /** Settles one answer (in the sender's batch transaction); true: recompute the site now. */
  function settle(o: Outgoing, r: CallResult<unknown>): boolean {
    const { siteId, stationId, connectorNumber, txId, toA } = o;
    const key = keyOf(stationId, connectorNumber);
    const rows = readLedgerRow(db, stationId, connectorNumber);
    const now = clock.now();
    // An answer for a transaction that has ended, or a row reset meanwhile: nothing to settle.
    if (!rows || rows.transactionId !== txId || rows.inFlightA !== toA) return true;
    if (r.ok) {
      writeLedger(db, { ...rows, confirmedA: toA, inFlightA: null, failures: 0 }, now);
      // The site is recomputed once its last request in flight is answered (the sender).
      return false;
    }
    const failures = rows.failures + 1;
    const timedOut = r.failure.kind === 'timeout' || r.failure.kind === 'offline';
    const uncontrolled = failures >= opts.maxFailures;
    writeLedger(
      db,
      {
        ...rows,
        // Unanswered: it may have been applied; refused: the old limit stays in force.
        confirmedA: timedOut ? Math.max(rows.confirmedA, toA) : rows.confirmedA,
        inFlightA: null,
        failures,
        uncontrolled,
      },
      now,
    );
    appendLog(db, {
      siteId,
      at: now,
      stationId,
      connectorNumber,
      fromA: rows.confirmedA,
      toA,
      action: uncontrolled ? 'uncontrolled' : timedOut ? 'timeout' : 'rejected',
      reason: uncontrolled
        ? `${r.failure.message} After ${failures} attempts it counts at its full rating; the others are rebalanced.`
        : `${r.failure.message} Retried shortly; meanwhile counted at its limit in force.`,
    });
    if (!uncontrolled) {
      const holdUntil = now + opts.retryMs * failures;
      const v = viewsOf(siteId);
      const view = v.get(key) ?? { charging: true, since: now, drawA: null, holdUntil: 0 };
      v.set(key, { ...view, holdUntil });
      scheduler.wakeAt(`balancing.retry.${siteId}.${key}`, holdUntil, () => trigger(siteId));
    }
    return true;
  }

  const sender = createProfileSender({
    db,
    gateway,
    logger,
    now: () => clock.now(),
    timeoutMs: () => opts.timeoutMs,
    settle,
    recompute: (siteId) => void recompute(siteId),
    timed,
  });

  /** A charger booted or reconnected: learn what it accepts, forgive its failures, install the fallback. */
  async function onStationUp(siteId: number, stationId: number, booted: boolean): Promise<void> {
    const config = configs.config(siteId);
    if (!config?.enabled || !config.stations.some((s) => s.stationId === stationId)) return;
    if (booted)
      db.$client
        .prepare('UPDATE balancing_ledger SET uncontrolled = 0, failures = 0 WHERE station_id = ?')
        .run(stationId);
    await installFallback(siteId, stationId, booted ? 'boot' : 'reconnect');
    trigger(siteId);
  }

  const { installFallback } = createFallbackInstaller(
    { db, clock, gateway, timeoutMs: opts.timeoutMs },
    {
      config: (siteId) => configs.config(siteId),
      trigger,
      decision: (siteId) => last.get(siteId) ?? recompute(siteId),
    },
  );

  /** A meter sample: the car's draw, and a (debounced) recompute when it moved. */
  function onSample(e: DomainEventMap['transaction.meter']): void {
    stats.samples++;
    const v = viewsOf(e.siteId);
    const key = keyOf(e.stationId, e.connectorNumber);
    const view = v.get(key);
    const phases = e.currentA ? [e.currentA.L1, e.currentA.L2, e.currentA.L3] : [];
    const draws = phases.filter((x): x is number => x !== null);
    if (!view || draws.length === 0) return;
    const drawA = Math.max(...draws);
    v.set(key, { ...view, drawA });
    // A sample is a trigger only when the draw moved (the issue's "meter deviation beyond
    // the tolerance"): a car charging steadily sends one every few seconds, and each
    // recompute reads the whole site. Slow drifts and how long a charger has been over
    // its limit are seen by the periodic review.
    if (view.drawA === null || Math.abs(drawA - view.drawA) >= DRAW_TOLERANCE_A)
      triggers.sample(e.siteId);
  }

  const REVIEW_KEY = 'balancing.review';
  const enabledSites = (): { siteId: number }[] =>
    db.$client.prepare('SELECT site_id AS siteId FROM balancing_sites WHERE enabled = 1').all() as {
      siteId: number;
    }[];
  // The periodic review is a one-shot wake-up re-armed while some site balances, not an
  // always-on interval job: with no model saved nothing wakes, so a building without load
  // balancing (and every test's ManualClock) never steps through a 30 s tick.
  function armReview(): void {
    if (stopped) return;
    scheduler.wakeAt(
      REVIEW_KEY,
      enabledSites().length > 0 ? clock.now() + opts.reviewMs : null,
      review,
    );
  }
  function review(): void {
    for (const s of enabledSites()) trigger(s.siteId);
    pruneLog(db, clock.now() - LOG_DAYS * 86_400_000);
    armReview();
  }

  /** A new model (or a station re-wired, re-rated) may need a lower fallback: every connected
   *  charger gets it again. */
  function reinstallFallbacks(siteId: number): void {
    // The safe share comes from the site's decision: the one before this change is stale.
    last.delete(siteId);
    const rows = db.$client
      .prepare('SELECT station_id AS stationId FROM balancing_stations WHERE site_id = ?')
      .all(siteId) as { stationId: number }[];
    for (const r of rows)
      if (gateway.isConnected(r.stationId))
        void installFallback(siteId, r.stationId, 'model').catch((error: unknown) =>
          logger.error('fallback failed', { error }),
        );
  }

  return {
    reinstallFallbacks,
    start(): void {
      settleInFlight(db, clock.now());
      unsubscribe.push(
        domainEvents.subscribe('transaction.started', (e) => trigger(e.siteId)),
        domainEvents.subscribe('transaction.stopped', (e) => trigger(e.siteId)),
        domainEvents.subscribe('connector.status', (e) => trigger(e.siteId)),
        domainEvents.subscribe('station.disconnected', (e) => trigger(e.siteId)),
        domainEvents.subscribe('station.removed', (e) => trigger(e.siteId)),
        domainEvents.subscribe('transaction.meter', (e) => timed(() => onSample(e))),
        domainEvents.subscribe('station.connected', (e) => {
          void onStationUp(e.siteId, e.stationId, false).catch((error: unknown) =>
            logger.error('fallback failed', { error }),
          );
        }),
        domainEvents.subscribe('station.booted', (e) => {
          if (e.status !== 'Accepted') return;
          void onStationUp(e.siteId, e.stationId, true).catch((error: unknown) =>
            logger.error('fallback failed', { error }),
          );
        }),
        domainEvents.subscribe('balancing.model-saved', (e) => {
          previous.delete(e.siteId);
          trigger(e.siteId);
          reinstallFallbacks(e.siteId);
        }),
        deps.board.onChange((siteId) => trigger(siteId)),
        domainEvents.subscribe('balancing.model-saved', () => armReview()),
        () => scheduler.wakeAt(REVIEW_KEY, null, review),
      );
      for (const s of enabledSites()) trigger(s.siteId);
      armReview();
    },
    stop(): void {
      stopped = true;
      triggers.stop();
      configs.stop();
      sender.stop();
      for (const u of unsubscribe.splice(0)) u();
    },
    /** Recompute now (tests, the live view after a save). */
    recompute,
    trigger,
    /** Cumulative: main-thread ms in the controller, recomputes, samples, profiles sent. */
    stats: () => ({ ...stats }),
    last: (siteId: number) => last.get(siteId) ?? null,
    views: (siteId: number) => viewsOf(siteId),
    /** After a live restore: memory goes, the restored ledger is read as after a restart. */
    reset(): void {
      views.clear();
      previous.clear();
      last.clear();
      loggedOverloads.clear();
      triggers.reset();
      configs.clear();
      sender.reset();
      faults.reset();
      settleInFlight(db, clock.now());
    },
  };
}

export type BalancingController = ReturnType<typeof createBalancingController>;
