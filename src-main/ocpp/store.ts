// Storage for the OCPP server: settings, refused attempts, id tags, station lookups and the
// message log. Hot paths (log rows, station "last seen") are batched: one SQLite transaction
// per flush instead of one per frame, which is what lets a Pi-class box take a reconnect storm.
import { close, fdatasync, open } from 'node:fs';
import { and, asc, eq, like, or, sql } from 'drizzle-orm';
import type { Db } from '../db/open';
import {
  idTags,
  ocppAttempts,
  ocppReservations,
  settings,
  stationOcpp,
  stations,
  transactions,
} from '../db/schema';
import {
  DEFAULT_OCPP_SETTINGS,
  ocppSettingsSchema,
  type AuthorizationStatus,
  type ChargerAttempt,
  type IdTag,
  type OcppSettings,
} from '../../src-shared/ocpp/types';
import type { Logger } from '../platform/logger';
import { DomainEvents, type DomainEvent } from '../platform/domain-events';

export type StationRow = typeof stations.$inferSelect;

export interface CommissioningWindow {
  until: number;
  siteId: number | null;
  floorId: number | null;
}

/** Refused chargers kept (newest first); older ones are forgotten. */
export const MAX_ATTEMPT_ROWS = 500;

/** Why a refused charger cannot become a station by "Adopt" (null: it can). */
function notAdoptable(identity: string, reason: string, station: string | null): string | null {
  if (station !== null) return `Already registered as station “${station}”.`;
  if (reason.startsWith('speaks OCPP') || reason.startsWith('offered no OCPP'))
    return 'This server speaks OCPP 1.6J only; set the charger to OCPP 1.6J first.';
  if (!/^[A-Za-z0-9._:\-*]{1,48}$/.test(identity))
    return 'Its charge box id is not a valid station id (1-48 letters, digits and . _ : - *).';
  return null;
}

const SETTINGS_KEY = 'ocpp.settings';
const COMMISSIONING_KEY = 'ocpp.commissioning-until';
/** last_seen_at / last_heartbeat_at precision in the database (live state is in memory). */
export const TOUCH_FLUSH_MS = 1_000;
/**
 * Rows per write in the periodic flushes. A flush writes one chunk (one transaction) per
 * event-loop turn, so no flush holds the loop for more than ~1-2 ms: 1,000 station UPDATEs in
 * one go held it for 5-20 ms, which every charger message arriving meanwhile
 * waited behind (the 10,000-charger p99, docs/benchmarks.md).
 */
const FLUSH_CHUNK = 200;
/** WAL pages between automatic checkpoints while the OCPP server runs (see startCheckpoints). */
const CHECKPOINT_PAGES = 200;
/** The most connectors a station has (the station form's limit, src-shared/api/methods). */
export const MAX_CONNECTORS = 8;

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

