// Stations and their connectors (outlets): the rules for creating, moving, re-rating and
// removing them. Each write runs in one transaction and publishes its domain event inside it
// (station.created / station.updated / station.removed / connector.updated), so other domains
// (load balancing, alarms, billing) hear of it only once it is committed.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { ApiFailure, fieldFailure } from '../../src-shared/api/result';
import type { Station } from '../../src-shared/model';
import { connectors, floors, stations } from '../db/schema';
import { hashPassword } from '../auth/password';
import type { ConnectorField, StationField } from '../platform/domain-event-types';
import { isForeignKeyError, isUniqueError } from './errors';
import type { ModelContext } from './context';

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

export interface ConnectorPatch {
  /** undefined = unchanged (drizzle leaves undefined keys out of the SET), null = clear. */
  name?: string | null;
  type?: string | null;
  maxCurrentA?: number | null;
}

type StationRow = typeof stations.$inferSelect;

const STATION_FIELDS = [
  'siteId',
  'floorId',
  'name',
  'maxCurrentA',
  'phases',
  'approved',
  'blocked',
  'securityProfile',
] as const satisfies readonly StationField[];
const CONNECTOR_FIELDS = ['name', 'type', 'maxCurrentA'] as const satisfies ConnectorField[];

export function createStationRepo(ctx: ModelContext) {
  const { db, hooks, inTransaction, publish } = ctx;

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
    // Hash first (scrypt is async, better-sqlite3 transactions are not): the checks and the
    // insert then run in one transaction without an await, so nothing can change in between.
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    const { connectorCount, password: _password, ...fields } = input;
    let id: number;
    try {
      id = inTransaction(() => {
        ctx.getSite(input.siteId);
        if (input.floorId != null) assertFloorOnSite(input.floorId, input.siteId);
        const clash = db
          .select({ id: stations.id })
          .from(stations)
          .where(eq(stations.identity, input.identity))
          .get();
        if (clash) throw identityTaken(input.identity);
        const row = db
          .insert(stations)
          .values({
            ...fields,
            floorId: fields.floorId ?? null,
            passwordHash,
            createdAt: now,
            updatedAt: now,
          })
          .returning()
          .get();
        for (let n = 1; n <= connectorCount; n++) {
          db.insert(connectors)
            .values({ stationId: row.id, connectorNumber: n, createdAt: now, updatedAt: now })
            .run();
        }
        publish({
          type: 'station.created',
          stationId: row.id,
          siteId: row.siteId,
          floorId: row.floorId,
          identity: row.identity,
          maxCurrentA: row.maxCurrentA,
          phases: row.phases,
          connectorCount,
          approved: row.approved,
          at: now,
        });
        return row.id;
      });
    } catch (cause) {
      // The unique index has the last word on the identity.
      if (isUniqueError(cause)) throw identityTaken(input.identity);
      throw cause;
    }
    return toStation(stationRow(id));
  }

  async function updateStation(id: number, patch: StationPatch, now: number): Promise<Station> {
    // Hash first, as in createStation: a floor or site removed meanwhile is then caught below.
    const newHash =
      typeof patch.password === 'string' ? await hashPassword(patch.password) : undefined;
    inTransaction(() => {
      const before = stationRow(id);
      const siteId = patch.siteId ?? before.siteId;
      if (siteId !== before.siteId) ctx.getSite(siteId);
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
        patch.password === undefined
          ? before.passwordHash
          : patch.password === null
            ? null
            : (newHash ?? null);
      const { password: _password, ...fields } = patch;
      // A position on the old floor's plan means nothing on another floor: it is placed afresh.
      const plan = floorId === before.floorId ? {} : { planX: null, planY: null };
      // A station moved to another phase here gets the natural rotation for it (its own L1 on
      // that phase); the load-balancing model sets any other rotation.
      const rewired =
        patch.phases !== undefined && patch.phases !== before.phases ? { rotation: null } : {};
      const after = db
        .update(stations)
        .set({ ...fields, ...plan, ...rewired, siteId, floorId, passwordHash, updatedAt: now })
        .where(eq(stations.id, id))
        .returning()
        .get();
      const changed: StationField[] = STATION_FIELDS.filter((f) => before[f] !== after[f]);
      // Hashes are salted: any password set (or removed) is a change, never its hash compared.
      if (patch.password !== undefined && before.passwordHash !== after.passwordHash) {
        changed.push('password');
      }
      if (changed.length === 0) return;
      publish({
        type: 'station.updated',
        stationId: id,
        siteId: after.siteId,
        previousSiteId: before.siteId,
        identity: after.identity,
        changed,
        maxCurrentA: after.maxCurrentA,
        phases: after.phases,
        approved: after.approved,
        blocked: after.blocked,
        at: now,
      });
    });
    return toStation(stationRow(id));
  }

  function deleteStation(id: number, now: number): void {
    try {
      inTransaction(() => {
        const before = stationRow(id);
        if (hooks.hasTransactions(id)) {
          throw new ApiFailure(
            'conflict',
            'This station has charging sessions, which invoices refer to. Withdraw its approval instead of deleting it.',
          );
        }
        db.delete(connectors).where(eq(connectors.stationId, id)).run();
        db.delete(stations).where(eq(stations.id, id)).run();
        publish({
          type: 'station.removed',
          stationId: id,
          siteId: before.siteId,
          identity: before.identity,
          at: now,
        });
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

  function updateConnector(id: number, input: ConnectorPatch, now: number): Station {
    const stationId = inTransaction(() => {
      const station = getConnectorStation(id);
      if (input.maxCurrentA != null) assertOutletWithinStation(station, input.maxCurrentA);
      const before = db.select().from(connectors).where(eq(connectors.id, id)).get();
      const after = db
        .update(connectors)
        .set({ ...input, updatedAt: now })
        .where(eq(connectors.id, id))
        .returning()
        .get();
      const changed = CONNECTOR_FIELDS.filter((f) => before?.[f] !== after[f]);
      if (changed.length > 0) {
        publish({
          type: 'connector.updated',
          stationId: station.id,
          siteId: station.siteId,
          connectorId: id,
          connectorNumber: after.connectorNumber,
          changed,
          maxCurrentA: after.maxCurrentA,
          at: now,
        });
      }
      return station.id;
    });
    return toStation(stationRow(stationId));
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

  return {
    listStations,
    getStation: (id: number) => toStation(stationRow(id)),
    createStation,
    updateStation,
    deleteStation,
    getConnectorStation: (id: number) => toStation(getConnectorStation(id)),
    updateConnector,
  };
}
