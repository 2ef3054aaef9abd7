// The OCPP sweeps: calls of ours given up after the call timeout, chargers silent too long
// marked offline, quiet transactions flagged as suspect, and message-log retention; on the
// scheduler (the injected clock).
import type { FrameLog } from './frame-log';
import { closeFailed, GIVE_UP_MARGIN_MS, type OcppRuntime } from './runtime';
import type { Session } from './session';

/** The sweep runs at most this often (it did every second when it was a timer). */
const MIN_GAP_MS = 1_000;
const PRUNE_EVERY_MS = 60 * 60_000;
const WAKE_KEY = 'ocpp.sweep';

/**
 * The sweep runs on the scheduler (platform/scheduler.ts, the injected clock) at the next time
 * something can come due, not every second: the oldest session's silence limit, the oldest call
 * of ours still unanswered, the quietest unflagged active transaction's limit, the next log
 * pruning. Anything that starts after a sweep comes due after `now + limit`, so each sweep arms
 * the next one no later than that; our outbound calls (whose timeout is shorter) arm it when
 * sent (`sweepBy`). With ManualClock, `await clock.advance(ms)` runs the sweeps due meanwhile
 * at their times. Nothing here runs per charger message.
 */
export function createSweeps(
  rt: OcppRuntime,
  logUnanswered: FrameLog['logUnanswered'],
  setConnected: (s: Session, connected: boolean) => void,
) {
  const { clock, logger, store, tx, sessions, byActivity, awaiting, callTimeoutMs } = rt;
  const { scheduler } = rt.seams;
  const { messageLog } = rt.deps;
  let lastPrune = -Infinity;
  let running = false;
  let started = false;
  /** When the armed wake-up fires (Infinity: none armed). */
  let armedAt = Infinity;

  /**
   * Offline chargers, calls given up, quiet transactions, log retention. Returns the earliest
   * time at which the next sweep can find something to do.
   */
  function sweep(): number {
    const now = clock.now();
    const settings = store.getSettings();
    const offlineMs = settings.offlineAfterSeconds * 1000;
    const suspectMs = settings.transactionSuspectMinutes * 60_000;
    let next = now + Math.min(offlineMs, suspectMs);
    // Calls unanswered past the call timeout (with a margin for the answer in flight) are
    // logged as such; an answer arriving later is logged as a frame of its own.
    const givenUp = now - callTimeoutMs - GIVE_UP_MARGIN_MS;
    for (const s of awaiting) {
      logUnanswered(s, givenUp);
      if (s.pending.size === 0) awaiting.delete(s);
      else
        for (const call of s.pending.values())
          next = Math.min(next, call.at + callTimeoutMs + GIVE_UP_MARGIN_MS);
    }
    const silentSince = now - offlineMs;
    for (let s = byActivity.first(); s !== null; s = byActivity.first()) {
      if (s.lastMessageAt >= silentSince) {
        next = Math.min(next, s.lastMessageAt + offlineMs);
        break;
      }
      logger.warn('charger silent too long: marked offline', {
        identity: s.identity,
        lastMessageAt: s.lastMessageAt,
      });
      byActivity.delete(s);
      if (sessions.get(s.identity) === s) sessions.delete(s.identity);
      s.closed = true;
      setConnected(s, false);
      void s.client
        .close({ code: 1001, reason: 'Heartbeat timeout', force: true })
        .catch(closeFailed);
    }
    tx.flagQuietAsSuspect(now - suspectMs);
    const quietest = tx.quietestUnflagged();
    if (quietest !== null) next = Math.min(next, quietest + suspectMs);
    if (now - lastPrune >= PRUNE_EVERY_MS) {
      lastPrune = now;
      void messageLog
        .prune(now - settings.messageLogRetentionDays * 86_400_000)
        .then((removed) => removed && logger.info('OCPP message log pruned', { removed }));
    }
    return Math.min(next, lastPrune + PRUNE_EVERY_MS);
  }

  function runSweep(): void {
    armedAt = Infinity;
    running = true;
    let next = clock.now() + MIN_GAP_MS;
    try {
      next = sweep();
    } catch (cause) {
      logger.error('OCPP sweep failed', { cause });
    } finally {
      running = false;
    }
    // Armed even after a failure (or the sweep would stop for good); never more than once a second.
    sweepBy(Math.max(next, clock.now() + MIN_GAP_MS));
  }

  /** Makes sure a sweep runs at `at` or before. */
  function sweepBy(at: number): void {
    if (running || at >= armedAt) return;
    armedAt = at;
    scheduler.wakeAt(WAKE_KEY, at, runSweep);
  }

  return {
    sweep,
    sweepBy,
    start(): void {
      started = true;
      rt.sweepBy = sweepBy;
      sweepBy(clock.now() + MIN_GAP_MS);
    },
    stop(): void {
      started = false;
      rt.sweepBy = () => {};
      armedAt = Infinity;
      scheduler.wakeAt(WAKE_KEY, null, () => {});
    },
    /** After a settings change (a shorter limit): sweep soon and re-arm from the new limits. */
    rearm(): void {
      if (started) sweepBy(clock.now());
    },
  };
}
