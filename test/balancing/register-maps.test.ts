// A site's own Modbus register maps (a meter not shipped) and "Test meter", against a real
// Modbus server (jsmodbus on 127.0.0.1, port 0): a map is stored with the site, checked field by
// field, selectable for a meter, and the poller reads with it; editing the map changes what the
// meter reads. Test meter says which address, unit and how long when nothing answers.
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ocppCore, waitFor, type OcppTest } from '../ocpp/helpers';
import { TestMeter } from '../support/modbus-meter';
import type { MethodInput } from '../../src-shared/api/contract';
import type { RegisterMap } from '../../src-shared/balancing/register-maps';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
const meter = async () => {
  const m = await new TestMeter().start();
  cleanups.push(() => m.stop());
  return m;
};

/** A made-up meter: int16 tenths of an amp in holding registers 100–102 (and 200–202). */
const PM: RegisterMap = {
  label: 'Site gateway PM',
  functionCode: 3,
  type: 'int16',
  wordOrder: 'high-first',
  currentRegisters: [100, 101, 102],
  currentScale: 0.1,
  powerRegisters: null,
  powerScale: 1,
  defaultUnitId: 1,
};

function model(o: OcppTest, port: number, map: RegisterMap): MethodInput<'balancing-save'> {
  return {
    siteId: o.siteId,
    enabled: true,
    supply: {
      phaseLimitA: 63,
      nominalVoltageV: 230,
      phases: 3,
      usablePercent: 100,
      reserveA: 0,
      assumedOtherLoadA: 20,
    },
    circuits: [
      {
        id: 'MSB',
        name: 'Main',
        parentId: null,
        limitA: 63,
        phases: ['L1', 'L2', 'L3'],
        assumedOtherLoadA: 0,
      },
    ],
    stations: [],
    policy: { minCurrentA: 6, rotationPeriodS: 900, hysteresisA: 1, drawMarginA: 2 },
    loadSources: [
      {
        target: 'supply',
        kind: 'modbus',
        typedA: null,
        modbus: {
          host: '127.0.0.1',
          port,
          unitId: 1,
          model: 'custom',
          map,
          pollSeconds: 5,
          timeoutSeconds: 15,
        },
      },
    ],
    accountPolicies: [],
    registerMaps: [map],
  };
}

const tenths = (m: TestMeter, first: number, amps: number[]) =>
  amps.forEach((a, i) => m.holding.writeInt16BE(Math.round(a * 10), (first + i) * 2));

