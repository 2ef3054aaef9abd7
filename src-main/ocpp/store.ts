// Storage for the OCPP server: settings, refused attempts, id tags, station lookups, connector
// state and reservations. Hot paths are batched: charger messages in the group commit
// (group-commit.ts), station "last seen" in periodic flushes (last-seen.ts), which is what lets
// a Pi-class box take a reconnect storm.
import { and, asc, eq, like, or, sql } from 'drizzle-orm';
import type { Db } from '../db/open';
import { fromTable, pagedQuery, type Page, type PageRequest } from '../db/paged';
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
import { DomainEvents } from '../platform/domain-events';
import { createGroupCommit, relaxedCommits, syncWalFile, type WalSync } from './group-commit';
import { createLastSeen } from './last-seen';

export { syncWalFile, type WalSync } from './group-commit';

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
/** The most connectors a station has (the station form's limit, src-shared/api/methods). */
export const MAX_CONNECTORS = 8;

export function createOcppStore(
  db: Db,
  logger: Logger,
  walSync: WalSync = syncWalFile,
  domain: DomainEvents = new DomainEvents(logger),
) {
  const sqlite = db.$client;
  const relaxed = relaxedCommits(sqlite);
  const { group, groupThen, startCheckpoints, stopCheckpoints } = createGroupCommit(
    sqlite,
    logger,
    walSync,
    domain,
    relaxed,
  );
  const lastSeen = createLastSeen(sqlite, logger, relaxed);
  const { touch, flush } = lastSeen;

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
    lastSeen.forget();
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
  /** Newest attempt first, through the shared paged query (db/paged.ts); the rowid breaks ties
   *  (the identity is text, a keyset position is two numbers). */
  function listAttempts(page: PageRequest): Page<ChargerAttempt> {
    const rowid = sql<number>`ocpp_attempts.rowid`;
    const { total, next, rows } = pagedQuery({
      filter: [],
      order: { key: ocppAttempts.lastAt, tie: rowid },
      page,
      count: fromTable(db, ocppAttempts).count,
      select: (where, orderBy, limit, offset) =>
        db
          .select({ a: ocppAttempts, station: stations.name, rowid })
          .from(ocppAttempts)
          .leftJoin(stations, eq(stations.identity, ocppAttempts.identity))
          .where(where)
          .orderBy(...orderBy)
          .limit(limit)
          .offset(offset)
          .all(),
      keyOf: (r) => [r.a.lastAt, r.rowid],
    });
    return {
      total,
      next,
      rows: rows.map(({ a, station }) => {
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
