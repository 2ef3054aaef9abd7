// `npm run server -- --demo`: a demo building with two car-park levels, six stations, id tags,
// and simulated chargers that plug in and charge against the running core (real sockets).
import type { Core } from '../core';
import { seedDemoResidents } from './demo-residents';
import { seedDemoHistory } from './demo-history';
import { demoCar, seedDemoBalancing } from './demo-balancing';
import { SimCharger } from './charger';
import { DEMO_TAGS } from './demo-data';

export interface Demo {
  chargers: SimCharger[];
  stop(): Promise<void>;
}

const DEMO_SITE = 'Demo — Harbour Towers';

export async function startDemo(
  core: Core,
  opts: { meterIntervalSeconds?: number } = {},
): Promise<Demo> {
  const { model, ocpp, clock } = core.services;
  const now = clock.now();
  if (!core.info.ocppUrl) throw new Error('The demo needs the OCPP listener (ocpp options).');
  let site = model.listSites('all').find((s) => s.name === DEMO_SITE);
  if (!site) {
    site = model.createSite(
      {
        name: DEMO_SITE,
        strataPlan: 'SP 99999',
        address: '1 Harbour St, Sydney NSW',
        timeZone: 'Australia/Sydney',
        latitude: null,
        longitude: null,
      },
      now,
    );
  }
  const siteId = site.id;
  core.services.demo.markSite(siteId, now);
  const floors = model.listFloors(siteId);
  const floorFor = (name: string, level: number) =>
    floors.find((f) => f.name === name) ?? model.createFloor({ siteId, name, level }, now);
  const b1 = floorFor('B1', -1);
  const b2 = floorFor('B2', -2);
  const existing = new Set(model.listStations({ siteId, visible: 'all' }).map((s) => s.identity));
  const plan = [
    { identity: 'DEMO-B1-01', floorId: b1.id, phases: 'three' as const, connectors: 2 },
    { identity: 'DEMO-B1-02', floorId: b1.id, phases: 'L1' as const, connectors: 1 },
    { identity: 'DEMO-B1-03', floorId: b1.id, phases: 'L2' as const, connectors: 1 },
    { identity: 'DEMO-B2-01', floorId: b2.id, phases: 'three' as const, connectors: 2 },
    { identity: 'DEMO-B2-02', floorId: b2.id, phases: 'L3' as const, connectors: 1 },
    { identity: 'DEMO-B2-03', floorId: b2.id, phases: 'three' as const, connectors: 1 },
  ];
  for (const p of plan) {
    if (existing.has(p.identity)) continue;
    await model.createStation(
      {
        siteId,
        floorId: p.floorId,
        identity: p.identity,
        name: `Bay ${p.identity.slice(5)}`,
        maxCurrentA: 32,
        phases: p.phases,
        approved: true,
        securityProfile: 0,
        password: null,
        connectorCount: p.connectors,
      },
      now,
    );
  }
  const tags = DEMO_TAGS;
  for (const [i, idTag] of tags.entries()) {
    if (!ocpp.idTags.get(idTag)) {
      ocpp.idTags.upsert(
        {
          idTag,
          status: 'Accepted',
          expiryDate: null,
          parentIdTag: null,
          label: `Apartment ${101 + i}`,
          userId: null,
        },
        now,
      );
    }
  }

  // Lots, residents and cards: the sessions below are theirs (lot 1's card on its private bay).
  const cardTags = seedDemoResidents(core, siteId, now);
  // A few months of their sessions with meter samples, for the reports and the sessions list.
  seedDemoHistory(core, siteId, now, site.timeZone);
  // A balanced supply to watch on the Load balancing page (demo-balancing.ts).
  seedDemoBalancing(core, siteId);

  const chargers = plan.map(
    (p) =>
      new SimCharger({
        url: core.info.ocppUrl,
        identity: p.identity,
        connectors: p.connectors,
        phases: p.phases === 'three' ? 3 : 1,
        meterIntervalSeconds: opts.meterIntervalSeconds ?? 15,
        reconnect: true,
      }),
  );
  for (const c of chargers) await c.start();
  // The server sets MeterValueSampleInterval after boot; keep the demo lively regardless.
  for (const c of chargers)
    c.config.set('MeterValueSampleInterval', {
      value: String(opts.meterIntervalSeconds ?? 15),
      readonly: false,
    });
  // Cars with their own on-board chargers and batteries (demo-balancing.ts): they draw less
  // than allowed as real ones do, taper, and one stops when it reaches its limit.
  // Lot 1's card on its private bay (B2-02), the other residents' cards elsewhere.
  let n = 1;
  for (const c of chargers) {
    const car = demoCar(c.identity);
    if (!car) continue;
    const card = c.identity === 'DEMO-B2-02' ? 0 : n++;
    const idTag = cardTags[card % cardTags.length] ?? 'DEMO-TAG-01';
    c.plugIn(1, car);
    await c.startTransaction(1, idTag).catch(() => undefined);
    c.startMeterLoop();
  }
  let stopped: Promise<void> | null = null;
  const stop = () => {
    stopped ??= (async () => {
      for (const c of chargers) await c.close();
    })();
    return stopped;
  };
  // "Remove demo data" stops them first, so none reconnects to a deleted station.
  core.services.demo.attachChargers(stop);
  return { chargers, stop };
}
