// Reading and writing a site's balancing configuration (tables in db/schema/balancing.ts). The
// whole configuration is replaced in one transaction: a model is only meaningful as a whole.
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import {
  DEFAULT_POLICY,
  PHASES,
  stationOfWiring,
  wiringOfStation,
  type Phase,
  type Rotation,
  type StationPhases,
} from '../../src-shared/balancing/model';
import type {
  BalancingConfig,
  LoadSource,
  MeterModel,
  SiteFacts,
} from '../../src-shared/balancing/config';
import type { Db } from '../db/open';
import {
  accounts,
  balancingAccountPolicies,
  balancingCircuits,
  balancingLoadSources,
  balancingRegisterMaps,
  balancingSites,
  balancingStations,
  stations,
} from '../db/schema';

export interface SiteStation {
  id: number;
  name: string;
  identity: string;
  maxCurrentA: number;
  phases: StationPhases;
  rotation: Rotation | null;
}

export function siteStations(db: Db, siteId: number): SiteStation[] {
  return db
    .select({
      id: stations.id,
      name: stations.name,
      identity: stations.identity,
      maxCurrentA: stations.maxCurrentA,
      phases: stations.phases,
      rotation: stations.rotation,
    })
    .from(stations)
    .where(eq(stations.siteId, siteId))
    .orderBy(asc(stations.name))
    .all();
}

export function siteAccounts(db: Db, siteId: number): { id: number; name: string }[] {
  return db
    .select({ id: accounts.id, lot: accounts.lotNumber, owners: accounts.ownerNames })
    .from(accounts)
    .where(and(eq(accounts.siteId, siteId), isNull(accounts.closedAt)))
    .orderBy(asc(accounts.lotNumber))
    .all()
    .map((a) => ({ id: a.id, name: `Lot ${a.lot} (${a.owners})` }));
}

export function siteFacts(db: Db, siteId: number): SiteFacts {
  return {
    stations: new Map(siteStations(db, siteId).map((s) => [s.id, s])),
    accounts: new Map(siteAccounts(db, siteId).map((a) => [a.id, a])),
  };
}

/**
 * A starting point for a site without a model: one main switchboard at the supply's limit, every
 * station on it as the stations page describes its wiring. Not saved, and off.
 */
export function defaultConfig(db: Db, siteId: number): BalancingConfig {
  return {
    enabled: false,
    supply: {
      phaseLimitA: 100,
      nominalVoltageV: 230,
      phases: 3,
      usablePercent: 100,
      reserveA: 0,
      assumedOtherLoadA: 0,
    },
    circuits: [
      {
        id: 'MSB',
        name: 'Main switchboard',
        parentId: null,
        limitA: 100,
        phases: [...PHASES],
        assumedOtherLoadA: 0,
      },
    ],
    stations: siteStations(db, siteId).map((s) => ({
      stationId: s.id,
      circuitId: 'MSB',
      ...wiringOfStation(s.phases, s.rotation),
      priority: 'normal',
      capA: null,
    })),
    policy: { ...DEFAULT_POLICY },
    loadSources: [],
    accountPolicies: [],
    registerMaps: [],
  };
}

/** The saved configuration, or null when the site has none. */
export function loadConfig(db: Db, siteId: number): BalancingConfig | null {
  const s = db.select().from(balancingSites).where(eq(balancingSites.siteId, siteId)).get();
  if (!s) return null;
  const circuits = db
    .select()
    .from(balancingCircuits)
    .where(eq(balancingCircuits.siteId, siteId))
    .orderBy(asc(balancingCircuits.position))
    .all();
  // The wiring is the station row's (one place, edited from either page).
  const wiring = db
    .select({
      stationId: balancingStations.stationId,
      circuitId: balancingStations.circuitId,
      priority: balancingStations.priority,
      capA: balancingStations.capA,
      phases: stations.phases,
      rotation: stations.rotation,
    })
    .from(balancingStations)
    .innerJoin(stations, eq(stations.id, balancingStations.stationId))
    .where(eq(balancingStations.siteId, siteId))
    .orderBy(asc(balancingStations.stationId))
    .all();
  const sources = db
    .select()
    .from(balancingLoadSources)
    .where(eq(balancingLoadSources.siteId, siteId))
    .orderBy(sql`rowid`)
    .all();
  const registerMaps = db
    .select()
    .from(balancingRegisterMaps)
    .where(eq(balancingRegisterMaps.siteId, siteId))
    .orderBy(asc(balancingRegisterMaps.position))
    .all()
    .map((r) => ({ ...r.map, label: r.label }));
  const siteMap = new Map(registerMaps.map((m) => [m.label, m]));
  const policies = db
    .select()
    .from(balancingAccountPolicies)
    .where(eq(balancingAccountPolicies.siteId, siteId))
    .orderBy(asc(balancingAccountPolicies.accountId))
    .all();
  return {
    enabled: s.enabled,
    supply: {
      phaseLimitA: s.phaseLimitA,
      nominalVoltageV: s.nominalVoltageV,
      phases: s.phases === 1 ? 1 : 3,
      usablePercent: s.usablePercent,
      reserveA: s.reserveA,
      assumedOtherLoadA: s.assumedOtherLoadA,
    },
    circuits: circuits.map((c) => ({
      id: c.circuitId,
      name: c.name,
      parentId: c.parentId,
      limitA: c.limitA,
      phases: c.phases
        .split(',')
        .filter((p): p is Phase => (PHASES as readonly string[]).includes(p)),
      assumedOtherLoadA: c.assumedOtherLoadA,
    })),
    stations: wiring.map((w) => ({
      stationId: w.stationId,
      circuitId: w.circuitId,
      ...wiringOfStation(w.phases, w.rotation),
      priority: w.priority,
      capA: w.capA,
    })),
    policy: {
      minCurrentA: s.minCurrentA,
      rotationPeriodS: s.rotationPeriodS,
      hysteresisA: s.hysteresisA,
      drawMarginA: s.drawMarginA,
    },
    loadSources: sources.map((l): LoadSource => ({
      target: l.target,
      kind: l.kind,
      typedA: l.kind === 'typed' ? [l.typedL1 ?? 0, l.typedL2 ?? 0, l.typedL3 ?? 0] : null,
      modbus:
        l.kind === 'modbus'
          ? {
              host: l.modbusHost ?? '',
              port: l.modbusPort ?? 502,
              unitId: l.modbusUnitId ?? 1,
              model: (l.modbusModel ?? 'eastron-sdm630') as MeterModel,
              // The site's map of that name is the truth; the copy kept with the meter is what
              // it was saved with (a map removed since still reads the same).
              ...(l.modbusModel === 'custom'
                ? { map: (l.modbusMap && siteMap.get(l.modbusMap.label)) ?? l.modbusMap ?? null }
                : {}),
              pollSeconds: l.pollSeconds ?? 5,
              timeoutSeconds: l.timeoutSeconds ?? 30,
            }
          : null,
    })),
    accountPolicies: policies.map((p) => ({
      accountId: p.accountId,
      priority: p.priority,
      capA: p.capA,
    })),
    registerMaps,
  };
}

