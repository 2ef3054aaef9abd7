// A site's electrical model through the API, as the model editor uses it: a starting point for a
// new site, a whole model saved and read back after a restart (audited), every fault named in
// words with its field and nothing saved, and other sites' administrators kept out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestMeter } from '../../support/modbus-meter';
import { makeCore, type TestCore } from '../../support/make-core';
import { aSite, aStation, loginAs, setupAdmin } from '../../support/factories';
import type { MethodInput } from '../../../src-shared/api/contract';
import type { Connection } from '../../../src-main/api/context';

async function siteWithStations(t: TestCore) {
  const { admin, site } = await setupAdmin(t);
  const a = await t.ok(admin, 'station-create', aStation(site.id, { name: 'Bay 1' }));
  const b = await t.ok(admin, 'station-create', aStation(site.id, { name: 'Bay 2' }));
  return { admin, site, a, b };
}

function aModel(siteId: number, a: number, b: number): MethodInput<'balancing-save'> {
  return {
    siteId,
    enabled: true,
    supply: {
      phaseLimitA: 100,
      nominalVoltageV: 230,
      phases: 3,
      usablePercent: 90,
      reserveA: 5,
      assumedOtherLoadA: 20,
    },
    circuits: [
      {
        id: 'Main',
        name: 'Main',
        parentId: null,
        limitA: 63,
        phases: ['L1', 'L2', 'L3'],
        assumedOtherLoadA: 0,
      },
      {
        id: 'DB-2',
        name: 'DB-2',
        parentId: 'Main',
        limitA: 40,
        phases: ['L1', 'L2', 'L3'],
        assumedOtherLoadA: 0,
      },
      {
        id: 'DB-3',
        name: 'DB-3',
        parentId: 'Main',
        limitA: 32,
        phases: ['L2'],
        assumedOtherLoadA: 0,
      },
    ],
    stations: [
      {
        stationId: a,
        circuitId: 'DB-2',
        wiring: 'three-phase',
        rotation: 'L1-L2-L3',
        priority: 'normal',
        capA: null,
      },
      // Its L1 terminal lands on the building's L2 (rotation L2-L3-L1): fine on single-phase DB-3.
      {
        stationId: b,
        circuitId: 'DB-3',
        wiring: 'L1',
        rotation: 'L2-L3-L1',
        priority: 'high',
        capA: 16,
      },
    ],
    policy: { minCurrentA: 6, rotationPeriodS: 900, hysteresisA: 1, drawMarginA: 2 },
    loadSources: [
      { target: 'supply', kind: 'typed', typedA: [30, 25, 20], modbus: null },
      {
        target: 'DB-2',
        kind: 'modbus',
        typedA: null,
        modbus: {
          // A new meter must answer on save: a real Modbus server on 127.0.0.1.
          host: '127.0.0.1',
          port: meter.port,
          unitId: 1,
          model: 'eastron-sdm630',
          pollSeconds: 5,
          timeoutSeconds: 30,
        },
      },
    ],
    accountPolicies: [],
    registerMaps: [],
  };
}

const login = async (t: TestCore): Promise<Connection> => {
  const c = t.conn();
  await t.ok(c, 'session-login', { email: 'admin@example.com', password: 'correct horse battery' });
  return c;
};

const meter = new TestMeter();
beforeAll(async () => {
  meter.sdm630([10, 11, 12]);
  await meter.start();
});
afterAll(() => meter.stop());

