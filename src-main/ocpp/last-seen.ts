// Stations' "last seen" / "last heartbeat": kept in memory per message and written in batches
// (not in the group commit: it is not transaction data).
import type { Database } from 'better-sqlite3';
import type { Logger } from '../platform/logger';
import type { relaxedCommits } from './group-commit';

/** last_seen_at / last_heartbeat_at precision in the database (live state is in memory). */
export const TOUCH_FLUSH_MS = 1_000;
/**
 * Rows per write in the periodic flushes. A flush writes one chunk (one transaction) per
 * event-loop turn, so no flush holds the loop for more than ~1-2 ms: 1,000 station UPDATEs in
 * one go held it for 5-20 ms, which every charger message arriving meanwhile
 * waited behind (the 10,000-charger p99, docs/benchmarks.md).
 */
const FLUSH_CHUNK = 200;

export function createLastSeen(
  sqlite: Database,
  logger: Logger,
  relaxed: ReturnType<typeof relaxedCommits>,
) {
  // ── "Last seen" (batched, not transactional) ────────────────────────────────────────────
  // Not transaction data, so it neither waits for nor rides in the group commit: last-seen /
  // last-heartbeat live in memory and are written every TOUCH_FLUSH_MS (one UPDATE per station
  // per flush instead of one per message), FLUSH_CHUNK stations per event-loop turn; a crash
  // loses at most that much "last seen" precision. Reads that must be fresh call flush() first.
  // (The message log has its own file and writer thread: message-log.ts.)
  const touchStation = sqlite.prepare(
    'UPDATE stations SET last_seen_at = ?, last_heartbeat_at = COALESCE(?, last_heartbeat_at) WHERE id = ?',
  );
  // One record per station ever heard (kept, updated in place) and the list of those to write:
  // a Map entry per station per flush (set, then delete) was garbage that often outlived a
  // young-generation GC at 10,000 chargers (docs/benchmarks.md round 6).
  const touchRecords = new Map<number, TouchRecord>();
  const touchDirty: TouchRecord[] = [];
  let touchCursor = 0;
  let touchTimer: NodeJS.Timeout | null = null;
  let touchChunkScheduled = false;

  const writeTouchTx = sqlite.transaction((from: number, to: number) => {
    for (let k = from; k < to; k++) {
      const t = touchDirty[k] as TouchRecord;
      touchStation.run(t.seen, t.heartbeat > 0 ? t.heartbeat : null, t.stationId);
    }
  });
  // "Last seen" need not survive a power cut (it is re-learnt from the next message), so its
  // commits skip the fsync the database otherwise does on every commit (synchronous = FULL,
  // db/open.ts): at 10,000 chargers that is 50 chunks a second, each ~2-5 ms of fsync on the
  // charger thread. The next durable commit fsyncs these pages along with its own.
  // (db.pragma, not a prepared statement: SQLite applies a PRAGMA when it is prepared.)
  const writeTouch = (from: number, to: number) => relaxed(() => writeTouchTx(from, to));

  /** Writes up to `max` pending last-seen updates; returns whether some remain. */
  function writeTouchChunk(max: number): boolean {
    if (touchCursor >= touchDirty.length) return false;
    const from = touchCursor;
    const to = Math.min(touchDirty.length, from + max);
    touchCursor = to;
    let written = true;
    try {
      writeTouch(from, to);
    } catch (cause) {
      written = false;
      logger.error('ocpp last-seen flush failed', { cause, stations: to - from });
    }
    for (let k = from; k < to; k++) {
      const t = touchDirty[k] as TouchRecord;
      t.dirty = false;
      // Kept when the write failed: the station's next message writes it with its own time
      // (last_heartbeat_at is only set by a Heartbeat, so it must not be forgotten here).
      if (written) t.heartbeat = 0;
    }
    if (touchCursor < touchDirty.length) return true;
    touchDirty.length = 0;
    touchCursor = 0;
    return false;
  }

  // The timers start a chunked flush: one chunk per event-loop turn (setImmediate), so charger
  // messages that arrive meanwhile are handled between chunks.
  function touchChunkStep(): void {
    touchChunkScheduled = false;
    if (writeTouchChunk(FLUSH_CHUNK)) {
      touchChunkScheduled = true;
      setImmediate(touchChunkStep);
    }
  }
  function onTouchTimer(): void {
    touchTimer = null;
    if (!touchChunkScheduled) touchChunkStep();
  }

  /** Everything pending, now (synchronously): for reads that must be fresh, and shutdown. */
  function flush(): void {
    if (touchTimer) clearTimeout(touchTimer);
    touchTimer = null;
    while (writeTouchChunk(FLUSH_CHUNK * 5));
  }

  function touch(stationId: number, now: number, heartbeat: boolean): void {
    let t = touchRecords.get(stationId);
    if (!t) {
      t = { stationId, seen: now, heartbeat: 0, dirty: false };
      touchRecords.set(stationId, t);
    }
    t.seen = now;
    if (heartbeat) t.heartbeat = now;
    if (!t.dirty) {
      t.dirty = true;
      touchDirty.push(t);
    }
    if (!touchTimer && !touchChunkScheduled) {
      touchTimer = setTimeout(onTouchTimer, TOUCH_FLUSH_MS);
      touchTimer.unref();
    }
  }

  /** After a restore: the records' station ids may now name other stations. */
  function forget(): void {
    touchRecords.clear();
    touchDirty.length = 0;
    touchCursor = 0;
  }

  return { touch, flush, forget };
}

/** A station's last-seen times for the next flush (heartbeat 0: no heartbeat since the last). */
interface TouchRecord {
  stationId: number;
  seen: number;
  heartbeat: number;
  dirty: boolean;
}