export function createOcppStore(
  db: Db,
  logger: Logger,
  walSync: WalSync = syncWalFile,
  domain: DomainEvents = new DomainEvents(logger),
) {
  const sqlite = db.$client;
  // The connection's own setting (db/open.ts: FULL), restored after each relaxed commit.
  const durableSync = String(sqlite.pragma('synchronous', { simple: true }));
  const relaxed = <T>(fn: () => T): T => {
    sqlite.pragma('synchronous = NORMAL');
    try {
      return fn();
    } finally {
      sqlite.pragma(`synchronous = ${durableSync}`);
    }
  };

  function getSetting(key: string): unknown {
    const row = db.select().from(settings).where(eq(settings.key, key)).get();
    if (!row) return undefined;
    try {
      return JSON.parse(row.value) as unknown;
    } catch {
      return undefined;
    }
  }
  function putSetting(key: string, value: unknown, now: number): void {
    const text = JSON.stringify(value);
    db.insert(settings)
      .values({ key, value: text, updatedAt: now })
      .onConflictDoUpdate({ target: settings.key, set: { value: text, updatedAt: now } })
      .run();
  }

  let settingsCache: OcppSettings | null = null;
  function getSettings(): OcppSettings {
    if (settingsCache) return settingsCache;
    const stored = ocppSettingsSchema.partial().safeParse(getSetting(SETTINGS_KEY) ?? {});
    settingsCache = { ...DEFAULT_OCPP_SETTINGS, ...(stored.success ? stored.data : {}) };
    return settingsCache;
  }
  /** After a restore replaced the data: settings re-read, per-station records forgotten (their
   *  ids may now name other stations; flush() wrote the pending ones before the swap). */
  function reloadAfterRestore(): void {
    settingsCache = null;
    touchRecords.clear();
    touchDirty.length = 0;
    touchCursor = 0;
  }
  function updateSettings(patch: Partial<OcppSettings>, now: number): OcppSettings {
    const next = { ...getSettings(), ...patch };
    putSetting(SETTINGS_KEY, next, now);
    settingsCache = next;
    return next;
  }

  // ── Station lookups ─────────────────────────────────────────────────────────────────────
  function stationByIdentity(identity: string): StationRow | null {
    const row = db.select().from(stations).where(eq(stations.identity, identity)).get();
    return row ?? null;
  }
  function stationById(id: number): StationRow | null {
    return db.select().from(stations).where(eq(stations.id, id)).get() ?? null;
  }

  // ── Attempts ────────────────────────────────────────────────────────────────────────────
  // One row per identity (repeats counted); the table keeps the newest MAX_ATTEMPT_ROWS, so a
  // device trying thousands of random identities cannot grow it without bound.
  const trimAttempts = db.$client.prepare(
    `DELETE FROM ocpp_attempts WHERE identity IN
       (SELECT identity FROM ocpp_attempts ORDER BY last_at DESC LIMIT -1 OFFSET ${MAX_ATTEMPT_ROWS})`,
  );
  function recordAttempt(identity: string, ip: string | null, reason: string, now: number) {
    db.transaction(() => {
      db.insert(ocppAttempts)
        .values({ identity, ip, reason, count: 1, firstAt: now, lastAt: now })
        .onConflictDoUpdate({
          target: ocppAttempts.identity,
          set: { ip, reason, lastAt: now, count: sql`${ocppAttempts.count} + 1` },
        })
        .run();
      trimAttempts.run();
    });
  }
  /** Newest first, a page at a time, each with whether it can be adopted (and why not). */
  function listAttempts(page: { limit: number; offset: number }): {
    total: number;
    attempts: ChargerAttempt[];
  } {
    const rows = db
      .select({ a: ocppAttempts, station: stations.name })
      .from(ocppAttempts)
      .leftJoin(stations, eq(stations.identity, ocppAttempts.identity))
      .orderBy(sql`${ocppAttempts.lastAt} DESC`, asc(ocppAttempts.identity))
      .limit(page.limit)
      .offset(page.offset)
      .all();
    const total = db.$client.prepare('SELECT count(*) AS n FROM ocpp_attempts').get() as {
      n: number;
    };
    return {
      total: total.n,
      attempts: rows.map(({ a, station }) => {
        const why = notAdoptable(a.identity, a.reason, station);
        return { ...a, adoptable: why === null, notAdoptable: why };
      }),
    };
  }
  function deleteAttempt(identity: string): void {
    db.delete(ocppAttempts).where(eq(ocppAttempts.identity, identity)).run();
  }

  // ── Commissioning ───────────────────────────────────────────────────────────────────────
  /** The open (or last opened) window: until when, and where new chargers go (null = first
   *  site: the --commissioning start-up flag names none). */
  function commissioningWindow(): CommissioningWindow | null {
    const v = getSetting(COMMISSIONING_KEY);
    if (typeof v === 'number') return { until: v, siteId: null, floorId: null };
    if (typeof v !== 'object' || v === null || !('until' in v)) return null;
    const w = v as CommissioningWindow;
    return typeof w.until === 'number' ? w : null;
  }
  function setCommissioningWindow(w: CommissioningWindow | null, now: number): void {
    putSetting(COMMISSIONING_KEY, w, now);
  }

  // ── Id tags ─────────────────────────────────────────────────────────────────────────────
  function listIdTags(text?: string): IdTag[] {
    const q = text?.trim();
    return db
      .select()
      .from(idTags)
      .where(q ? or(like(idTags.idTag, `%${q}%`), like(idTags.label, `%${q}%`)) : undefined)
      .orderBy(asc(idTags.idTag))
      .all();
  }
  function getIdTag(idTag: string): IdTag | null {
    return db.select().from(idTags).where(eq(idTags.idTag, idTag)).get() ?? null;
  }
  function upsertIdTag(
    input: Omit<IdTag, 'createdAt' | 'updatedAt'>,
    now: number,
  ): { before: IdTag | null; after: IdTag } {
    const before = getIdTag(input.idTag);
    db.insert(idTags)
      .values({ ...input, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: idTags.idTag,
        set: {
          status: input.status,
          expiryDate: input.expiryDate,
          parentIdTag: input.parentIdTag,
          label: input.label,
          userId: input.userId,
          updatedAt: now,
        },
      })
      .run();
    const after = getIdTag(input.idTag);
    if (!after) throw new Error('id tag vanished after upsert');
    return { before, after };
  }
  function deleteIdTag(idTag: string): boolean {
    return db.delete(idTags).where(eq(idTags.idTag, idTag)).run().changes > 0;
  }

  /**
   * OCPP 1.6 §4.2 Authorize / §7.15: Accepted, Blocked, Expired (by the clock), Invalid
   * (unknown) or ConcurrentTx (the tag is in an active transaction elsewhere).
   */
  function authorize(
    idTag: string,
    now: number,
    exceptTx?: { identity: string; connectorNumber: number },
  ): { status: AuthorizationStatus; expiryDate: number | null; parentIdTag: string | null } {
    const tag = getIdTag(idTag);
    if (!tag) return { status: 'Invalid', expiryDate: null, parentIdTag: null };
    const base = { expiryDate: tag.expiryDate, parentIdTag: tag.parentIdTag };
    if (tag.status === 'Blocked') return { status: 'Blocked', ...base };
    if (tag.status === 'Expired' || (tag.expiryDate != null && tag.expiryDate <= now)) {
      return { status: 'Expired', ...base };
    }
    const active = db
      .select({ identity: transactions.identity, connectorNumber: transactions.connectorNumber })
      .from(transactions)
      .where(and(eq(transactions.idTag, idTag), eq(transactions.status, 'active')))
      .all()
      .filter(
        (t) =>
          !exceptTx ||
          t.identity !== exceptTx.identity ||
          t.connectorNumber !== exceptTx.connectorNumber,
      );
    if (active.length > 0) return { status: 'ConcurrentTx', ...base };
    return { status: 'Accepted', ...base };
  }

  // ── Station OCPP state ──────────────────────────────────────────────────────────────────
  function patchStationOcpp(
    stationId: number,
    patch: Partial<Omit<typeof stationOcpp.$inferInsert, 'stationId'>>,
  ): void {
    db.insert(stationOcpp)
      .values({ stationId, ...patch })
      .onConflictDoUpdate({ target: stationOcpp.stationId, set: patch })
      .run();
  }
  function getStationOcpp(stationId: number) {
    return db.select().from(stationOcpp).where(eq(stationOcpp.stationId, stationId)).get() ?? null;
  }

  // StatusNotification (every status change of every connector): prepared once, not a drizzle
  // query built and prepared per message. Only connectors the station has are updated: a
  // charger's connectorId is a number it chose (2147483647 created a phantom connector once).
  const updateConnector = sqlite.prepare(
    `UPDATE connectors SET status = ?, error_code = ?, vendor_error_code = ?, info = ?,
       status_at = ?, updated_at = ?
     WHERE station_id = ? AND connector_number = ?`,
  );
  const insertConnector = sqlite.prepare(
    `INSERT OR IGNORE INTO connectors (station_id, connector_number, created_at, updated_at)
     VALUES (?, ?, ?, ?)`,
  );
  const reportedConnectors = sqlite.prepare(
    `SELECT value FROM station_config WHERE station_id = ? AND key = 'NumberOfConnectors'`,
  );
  /** How many connectors the charger says it has (its NumberOfConnectors), bounded; 0 unknown. */
  function chargerConnectorCount(stationId: number): number {
    const row = reportedConnectors.get(stationId) as { value: string | null } | undefined;
    const n = Number(row?.value ?? '');
    return Number.isInteger(n) && n > 0 ? Math.min(n, MAX_CONNECTORS) : 0;
  }
  /**
   * Registers connectors 1..n the station lacks (n = what the charger itself reports, at most
   * MAX_CONNECTORS, the most a station can be given by hand). Returns how many were added.
   */
  function registerConnectors(stationId: number, n: number, now: number): number {
    let added = 0;
    for (let k = 1; k <= Math.min(n, MAX_CONNECTORS); k++)
      added += insertConnector.run(stationId, k, now, now).changes;
    return added;
  }
  /**
   * A connector's status; false (nothing stored) when the station has no such connector and
   * the charger's NumberOfConnectors does not account for it either.
   */
  function upsertConnectorStatus(
    stationId: number,
    connectorNumber: number,
    patch: {
      status: string;
      errorCode: string | null;
      vendorErrorCode: string | null;
      info: string | null;
      statusAt: number;
    },
    now: number,
  ): boolean {
    const update = () =>
      updateConnector.run(
        patch.status,
        patch.errorCode,
        patch.vendorErrorCode,
        patch.info,
        patch.statusAt,
        now,
        stationId,
        connectorNumber,
      ).changes > 0;
    if (update()) return true;
    if (connectorNumber < 1 || connectorNumber > chargerConnectorCount(stationId)) return false;
    registerConnectors(stationId, connectorNumber, now);
    logger.info("connector registered from the charger's NumberOfConnectors", {
      stationId,
      connectorNumber,
    });
    return update();
  }

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

  /** Everything pending, now (synchronously): for reads that must be fresh, and shutdown. */
  function flush(): void {
    if (touchTimer) clearTimeout(touchTimer);
    touchTimer = null;
    while (writeTouchChunk(FLUSH_CHUNK * 5));
  }

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

  // ── Reservations ────────────────────────────────────────────────────────────────────────
  /** A new reservationId from the ocpp_reservations sequence (AUTOINCREMENT never reuses). */
  function newReservation(
    r: { stationId: number; connectorNumber: number; idTag: string; expiresAt: number },
    now: number,
  ): number {
    return db
      .insert(ocppReservations)
      .values({ ...r, createdAt: now })
      .returning({ id: ocppReservations.id })
      .get().id;
  }
  function setReservationStatus(id: number, status: string): void {
    db.update(ocppReservations).set({ status }).where(eq(ocppReservations.id, id)).run();
  }

  return {
    getSetting,
    putSetting,
    getSettings,
    updateSettings,
    reloadAfterRestore,
    stationByIdentity,
    stationById,
    recordAttempt,
    listAttempts,
    deleteAttempt,
    commissioningWindow,
    setCommissioningWindow,
    listIdTags,
    getIdTag,
    upsertIdTag,
    deleteIdTag,
    authorize,
    patchStationOcpp,
    getStationOcpp,
    upsertConnectorStatus,
    chargerConnectorCount,
    registerConnectors,
    touch,
    flush,
    startCheckpoints,
    stopCheckpoints,
    group,
    groupThen,
    newReservation,
    setReservationStatus,
  };
}

export type OcppStore = ReturnType<typeof createOcppStore>;

/** A station's last-seen times for the next flush (heartbeat 0: no heartbeat since the last). */
interface TouchRecord {
  stationId: number;
  seen: number;
  heartbeat: number;
  dirty: boolean;
}
