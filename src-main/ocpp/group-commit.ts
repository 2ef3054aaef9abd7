// The group commit: every charger message's writes in one SQLite transaction per event-loop
// turn, answered only once the commit is durable (the WAL fdatasynced off the event loop), its
// domain events delivered after. Also the WAL checkpoint cadence while the OCPP server runs.
import { close, fdatasync, open } from 'node:fs';
import type { Database } from 'better-sqlite3';
import type { DomainEvent, DomainEvents } from '../platform/domain-events';
import type { Logger } from '../platform/logger';

/** WAL pages between automatic checkpoints while the OCPP server runs (see startCheckpoints). */
const CHECKPOINT_PAGES = 200;

/**
 * Makes what is committed to the WAL durable, off the event loop: (error) when done. The
 * default opens `<db>-wal` and fdatasyncs it on libuv's thread pool (fsync works on the file,
 * whichever descriptor wrote it). No WAL file: it was checkpointed into the database file,
 * which SQLite syncs, and removed.
 */
export type WalSync = (walPath: string, done: (error: Error | null) => void) => void;
export const syncWalFile: WalSync = (walPath, done) => {
  // r+: Windows flushes only a handle opened for writing.
  open(walPath, 'r+', (openError, fd) => {
    if (openError) return done(openError.code === 'ENOENT' ? null : openError);
    fdatasync(fd, (syncError) => close(fd, () => done(syncError)));
  });
};

/**
 * Runs `fn` with synchronous = NORMAL (its commit written to the WAL, not synced), then
 * restores the connection's own setting (db/open.ts: FULL).
 */
export function relaxedCommits(sqlite: Database) {
  const durableSync = String(sqlite.pragma('synchronous', { simple: true }));
  return <T>(fn: () => T): T => {
    sqlite.pragma('synchronous = NORMAL');
    try {
      return fn();
    } finally {
      sqlite.pragma(`synchronous = ${durableSync}`);
    }
  };
}

export function createGroupCommit(
  sqlite: Database,
  logger: Logger,
  walSync: WalSync,
  domain: DomainEvents,
  relaxed: ReturnType<typeof relaxedCommits>,
) {
  // ── Group commit ────────────────────────────────────────────────────────────────────────
  // Every charger message's writes run in one SQLite transaction per event-loop turn, and the
  // answer goes out only after that commit: "answered" still implies "stored" (a charger
  // deletes its queued transaction messages once answered), but a burst of N messages costs
  // one commit instead of N. Each job runs in its own savepoint so one failure stays local.
  // A job carries its own outcome (no per-job promise or result object): the lean inbound path
  // queues a callback (groupThen) instead of a promise chain, ~8 fewer objects per message.
  interface Job {
    fn: () => unknown;
    done: (failed: boolean, value: unknown) => void;
    failed: boolean;
    value: unknown;
  }
  let jobs: Job[] = [];
  let groupScheduled = false;
  // better-sqlite3 prepares BEGIN/COMMIT statements per transaction() wrapper: build them once.
  const inSavepoint = sqlite.transaction((fn: () => unknown) => fn());
  const runBatch = sqlite.transaction((batch: Job[]) => {
    for (const j of batch) {
      // A job that fails rolls back its savepoint: the domain events it published go too.
      const mark = domain.mark();
      try {
        j.value = inSavepoint(j.fn);
      } catch (e) {
        j.failed = true;
        j.value = e;
        domain.truncateTo(mark);
      }
    }
  });
  // Durability without the fsync on the charger thread: the group commits with synchronous =
  // NORMAL (its pages written to the WAL, not yet synced), then the WAL is fdatasynced on the
  // thread pool and only then are the group's messages answered. With FULL the same fsync ran
  // inside COMMIT on the event loop, ~2-5 ms per group that every charger waited behind
  // (docs/benchmarks.md "durability"). One sync at a time: groups committed meanwhile wait for
  // the next one, which covers them all. A failed sync fails the group's answers (the charger
  // retransmits; its messages are idempotent).
  const walPath = `${sqlite.name}-wal`;
  // The group's domain events are delivered after its answers, once the sync has made the
  // COMMIT durable: in commit order (their place is reserved at COMMIT), dropped on failure.
  interface Committed {
    jobs: Job[];
    events: DomainEvent[];
    slot: ReturnType<DomainEvents['reserve']> | null;
  }
  let syncing = false;
  let unsynced: Committed[] = [];
  function syncThenAnswer(): void {
    syncing = true;
    const ready = unsynced;
    unsynced = [];
    walSync(walPath, (error) => {
      syncing = false;
      if (error) logger.error('could not sync the database WAL; answers failed', { cause: error });
      for (const batch of ready) {
        for (const j of batch.jobs) {
          if (error) j.done(true, error);
          else j.done(j.failed, j.value);
        }
        if (batch.slot) domain.release(batch.slot, error ? null : batch.events);
      }
      if (unsynced.length) syncThenAnswer();
    });
  }
  function runGroup(): void {
    groupScheduled = false;
    const batch = jobs;
    jobs = [];
    const events = domain.startCollecting();
    try {
      relaxed(() => runBatch(batch));
    } catch (e) {
      for (const j of batch) j.done(true, e);
      return;
    } finally {
      domain.stopCollecting();
    }
    unsynced.push({ jobs: batch, events, slot: events.length ? domain.reserve() : null });
    if (!syncing) syncThenAnswer();
  }
  /**
   * Runs `fn` in the next group commit; `done(false, result)` once the COMMIT is on disk, or
   * `done(true, error)` if `fn`, the commit or the sync failed.
   */
  function groupThen(fn: () => unknown, done: (failed: boolean, value: unknown) => void): void {
    jobs.push({
      fn,
      done,
      failed: false,
      value: undefined,
    });
    if (!groupScheduled) {
      groupScheduled = true;
      setImmediate(runGroup);
    }
  }
  function group<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) =>
      groupThen(fn, (failed, value) => (failed ? reject(value) : resolve(value as T))),
    );
  }

  // WAL checkpoints. SQLite's automatic checkpoint runs inside whichever COMMIT pushes the WAL
  // past 1,000 pages: it copies ~4 MiB into the database file and fsyncs it, 15-25 ms on this
  // hardware, and at thousands of messages a second it lands on a charger's commit every few
  // seconds. While the OCPP server runs it checkpoints every CHECKPOINT_PAGES instead: more
  // often, ~1-3 ms each. (Checkpointing ourselves on a timer instead left a WAL grown by a
  // burst — 10,000 chargers connecting — to one checkpoint of hundreds of ms.)
  let autoCheckpoint: number | null = null;
  function startCheckpoints(): void {
    if (autoCheckpoint !== null) return;
    autoCheckpoint = Number(sqlite.pragma('wal_autocheckpoint', { simple: true })) || 1000;
    sqlite.pragma(`wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
  }
  function stopCheckpoints(): void {
    if (autoCheckpoint === null) return;
    sqlite.pragma(`wal_autocheckpoint = ${autoCheckpoint}`);
    autoCheckpoint = null;
  }

  return { group, groupThen, startCheckpoints, stopCheckpoints };
}