describe('the electrical model of a site', () => {
  it('starts from one main switchboard with every station on it, not saved and off', async () => {
    const t = await makeCore();
    const { admin, site, a, b } = await siteWithStations(t);
    const got = await t.ok(admin, 'balancing-get', { siteId: site.id });
    expect(got.saved).toBe(false);
    expect(got.config.enabled).toBe(false);
    expect(got.config.circuits.map((c) => c.id)).toEqual(['MSB']);
    expect(got.config.stations.map((s) => s.stationId).sort()).toEqual([a.id, b.id].sort());
    expect(got.stations.map((s) => s.name)).toEqual(['Bay 1', 'Bay 2']);
  });

  it('is saved whole, audited, and read back after a restart', async () => {
    const t = await makeCore();
    const { admin, site, a, b } = await siteWithStations(t);
    const model = aModel(site.id, a.id, b.id);
    await t.ok(admin, 'balancing-save', model);
    const audit = await t.ok(admin, 'audit-list', { method: 'balancing-save' });
    expect(audit.entries[0]).toMatchObject({ method: 'balancing-save', siteId: site.id });

    await t.restart();
    const again = await login(t);
    const got = await t.ok(again, 'balancing-get', { siteId: site.id });
    const { siteId: _siteId, ...config } = model;
    expect(got.saved).toBe(true);
    expect(got.config).toEqual(config);
  });

  it('names every fault in words and saves nothing', async () => {
    const t = await makeCore();
    const { admin, site, a, b } = await siteWithStations(t);
    const good = aModel(site.id, a.id, b.id);
    await t.ok(admin, 'balancing-save', good);

    const other = await t.ok(admin, 'site-create', aSite());
    const stranger = await t.ok(admin, 'station-create', aStation(other.id, { name: 'Elsewhere' }));
    const base = aModel(site.id, a.id, b.id);
    const bad: MethodInput<'balancing-save'> = {
      ...base,
      circuits: base.circuits.map((c) => (c.id === 'DB-2' ? { ...c, limitA: 80 } : c)),
      stations: [
        // Building L2 only on DB-3, but this wiring lands on L3.
        ...base.stations.map((s) =>
          s.stationId === b.id ? { ...s, rotation: 'L3-L1-L2' as const } : s,
        ),
        {
          ...base.stations.find((s) => s.stationId === a.id),
          stationId: stranger.id,
        } as (typeof base.stations)[number],
      ],
      loadSources: base.loadSources.map((l) =>
        l.modbus ? { ...l, modbus: { ...l.modbus, port: 70_000 } } : l,
      ),
    };
    const e = await t.fail(admin, 'balancing-save', bad);
    expect(e.code).toBe('validation');
    const byField = Object.fromEntries((e.fields ?? []).map((f) => [f.field, f.message]));
    expect(byField['circuits.1.limitA']).toBe(
      'Circuit “DB-2” (80 A) cannot be above circuit “Main” that feeds it (63 A).',
    );
    expect(byField['stations.1.wiring']).toBe(
      'Station “Bay 2” draws on building phase L3 (wiring L1, rotation L3-L1-L2), which circuit “DB-3” does not carry.',
    );
    expect(byField['stations.2.stationId']).toBe('Station 3 is not a station of this site.');
    expect(byField['loadSources.1.modbus.port']).toBe(
      'The meter port on circuit “DB-2” must be between 1 and 65535.',
    );
    // Nothing of it was saved.
    const got = await t.ok(admin, 'balancing-get', { siteId: site.id });
    const { siteId: _siteId, ...config } = good;
    expect(got.config).toEqual(config);

    // The preview checks the same way.
    const p = await t.fail(admin, 'balancing-preview', bad);
    expect(p.fields?.map((f) => f.field)).toContain('circuits.1.limitA');
  });

  it('is out of reach of another site’s administrator', async () => {
    const t = await makeCore();
    const { admin, site, a, b } = await siteWithStations(t);
    const other = await t.ok(admin, 'site-create', aSite());
    const { conn } = await loginAs(t, admin, 'site_admin', [other.id]);
    expect((await t.fail(conn, 'balancing-get', { siteId: site.id })).code).toBe('forbidden');
    expect((await t.fail(conn, 'balancing-save', aModel(site.id, a.id, b.id))).code).toBe(
      'forbidden',
    );
    expect((await t.fail(conn, 'balancing-live', { siteId: site.id })).code).toBe('forbidden');
  });
});
