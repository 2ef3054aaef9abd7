// The organisation tree: organisation → sites → floors → stations → connectors.
// Repositories and rules in one place; the API handlers add role/site checks and audit detail.
// Every multi-row write runs in one transaction; every change emits `tree-changed`.
import { and, asc, count, eq, inArray, ne } from 'drizzle-orm';
import { ApiFailure, fieldFailure } from '../../src-shared/api/result';
import type { Floor, Organisation, Site, Station, Tree } from '../../src-shared/model';
import type { Db } from '../db/open';
import { connectors, floors, organisation, sites, stations } from '../db/schema';
import type { EventBus } from '../platform/events';
import { hashPassword } from '../auth/password';
import { isForeignKeyError, isUniqueError, plural } from './errors';
import { normaliseStrataPlan } from '../../src-shared/validation';

/**
 * Seams other domains fill in: the OCPP server knows which chargers are connected and the
 * transactions table knows which stations have charging sessions. Until they are provided the
 * model behaves as if no charger were connected and none had sessions.
 */
export interface ModelHooks {
  hasTransactions(stationId: number): boolean;
  isConnected(identity: string): boolean;
}

export type SiteInput = Omit<Site, 'id' | 'createdAt' | 'updatedAt'>;
export type OrganisationInput = Organisation;

export interface StationCreate {
  siteId: number;
  floorId?: number | null;
  identity: string;
  name: string;
  maxCurrentA: number;
  phases: Station['phases'];
  approved: boolean;
  blocked?: boolean;
  securityProfile: number;
  password?: string | null;
  connectorCount: number;
}

export interface StationPatch {
  siteId?: number;
  /** undefined = unchanged (or cleared when the site changes), null = not on a floor. */
  floorId?: number | null;
  name?: string;
  maxCurrentA?: number;
  phases?: Station['phases'];
  approved?: boolean;
  blocked?: boolean;
  securityProfile?: number;
  /** undefined = unchanged, null = remove, string = set. */
  password?: string | null;
}

export type ModelService = ReturnType<typeof createModelService>;

type SiteRow = typeof sites.$inferSelect;
type FloorRow = typeof floors.$inferSelect;
type StationRow = typeof stations.$inferSelect;

