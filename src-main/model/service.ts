// The organisation tree: organisation → sites → floors → stations → connectors.
// Repositories and rules in one place (stations and connectors in stations.ts); the API handlers
// add role/site checks and audit detail. Every write runs in one transaction and publishes a
// domain event inside it (site.changed, floor.changed, station.*, connector.updated), delivered
// after COMMIT; the UI's `tree-changed` is their projection (platform/event-projector.ts).
import { and, asc, count, eq, inArray, ne } from 'drizzle-orm';
import { ApiFailure } from '../../src-shared/api/result';
import type { Floor, Organisation, Site, Tree } from '../../src-shared/model';
import type { Db } from '../db/open';
import { floors, organisation, sites, stations } from '../db/schema';
import type { EventBus } from '../platform/events';
import type { DomainEvents } from '../platform/domain-events';
import type { SiteField } from '../platform/domain-event-types';
import { isForeignKeyError, plural } from './errors';
import { normaliseStrataPlan } from '../../src-shared/validation';
import type { ModelContext, ModelHooks } from './context';
import { createStationRepo } from './stations';
import { buildTree } from './tree';

export type { ModelHooks } from './context';
export type { StationCreate, StationPatch } from './stations';

export type SiteInput = Omit<Site, 'id' | 'createdAt' | 'updatedAt'>;
export type OrganisationInput = Organisation;

export type ModelService = ReturnType<typeof createModelService>;

type SiteRow = typeof sites.$inferSelect;
type FloorRow = typeof floors.$inferSelect;

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

const SITE_FIELDS = [
  'name',
  'strataPlan',
  'address',
  'timeZone',
  'latitude',
  'longitude',
] as const satisfies readonly SiteField[];

export function createModelService(deps: { db: Db; events: EventBus; domainEvents: DomainEvents }) {
  const { db, events, domainEvents } = deps;
  const hooks: ModelHooks = {
    hasTransactions: () => false,
    isConnected: () => false,
  };
  /** For writes this service does not make (a restore, the organisation's details). */
  const changed = (siteId: number | null) => events.emit({ type: 'tree-changed', siteId });
  const inTransaction = <T>(fn: () => T): T =>
    domainEvents.transaction((run) => db.transaction(() => run()), fn);
  const publish: ModelContext['publish'] = (e) => domainEvents.publish(e);

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

  /** Inserts (and publishes site.changed): setup calls it inside its own `transaction`. */
  function insertSite(input: SiteInput, now: number): Site {
    return inTransaction(() => {
      assertSiteNameFree(input.name);
      const row = db
        .insert(sites)
        .values({ ...normalised(input), createdAt: now, updatedAt: now })
        .returning()
        .get();
      publish({
        type: 'site.changed',
        siteId: row.id,
        change: 'created',
        changed: [],
        timeZone: row.timeZone,
        at: now,
      });
      return toSite(row);
    });
  }

  function updateSite(id: number, input: SiteInput, now: number): Site {
    return inTransaction(() => {
      const before = getSite(id);
      assertSiteNameFree(input.name, id);
      const row = db
        .update(sites)
        .set({ ...normalised(input), updatedAt: now })
        .where(eq(sites.id, id))
        .returning()
        .get();
      const after = toSite(row);
      const fields = SITE_FIELDS.filter((f) => before[f] !== after[f]);
      if (fields.length > 0) {
        publish({
          type: 'site.changed',
          siteId: id,
          change: 'updated',
          changed: fields,
          timeZone: after.timeZone,
          at: now,
        });
      }
      return after;
    });
  }

  function deleteSite(id: number, now: number): void {
    try {
      inTransaction(() => {
        const before = getSite(id);
        const floorCount =
          db.select({ n: count() }).from(floors).where(eq(floors.siteId, id)).get()?.n ?? 0;
        if (floorCount > 0) {
          throw new ApiFailure(
            'conflict',
            `Move or delete its ${plural(floorCount, 'floor')} first.`,
          );
        }
        const stationCount =
          db.select({ n: count() }).from(stations).where(eq(stations.siteId, id)).get()?.n ?? 0;
        if (stationCount > 0) {
          throw new ApiFailure(
            'conflict',
            `Move or delete its ${plural(stationCount, 'station')} first.`,
          );
        }
        db.delete(sites).where(eq(sites.id, id)).run();
        publish({
          type: 'site.changed',
          siteId: id,
          change: 'removed',
          changed: [],
          timeZone: before.timeZone,
          at: now,
        });
      });
    } catch (cause) {
      if (isForeignKeyError(cause)) {
        throw new ApiFailure(
          'conflict',
          'Other records (tariffs, users’ history, …) still refer to this site.',
        );
      }
      throw cause;
    }
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
    return inTransaction(() => {
      getSite(input.siteId);
      assertFloorNameFree(input.siteId, input.name);
      const row = db
        .insert(floors)
        .values({ ...input, createdAt: now, updatedAt: now })
        .returning()
        .get();
      publish({
        type: 'floor.changed',
        floorId: row.id,
        siteId: row.siteId,
        change: 'created',
        at: now,
      });
      return toFloor(row);
    });
  }

  function updateFloor(id: number, input: { name: string; level: number }, now: number): Floor {
    return inTransaction(() => {
      const floor = getFloor(id);
      assertFloorNameFree(floor.siteId, input.name, id);
      const row = db
        .update(floors)
        .set({ ...input, updatedAt: now })
        .where(eq(floors.id, id))
        .returning()
        .get();
      publish({
        type: 'floor.changed',
        floorId: id,
        siteId: row.siteId,
        change: 'updated',
        at: now,
      });
      return toFloor(row);
    });
  }

  function deleteFloor(id: number, now: number): void {
    inTransaction(() => {
      const floor = getFloor(id);
      const n =
        db.select({ n: count() }).from(stations).where(eq(stations.floorId, id)).get()?.n ?? 0;
      if (n > 0) {
        throw new ApiFailure('conflict', `Move or delete the ${plural(n, 'station')} on it first.`);
      }
      db.delete(floors).where(eq(floors.id, id)).run();
      publish({
        type: 'floor.changed',
        floorId: id,
        siteId: floor.siteId,
        change: 'removed',
        at: now,
      });
    });
  }

  const stationRepo = createStationRepo({ db, hooks, inTransaction, publish, getSite });

  function getTree(visible: number[] | 'all'): Tree {
    return buildTree(db, hooks, getOrganisation(), listSites(visible));
  }

  return {
    /** Lets other domains supply the OCPP-side facts (see ModelHooks). */
    provideHooks(partial: Partial<ModelHooks>) {
      Object.assign(hooks, partial);
    },
    /** Emits `tree-changed` (for writes made outside this service, e.g. a restore). */
    notifyChanged: changed,
    /** One transaction around several writes (setup): their events are delivered after it. */
    transaction: inTransaction,
    getOrganisation,
    upsertOrganisation,
    listSites,
    getSite,
    insertSite,
    createSite: insertSite,
    updateSite,
    deleteSite,
    listFloors,
    getFloor,
    createFloor,
    updateFloor,
    deleteFloor,
    ...stationRepo,
    getTree,
  };
}