describe("a site's own register maps", () => {
  it('are stored with the site, selectable for a meter, and read with; an edit changes the reading', async () => {
    const m = await meter();
    tenths(m, 100, [41.5, 3.2, 0]);
    tenths(m, 200, [7, 8, 9]);
    const o = await ocppCore();
    await o.t.ok(o.admin, 'balancing-save', model(o, m.port, PM));
    const got = await o.t.ok(o.admin, 'balancing-get', { siteId: o.siteId });
    expect(got.config.registerMaps).toEqual([PM]);
    expect(got.config.loadSources[0]?.modbus).toMatchObject({ model: 'custom', map: PM });

    const board = o.t.core.services.balancing.board;
    const reading = () =>
      board.latest(o.siteId, 'supply')?.amps.map((a) => Math.round(a * 10) / 10);
    await waitFor(() => reading()?.[0] === 41.5, 'a reading with the site map');
    expect(reading()).toEqual([41.5, 3.2, 0]);

    // The installer corrects the map (the currents were at 200): the site's map is the truth,
    // even when a client sends the meter's old copy with it.
    const moved = { ...PM, currentRegisters: [200, 201, 202] as [number, number, number] };
    await o.t.ok(o.admin, 'balancing-save', { ...model(o, m.port, PM), registerMaps: [moved] });
    const again = await o.t.ok(o.admin, 'balancing-get', { siteId: o.siteId });
    expect(again.config.loadSources[0]?.modbus?.map).toEqual(moved);
    await waitFor(() => reading()?.[0] === 7, 'a reading with the corrected map');
    expect(reading()).toEqual([7, 8, 9]);

    // Another site does not see this site's maps.
    const other = await o.t.ok(o.admin, 'site-create', {
      name: 'Other',
      timeZone: 'Australia/Sydney',
    });
    const theirs = await o.t.ok(o.admin, 'balancing-get', { siteId: other.id });
    expect(theirs.config.registerMaps).toEqual([]);
  });

  it('a map sent inline with a meter (older clients) joins the site maps', async () => {
    const m = await meter();
    const o = await ocppCore();
    const { registerMaps: _none, ...old } = model(o, m.port, PM);
    await o.t.ok(o.admin, 'balancing-save', old);
    const got = await o.t.ok(o.admin, 'balancing-get', { siteId: o.siteId });
    expect(got.config.registerMaps).toEqual([PM]);
  });

  it('refuses a bad map by field, in words; nothing saved', async () => {
    const m = await meter();
    const o = await ocppCore();
    const bad = await o.t.call(o.admin, 'balancing-save', {
      ...model(o, m.port, PM),
      registerMaps: [
        { ...PM, currentScale: 0, currentRegisters: [100, 101, 900] },
        { ...PM, label: 'Eastron SDM630' },
        { ...PM, label: ' site gateway pm ' },
      ],
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error.fields).toEqual([
      {
        field: 'registerMaps.0.currentRegisters',
        message:
          'Register map “Site gateway PM”: the three current registers must lie within 100 registers of each other.',
      },
      {
        field: 'registerMaps.0.currentScale',
        message:
          'Register map “Site gateway PM”: the current scale must be a number above 0 (1 when the meter gives amps).',
      },
      {
        field: 'registerMaps.1.label',
        message:
          'Register map “Eastron SDM630” has the name of a shipped meter; choose that meter instead, or another name.',
      },
      {
        field: 'registerMaps.2.label',
        message: 'Two register maps are called “site gateway pm”; each needs its own name.',
      },
    ]);
    expect((await o.t.ok(o.admin, 'balancing-get', { siteId: o.siteId })).saved).toBe(false);
  });
});

describe('"Test meter"', () => {
  it('reads with a custom map: the amps (and watts) per phase', async () => {
    const m = await meter();
    tenths(m, 100, [12.5, 0.4, 30]);
    [2875, 92, 6900].forEach((w, i) => m.holding.writeInt16BE(w, (110 + i) * 2));
    const o = await ocppCore();
    const r = await o.t.ok(o.admin, 'balancing-meter-test', {
      siteId: o.siteId,
      host: '127.0.0.1',
      port: m.port,
      unitId: 1,
      model: 'custom',
      map: { ...PM, powerRegisters: [110, 111, 112] },
    });
    expect(r).toEqual({ answered: true, amps: [12.5, 0.4, 30], watts: [2875, 92, 6900] });
  });

  it('names the address, the unit and the wait when nothing answers', async () => {
    // A device that takes the connection and never answers (a gateway with no meter behind).
    const sockets = new Set<Socket>();
    const silent: Server = createServer((s) => {
      sockets.add(s);
      s.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const o = await ocppCore();
    const r = await o.t.ok(o.admin, 'balancing-meter-test', {
      siteId: o.siteId,
      host: '127.0.0.1',
      port,
      unitId: 7,
      model: 'eastron-sdm630',
    });
    expect(r.answered).toBe(false);
    expect(!r.answered && r.message).toBe(
      `No answer from 127.0.0.1:${port} unit 7 within 2 s — check the address, the unit id and that Modbus TCP is enabled on the meter.`,
    );
  });

  it('refuses a bad custom map before reading anything', async () => {
    const o = await ocppCore();
    const r = await o.t.call(o.admin, 'balancing-meter-test', {
      siteId: o.siteId,
      host: '127.0.0.1',
      port: 1,
      unitId: 1,
      model: 'custom',
      map: { ...PM, type: 'float32', currentRegisters: [100, 100, 70_000] },
    });
    expect(!r.ok && r.error.fields?.[0]?.field).toBe('map.currentRegisters');
  });
});