const toSite = (r: SiteRow): Site => ({
  id: r.id,
  name: r.name,
  strataPlan: r.strataPlan,
  address: r.address,
  timeZone: r.timeZone,
  latitude: r.latitude,
  longitude: r.longitude,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

const toFloor = (r: FloorRow): Floor => ({
  id: r.id,
  siteId: r.siteId,
  name: r.name,
  level: r.level,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

export function createModelService(deps: { db: Db; events: EventBus }) {
  const { db, events } = deps;
  const hooks: ModelHooks = {
    hasTransactions: () => false,
    isConnected: () => false,
  };
  const changed = (siteId: number | null) => events.emit({ type: 'tree-changed', siteId });

  // ── Organisation ────────────────────────────────────────────────────────────────────────
  function getOrganisation(): Organisation | null {
    const r = db.select().from(organisation).where(eq(organisation.id, 1)).get();
    return r
      ? { name: r.name, abn: r.abn, email: r.email, phone: r.phone, address: r.address }
      : null;
  }

  function upsertOrganisation(input: OrganisationInput, now: number): Organisation {
    db.insert(organisation)
      .values({ id: 1, ...input, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: organisation.id, set: { ...input, updatedAt: now } })
      .run();
    return input;
  }

  // ── Sites ───────────────────────────────────────────────────────────────────────────────
  function listSites(visible: number[] | 'all'): Site[] {
    if (visible !== 'all' && visible.length === 0) return [];
    return db
      .select()
      .from(sites)
      .where(visible === 'all' ? undefined : inArray(sites.id, visible))
      .orderBy(asc(sites.name))
      .all()
      .map(toSite);
  }

  function getSite(id: number): Site {
    const r = db.select().from(sites).where(eq(sites.id, id)).get();
    if (!r) throw new ApiFailure('not-found', 'That site no longer exists.');
    return toSite(r);
  }

  function assertSiteNameFree(name: string, exceptId?: number) {
    const clash = db
      .select({ id: sites.id })
      .from(sites)
      .where(
        exceptId === undefined
          ? eq(sites.name, name)
          : and(eq(sites.name, name), ne(sites.id, exceptId)),
      )
      .get();
    if (clash) {
      throw new ApiFailure('conflict', `A site named “${name}” already exists.`, { field: 'name' });
    }
  }

  /** Inserts without emitting: for callers that wrap it in a larger transaction (setup). */
  /** One stored form of the strata plan number whoever writes it (the API, the demo, a restore). */
  const normalised = (input: SiteInput): SiteInput => ({
    ...input,
    strataPlan: input.strataPlan == null ? null : normaliseStrataPlan(input.strataPlan) || null,
  });

  function insertSite(input: SiteInput, now: number): Site {
    assertSiteNameFree(input.name);
    const row = db
      .insert(sites)
      .values({ ...normalised(input), createdAt: now, updatedAt: now })
      .returning()
      .get();
    return toSite(row);
  }

  function createSite(input: SiteInput, now: number): Site {
    const site = insertSite(input, now);
    changed(site.id);
    return site;
  }

  function updateSite(id: number, input: SiteInput, now: number): Site {
    getSite(id);
    assertSiteNameFree(input.name, id);
    const row = db
      .update(sites)
      .set({ ...normalised(input), updatedAt: now })
      .where(eq(sites.id, id))
      .returning()
      .get();
    changed(id);
    return toSite(row);
  }

  function deleteSite(id: number): void {
    getSite(id);
    const floorCount =
      db.select({ n: count() }).from(floors).where(eq(floors.siteId, id)).get()?.n ?? 0;
    if (floorCount > 0) {
      throw new ApiFailure('conflict', `Move or delete its ${plural(floorCount, 'floor')} first.`);
    }
    const stationCount =
      db.select({ n: count() }).from(stations).where(eq(stations.siteId, id)).get()?.n ?? 0;
    if (stationCount > 0) {
      throw new ApiFailure(
        'conflict',
        `Move or delete its ${plural(stationCount, 'station')} first.`,
      );
    }
    try {
      db.delete(sites).where(eq(sites.id, id)).run();
    } catch (cause) {
      if (isForeignKeyError(cause)) {
        throw new ApiFailure(
          'conflict',
          'Other records (tariffs, users’ history, …) still refer to this site.',
        );
      }
      throw cause;
    }
    changed(id);
  }

  // ── Floors ──────────────────────────────────────────────────────────────────────────────
  function listFloors(siteId: number): Floor[] {
    return db
      .select()
      .from(floors)
      .where(eq(floors.siteId, siteId))
      .orderBy(asc(floors.level), asc(floors.name))
      .all()
      .map(toFloor);
  }

  function getFloor(id: number): Floor {
    const r = db.select().from(floors).where(eq(floors.id, id)).get();
    if (!r) throw new ApiFailure('not-found', 'That floor no longer exists.');
    return toFloor(r);
  }

  function assertFloorNameFree(siteId: number, name: string, exceptId?: number) {
    const clash = db
      .select({ id: floors.id })
      .from(floors)
      .where(
        and(
          eq(floors.siteId, siteId),
          eq(floors.name, name),
          exceptId === undefined ? undefined : ne(floors.id, exceptId),
        ),
      )
      .get();
    if (clash) {
      throw new ApiFailure('conflict', `This site already has a floor named “${name}”.`, {
        field: 'name',
      });
    }
  }

  function createFloor(input: { siteId: number; name: string; level: number }, now: number): Floor {
    getSite(input.siteId);
    assertFloorNameFree(input.siteId, input.name);
    const row = db
      .insert(floors)
      .values({ ...input, createdAt: now, updatedAt: now })
      .returning()
      .get();
    changed(row.siteId);
    return toFloor(row);
  }

  function updateFloor(id: number, input: { name: string; level: number }, now: number): Floor {
    const floor = getFloor(id);
    assertFloorNameFree(floor.siteId, input.name, id);
    const row = db
      .update(floors)
      .set({ ...input, updatedAt: now })
      .where(eq(floors.id, id))
      .returning()
      .get();
    changed(row.siteId);
    return toFloor(row);
  }

  function deleteFloor(id: number): void {
    const floor = getFloor(id);
    const n =
      db.select({ n: count() }).from(stations).where(eq(stations.floorId, id)).get()?.n ?? 0;
    if (n > 0) {
      throw new ApiFailure('conflict', `Move or delete the ${plural(n, 'station')} on it first.`);
    }
    db.delete(floors).where(eq(floors.id, id)).run();
    changed(floor.siteId);
  }

  // ── Stations and connectors ─────────────────────────────────────────────────────────────
  function toStation(r: StationRow): Station {
    const cs = db
      .select()
      .from(connectors)
      .where(eq(connectors.stationId, r.id))
      .orderBy(asc(connectors.connectorNumber))
      .all();
    return {
      id: r.id,
      siteId: r.siteId,
      floorId: r.floorId,
      identity: r.identity,
      name: r.name,
      maxCurrentA: r.maxCurrentA,
      phases: r.phases,
      approved: r.approved,
      blocked: r.blocked,
      securityProfile: r.securityProfile,
      hasPassword: r.passwordHash !== null,
      vendor: r.vendor,
      model: r.model,
      serialNumber: r.serialNumber,
      firmwareVersion: r.firmwareVersion,
      ocppVersion: r.ocppVersion,
      lastBootAt: r.lastBootAt,
      lastSeenAt: r.lastSeenAt,
      lastHeartbeatAt: r.lastHeartbeatAt,
      lastIp: r.lastIp,
      connected: hooks.isConnected(r.identity),
      connectors: cs.map((c) => ({
        id: c.id,
        stationId: c.stationId,
        connectorNumber: c.connectorNumber,
        name: c.name,
        type: c.type,
        maxCurrentA: c.maxCurrentA,
        status: c.status,
        errorCode: c.errorCode,
        vendorErrorCode: c.vendorErrorCode,
        info: c.info,
        statusAt: c.statusAt,
      })),
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    };
  }

  function stationRow(id: number): StationRow {
    const r = db.select().from(stations).where(eq(stations.id, id)).get();
    if (!r) throw new ApiFailure('not-found', 'That station no longer exists.');
    return r;
  }

  function listStations(filter: { siteId?: number; floorId?: number; visible: number[] | 'all' }) {
    if (filter.visible !== 'all' && filter.visible.length === 0) return [];
    return db
      .select()
      .from(stations)
      .where(
        and(
          filter.visible === 'all' ? undefined : inArray(stations.siteId, filter.visible),
          filter.siteId === undefined ? undefined : eq(stations.siteId, filter.siteId),
          filter.floorId === undefined ? undefined : eq(stations.floorId, filter.floorId),
        ),
      )
      .orderBy(asc(stations.name))
      .all()
      .map(toStation);
  }

  /** A floor must belong to the station's site (a station cannot hang off another building). */
  function assertFloorOnSite(floorId: number, siteId: number) {
    const f = db.select({ siteId: floors.siteId }).from(floors).where(eq(floors.id, floorId)).get();
    if (!f) throw fieldFailure([{ field: 'floorId', message: 'That floor no longer exists.' }]);
    if (f.siteId !== siteId) {
      throw fieldFailure([{ field: 'floorId', message: 'That floor belongs to another site.' }]);
    }
  }

  const identityTaken = (identity: string) =>
    new ApiFailure('conflict', `A station with identity “${identity}” is already registered.`, {
      field: 'identity',
    });

  async function createStation(input: StationCreate, now: number): Promise<Station> {
    // Hash first (scrypt is async, better-sqlite3 transactions are not): the checks below and the
    // insert then run without an await between them, so nothing can change in between.
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    getSite(input.siteId);
    if (input.floorId != null) assertFloorOnSite(input.floorId, input.siteId);
    const clash = db
      .select({ id: stations.id })
      .from(stations)
      .where(eq(stations.identity, input.identity))
      .get();
    if (clash) {
      throw identityTaken(input.identity);
    }
    const { connectorCount, password: _password, ...fields } = input;
    // The unique index has the last word on the identity.
    let id: number;
    try {
      id = db.transaction((tx) => {
        const row = tx
          .insert(stations)
          .values({
            ...fields,
            floorId: fields.floorId ?? null,
            passwordHash,
            createdAt: now,
            updatedAt: now,
          })
          .returning({ id: stations.id })
          .get();
        for (let n = 1; n <= connectorCount; n++) {
          tx.insert(connectors)
            .values({ stationId: row.id, connectorNumber: n, createdAt: now, updatedAt: now })
            .run();
        }
        return row.id;
      });
    } catch (cause) {
      if (isUniqueError(cause)) {
        throw identityTaken(input.identity);
      }
      throw cause;
    }
    changed(input.siteId);
    return toStation(stationRow(id));
  }

  async function updateStation(id: number, patch: StationPatch, now: number): Promise<Station> {
    // Hash first, as in createStation: a floor or site removed meanwhile is then caught below.
    const newHash =
      typeof patch.password === 'string' ? await hashPassword(patch.password) : undefined;
    const before = stationRow(id);
    const siteId = patch.siteId ?? before.siteId;
    if (siteId !== before.siteId) getSite(siteId);
    // Moving to another building takes the station off its old floor unless a new one is given.
    const floorId =
      patch.floorId !== undefined
        ? patch.floorId
        : siteId !== before.siteId
          ? null
          : before.floorId;
    if (floorId != null) assertFloorOnSite(floorId, siteId);
    if (patch.maxCurrentA !== undefined) assertRatingCoversOutlets(id, patch.maxCurrentA);
    const passwordHash =
      patch.password === undefined ? before.passwordHash : patch.password === null ? null : newHash;
    const { password: _password, ...fields } = patch;
    // A position on the old floor's plan means nothing on another floor: it is placed afresh.
    const plan = floorId === before.floorId ? {} : { planX: null, planY: null };
    db.update(stations)
      .set({ ...fields, ...plan, siteId, floorId, passwordHash, updatedAt: now })
      .where(eq(stations.id, id))
      .run();
    changed(before.siteId);
    if (siteId !== before.siteId) changed(siteId);
    return toStation(stationRow(id));
  }

  function deleteStation(id: number): void {
    const before = stationRow(id);
    if (hooks.hasTransactions(id)) {
      throw new ApiFailure(
        'conflict',
        'This station has charging sessions, which invoices refer to. Withdraw its approval instead of deleting it.',
      );
    }
    try {
      db.transaction((tx) => {
        tx.delete(connectors).where(eq(connectors.stationId, id)).run();
        tx.delete(stations).where(eq(stations.id, id)).run();
      });
    } catch (cause) {
      if (isForeignKeyError(cause)) {
        throw new ApiFailure(
          'conflict',
          'Other records (sessions, meter values, …) still refer to this station.',
        );
      }
      throw cause;
    }
    changed(before.siteId);
  }

  function getConnectorStation(connectorId: number): StationRow {
    const c = db
      .select({ stationId: connectors.stationId })
      .from(connectors)
      .where(eq(connectors.id, connectorId))
      .get();
    if (!c) throw new ApiFailure('not-found', 'That connector no longer exists.');
    return stationRow(c.stationId);
  }

  /**
   * An outlet cannot be rated above its station: 999 A on a 32 A station was saved (as 500 A, the
   * form's clamp) and load balancing would then have offered the car more than the wiring carries.
   */
  function assertOutletWithinStation(station: StationRow, maxCurrentA: number) {
    if (maxCurrentA > station.maxCurrentA) {
      throw fieldFailure([
        {
          field: 'maxCurrentA',
          message: `Maximum current must be at most ${station.maxCurrentA} A, the station’s rating (raise the station’s first).`,
        },
      ]);
    }
  }

  /** The converse: a station's rating cannot drop below what one of its outlets is rated for. */
  function assertRatingCoversOutlets(stationId: number, maxCurrentA: number) {
    const over = db
      .select({ n: connectors.connectorNumber, a: connectors.maxCurrentA })
      .from(connectors)
      .where(eq(connectors.stationId, stationId))
      .all()
      .filter((c) => c.a !== null && c.a > maxCurrentA);
    if (over.length > 0) {
      const list = over.map((c) => `outlet ${c.n} (${c.a} A)`).join(', ');
      throw fieldFailure([
        {
          field: 'maxCurrentA',
          message: `Maximum current must be at least the outlets’ ratings: ${list}. Lower those first.`,
        },
      ]);
    }
  }

  function updateConnector(
    id: number,
    /** undefined = unchanged (drizzle leaves undefined keys out of the SET), null = clear. */
    input: { name?: string | null; type?: string | null; maxCurrentA?: number | null },
    now: number,
  ): Station {
    const station = getConnectorStation(id);
    if (input.maxCurrentA != null) assertOutletWithinStation(station, input.maxCurrentA);
    db.update(connectors)
      .set({ ...input, updatedAt: now })
      .where(eq(connectors.id, id))
      .run();
    changed(station.siteId);
    return toStation(stationRow(station.id));
  }

  // ── Tree ────────────────────────────────────────────────────────────────────────────────
  function getTree(visible: number[] | 'all'): Tree {
    const org = getOrganisation();
    const siteRows = listSites(visible);
    const ids = siteRows.map((s) => s.id);
    const floorRows =
      ids.length === 0
        ? []
        : db
            .select()
            .from(floors)
            .where(inArray(floors.siteId, ids))
            .orderBy(asc(floors.level), asc(floors.name))
            .all();
    const stationRows =
      ids.length === 0
        ? []
        : db
            .select()
            .from(stations)
            .where(inArray(stations.siteId, ids))
            .orderBy(asc(stations.name))
            .all();
    const connectorRows =
      stationRows.length === 0
        ? []
        : db
            .select({
              id: connectors.id,
              stationId: connectors.stationId,
              connectorNumber: connectors.connectorNumber,
              status: connectors.status,
            })
            .from(connectors)
            .where(
              inArray(
                connectors.stationId,
                stationRows.map((s) => s.id),
              ),
            )
            .orderBy(asc(connectors.connectorNumber))
            .all();
    return {
      organisation: org ? { name: org.name } : null,
      sites: siteRows.map((s) => ({
        id: s.id,
        name: s.name,
        strataPlan: s.strataPlan,
        floors: floorRows
          .filter((f) => f.siteId === s.id)
          .map((f) => ({ id: f.id, name: f.name, level: f.level })),
        stations: stationRows
          .filter((st) => st.siteId === s.id)
          .map((st) => ({
            id: st.id,
            name: st.name,
            identity: st.identity,
            floorId: st.floorId,
            connected: hooks.isConnected(st.identity),
            connectors: connectorRows
              .filter((c) => c.stationId === st.id)
              .map((c) => ({ id: c.id, connectorNumber: c.connectorNumber, status: c.status })),
          })),
      })),
    };
  }

  return {
    /** Lets other domains supply the OCPP-side facts (see ModelHooks). */
    provideHooks(partial: Partial<ModelHooks>) {
      Object.assign(hooks, partial);
    },
    /** Emits `tree-changed` (for writes made outside this service, e.g. a restore). */
    notifyChanged: changed,
    getOrganisation,
    upsertOrganisation,
    listSites,
    getSite,
    insertSite,
    createSite,
    updateSite,
    deleteSite,
    listFloors,
    getFloor,
    createFloor,
    updateFloor,
    deleteFloor,
    listStations,
    getStation: (id: number) => toStation(stationRow(id)),
    createStation,
    updateStation,
    deleteStation,
    getConnectorStation: (id: number) => toStation(getConnectorStation(id)),
    updateConnector,
    getTree,
  };
}
