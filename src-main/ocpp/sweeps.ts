// The OCPP sweeps: calls of ours given up after the call timeout, chargers silent too long
// marked offline, quiet transactions flagged as suspect, and message-log retention.
import type { FrameLog } from './frame-log';
import { closeFailed, type OcppRuntime } from './runtime';
import type { Session } from './session';

const SWEEP_INTERVAL_MS = 1_000;
const PRUNE_EVERY_MS = 60 * 60_000;

export function createSweeps(
  rt: OcppRuntime,
  logUnanswered: FrameLog['logUnanswered'],
  setConnected: (s: Session, connected: boolean) => void,
) {
  const { clock, logger, store, tx, sessions, byActivity, awaiting, callTimeoutMs } = rt;
  const { messageLog } = rt.deps;
  let lastPrune = 0;
  let sweepTimer: NodeJS.Timeout | null = null;

  /** Offline chargers, quiet transactions, log retention. Runs every second; tests call it. */
  function sweep(): void {
    const now = clock.now();
    const settings = store.getSettings();
    // Calls unanswered past the call timeout (with a margin for the answer in flight) are
    // logged as such; an answer arriving later is logged as a frame of its own.
    const givenUp = now - callTimeoutMs - 5_000;
    for (const s of awaiting) {
      logUnanswered(s, givenUp);
      if (s.pending.size === 0) awaiting.delete(s);
    }
    const silentSince = now - settings.offlineAfterSeconds * 1000;
    for (let s = byActivity.first(); s !== null; s = byActivity.first()) {
      if (s.lastMessageAt >= silentSince) break;
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
    tx.flagQuietAsSuspect(now - settings.transactionSuspectMinutes * 60_000);
    if (now - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = now;
      void messageLog
        .prune(now - settings.messageLogRetentionDays * 86_400_000)
        .then((removed) => removed && logger.info('OCPP message log pruned', { removed }));
    }
  }

  return {
    sweep,
    start(): void {
      sweepTimer = setInterval(() => {
        try {
          sweep();
        } catch (cause) {
          logger.error('OCPP sweep failed', { cause });
        }
      }, SWEEP_INTERVAL_MS);
      sweepTimer.unref();
    },
    stop(): void {
      if (sweepTimer) clearInterval(sweepTimer);
      sweepTimer = null;
    },
  };
}