/**
 * Replaces the site's configuration. Call inside a transaction, after validateConfig and
 * resolveCustomMaps (the site's maps then hold every custom meter's map).
 */
export function writeConfig(
  db: Db,
  siteId: number,
  c: BalancingConfig,
  by: { userId: number | null; now: number },
): RewiredStation[] {
  const row = {
    enabled: c.enabled,
    phaseLimitA: c.supply.phaseLimitA,
    nominalVoltageV: c.supply.nominalVoltageV,
    phases: c.supply.phases,
    usablePercent: c.supply.usablePercent,
    reserveA: c.supply.reserveA,
    assumedOtherLoadA: c.supply.assumedOtherLoadA,
    minCurrentA: c.policy.minCurrentA,
    rotationPeriodS: c.policy.rotationPeriodS,
    hysteresisA: c.policy.hysteresisA,
    drawMarginA: c.policy.drawMarginA,
    updatedAt: by.now,
    updatedBy: by.userId,
  };
  db.insert(balancingSites)
    .values({ siteId, ...row })
    .onConflictDoUpdate({ target: balancingSites.siteId, set: row })
    .run();
  db.delete(balancingCircuits).where(eq(balancingCircuits.siteId, siteId)).run();
  c.circuits.forEach((x, position) =>
    db
      .insert(balancingCircuits)
      .values({
        siteId,
        circuitId: x.id,
        name: x.name.trim(),
        parentId: x.parentId,
        limitA: x.limitA,
        phases: x.phases.join(','),
        assumedOtherLoadA: x.assumedOtherLoadA,
        position,
      })
      .run(),
  );
  db.delete(balancingStations).where(eq(balancingStations.siteId, siteId)).run();
  const rewired: RewiredStation[] = [];
  for (const { wiring, rotation, ...s } of c.stations) {
    db.insert(balancingStations)
      .values({ ...s, siteId })
      .run();
    // The wiring goes to the station row, its one home: the stations page shows it at once.
    const next = stationOfWiring({ wiring, rotation });
    const row = db
      .select({ phases: stations.phases, rotation: stations.rotation })
      .from(stations)
      .where(and(eq(stations.id, s.stationId), eq(stations.siteId, siteId)))
      .get();
    if (!row || (row.phases === next.phases && row.rotation === next.rotation)) continue;
    db.update(stations)
      .set({ ...next, updatedAt: by.now })
      .where(eq(stations.id, s.stationId))
      .run();
    rewired.push({
      stationId: s.stationId,
      changed: [
        ...(row.phases !== next.phases ? (['phases'] as const) : []),
        ...(row.rotation !== next.rotation ? (['rotation'] as const) : []),
      ],
    });
  }
  db.delete(balancingLoadSources).where(eq(balancingLoadSources.siteId, siteId)).run();
  for (const l of c.loadSources)
    db.insert(balancingLoadSources)
      .values({
        siteId,
        target: l.target,
        kind: l.kind,
        typedL1: l.typedA?.[0] ?? null,
        typedL2: l.typedA?.[1] ?? null,
        typedL3: l.typedA?.[2] ?? null,
        modbusHost: l.modbus?.host ?? null,
        modbusPort: l.modbus?.port ?? null,
        modbusUnitId: l.modbus?.unitId ?? null,
        modbusModel: l.modbus?.model ?? null,
        modbusMap: l.modbus?.model === 'custom' ? (l.modbus.map ?? null) : null,
        pollSeconds: l.modbus?.pollSeconds ?? null,
        timeoutSeconds: l.modbus?.timeoutSeconds ?? null,
      })
      .run();
  db.delete(balancingRegisterMaps).where(eq(balancingRegisterMaps.siteId, siteId)).run();
  (c.registerMaps ?? []).forEach((map, position) =>
    db
      .insert(balancingRegisterMaps)
      .values({ siteId, label: map.label.trim(), map, position })
      .run(),
  );
  db.delete(balancingAccountPolicies).where(eq(balancingAccountPolicies.siteId, siteId)).run();
  for (const p of c.accountPolicies)
    db.insert(balancingAccountPolicies)
      .values({ ...p, siteId })
      .run();
  return rewired;
}

/** A station whose wiring a save changed (its station.updated is published by the caller). */
export interface RewiredStation {
  stationId: number;
  changed: ('phases' | 'rotation')[];
}
