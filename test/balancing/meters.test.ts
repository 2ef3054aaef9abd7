// Modbus TCP meters as the building's measured load, against a real Modbus server (jsmodbus on
// 127.0.0.1, port 0) and a real simulated charger: the poller reads the right amps per phase,
// a meter gone quiet or answering garbage leaves the car park the static allowance only (the
// worst case) with a domain event for the alarms, and a meter back gives the headroom back.
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { ocppCore, waitFor, type OcppTest } from '../ocpp/helpers';
import { TestMeter } from '../support/modbus-meter';
import { readMeterOnce } from '../../src-main/balancing/meters/poller';
import type { MethodInput } from '../../src-shared/api/contract';
import type { DomainEvent } from '../../src-main/platform/domain-events';
import type { SimCharger } from '../../src-main/sim/charger';

const meters: TestMeter[] = [];
afterEach(async () => {
  for (const m of meters.splice(0)) await m.stop();
});
const meter = async () => {
  const m = await new TestMeter().start();
  meters.push(m);
  return m;
};

describe('reading a meter once', () => {
  it('reads an Eastron SDM630 (float32 input registers) per phase', async () => {
    const m = await meter();
    m.sdm630([12.5, 7.25, 31]);
    const r = await readMeterOnce({
      host: '127.0.0.1',
      port: m.port,
      unitId: 1,
      model: 'eastron-sdm630',
    });
    expect(r).toMatchObject({ ok: true, amps: [12.5, 7.25, 31] });
  });

  it('reads a Carlo Gavazzi EM24 (INT32 low word first, mA, holding registers) per phase', async () => {
    const m = await meter();
    m.em24([70.123, 0.5, 66]);
    const r = await readMeterOnce({
      host: '127.0.0.1',
      port: m.port,
      unitId: 1,
      model: 'carlo-gavazzi-em24',
    });
    expect(r.ok && r.amps.map((a) => Math.round(a * 1000) / 1000)).toEqual([70.123, 0.5, 66]);
  });

  it('refuses garbage: not a number, negative, absurd', async () => {
    const m = await meter();
    for (const bad of [
      [NaN, 1, 1],
      [1, -3, 1],
      [1, 1, 1e7],
    ] as [number, number, number][]) {
      m.sdm630(bad);
      const r = await readMeterOnce({
        host: '127.0.0.1',
        port: m.port,
        unitId: 1,
        model: 'eastron-sdm630',
      });
      expect(r).toMatchObject({ ok: false, kind: 'garbage' });
      expect(!r.ok && r.message).toMatch(/impossible current/);
    }
  });

  it('says in words when nothing answers', async () => {
    const m = await meter();
    const port = m.port;
    await m.stop();
    const r = await readMeterOnce({ host: '127.0.0.1', port, unitId: 1, model: 'eastron-sdm630' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toContain(`127.0.0.1:${port}`);
    expect(!r.ok && r.message).toMatch(/Modbus TCP is enabled on the meter/);
  });
});

/** Supply 3 × 40 A, 30 A assumed for the rest of the building; one 32 A three-phase charger. */
async function meteredSite(o: OcppTest, port: number) {
  const st = await o.station({ identity: 'MB-1', name: 'Bay 1' });
  const input: MethodInput<'balancing-save'> = {
    siteId: o.siteId,
    enabled: true,
    supply: {
      phaseLimitA: 40,
      nominalVoltageV: 230,
      phases: 3,
      usablePercent: 100,
      reserveA: 0,
      assumedOtherLoadA: 30,
    },
    circuits: [
      {
        id: 'MSB',
        name: 'Main',
        parentId: null,
        limitA: 40,
        phases: ['L1', 'L2', 'L3'],
        assumedOtherLoadA: 0,
      },
    ],
    stations: [
      {
        stationId: st.id,
        circuitId: 'MSB',
        wiring: 'three-phase',
        rotation: 'L1-L2-L3',
        priority: 'normal',
        capA: null,
      },
    ],
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
          model: 'eastron-sdm630',
          pollSeconds: 5,
          timeoutSeconds: 15,
        },
      },
    ],
    accountPolicies: [],
  };
  return { input, stationId: st.id };
}

describe('the meter poller and the controller', () => {
  it('gives the car what the meter leaves; quiet or garbage → the static allowance, with events', async () => {
    const m = await meter();
    m.sdm630([10, 8, 9]);
    const o = await ocppCore({ balancing: { retryMs: 200, maxFailures: 2, timeoutMs: 1_000 } });
    const events: DomainEvent[] = [];
    for (const type of ['balancing.meter-quiet', 'balancing.meter-restored'] as const)
      onTestFinished(o.t.core.services.domainEvents.subscribe(type, (e) => events.push(e)));
    const { input } = await meteredSite(o, m.port);
    await o.t.ok(o.admin, 'balancing-save', input);
    await o.t.ok(o.admin, 'id-tag-upsert', { idTag: 'CAR' });
    const sim: SimCharger = o.sim('MB-1', { phases: 3, maxCurrentA: 32 });
    await sim.start();
    await sim.startTransaction(1, 'CAR');
    const limit = (a: number, what: string) =>
      waitFor(() => sim.allowedA(1) === a, `${what}: the car allowed ${a} A`, 10_000);

    // 40 A − 10 A measured on the busiest phase: 30 A.
    await limit(30, 'meter reads 10/8/9 A');
    const live = await o.t.ok(o.admin, 'balancing-live', { siteId: o.siteId });
    const supply = live.nodes.find((n) => n.kind === 'supply');
    expect(supply?.phases.map((p) => [p.otherA, p.measured])).toEqual([
      [10, true],
      [8, true],
      [9, true],
    ]);

    // The building draws more: the car gets less.
    m.sdm630([20, 12, 15]);
    await o.t.clock.advance(5_000);
    await limit(20, 'meter reads 20 A on L1');

    // The meter loses power: within its timeout the last reading holds; beyond it, the worst
    // case (30 A assumed) leaves 10 A, and the alarms hear of it.
    await m.stop();
    for (let i = 0; i < 3 && !events.length; i++) await o.t.clock.advance(5_000);
    await waitFor(() => events.length > 0, 'meter-quiet event');
    expect(events[0]).toMatchObject({ type: 'balancing.meter-quiet', target: 'supply' });
    await limit(10, 'meter quiet');
    const meterAlarms = async () =>
      (await o.t.ok(o.admin, 'alarm-list', { view: 'active' })).alarms.filter(
        (a) => a.rule === 'load-meter-quiet',
      );
    const [alarm] = await waitFor(async () => {
      const a = await meterAlarms();
      return a.length === 1 ? a : null;
    }, 'the meter-quiet alarm');
    expect(alarm).toMatchObject({ severity: 'warning', siteId: o.siteId });
    expect(alarm?.title).toContain(`supply meter (127.0.0.1:${m.port}) is quiet`);
    expect(alarm?.detail).toMatch(/refused the connection|No answer/);

    // Back: the next attempt (after back-off) reads it, and the headroom returns.
    m.sdm630([12, 12, 12]);
    await m.start();
    await waitFor(
      async () => {
        await o.t.clock.advance(5_000);
        return events.some((e) => e.type === 'balancing.meter-restored');
      },
      'meter-restored event',
      10_000,
    );
    await limit(28, 'meter back at 12 A');
    await waitFor(async () => (await meterAlarms()).length === 0, 'the alarm cleared');

    // Garbage is not a reading: the worst case applies at once, not after the timeout.
    m.sdm630([NaN, 12, 12]);
    await o.t.clock.advance(5_000);
    await limit(10, 'meter answers NaN');
    expect(events.map((e) => e.type)).toEqual([
      'balancing.meter-quiet',
      'balancing.meter-restored',
      'balancing.meter-quiet',
    ]);
  });

  it('refuses to save a meter address that does not answer, naming the field; nothing saved', async () => {
    const m = await meter();
    const port = m.port;
    await m.stop();
    const o = await ocppCore();
    const { input } = await meteredSite(o, port);
    const r = await o.t.call(o.admin, 'balancing-save', input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.field).toBe('loadSources.0.modbus.host');
    expect(r.error.message).toMatch(new RegExp(`127.0.0.1:${port}.*Modbus TCP is enabled`));
    const got = await o.t.ok(o.admin, 'balancing-get', { siteId: o.siteId });
    expect(got.saved).toBe(false);
  });

  it('"test meter" returns the amps per phase, or why not', async () => {
    const m = await meter();
    m.sdm630([3, 4, 5]);
    const o = await ocppCore();
    const ask = {
      siteId: o.siteId,
      host: '127.0.0.1',
      unitId: 1,
      model: 'eastron-sdm630',
    } as const;
    expect(await o.t.ok(o.admin, 'balancing-meter-test', { ...ask, port: m.port })).toMatchObject({
      answered: true,
      amps: [3, 4, 5],
      watts: [0, 0, 0],
    });
    await m.stop();
    const r = await o.t.ok(o.admin, 'balancing-meter-test', { ...ask, port: m.port });
    expect(r).toMatchObject({ answered: false });
    expect(!r.answered && r.message).toMatch(/Modbus TCP is enabled on the meter/);
  });

  it("reads an installer's own register map saved with the model; a bad map is refused by field", async () => {
    const m = await meter();
    // A made-up meter: int16 in tenths of an amp, holding registers 100-102.
    [41.5, 3.2, 0].forEach((a, i) => m.holding.writeInt16BE(a * 10, (100 + i) * 2));
    const o = await ocppCore();
    const { input } = await meteredSite(o, m.port);
    const source = input.loadSources[0];
    if (!source?.modbus) throw new Error('no meter');
    const map = {
      label: 'Site gateway',
      functionCode: 3 as const,
      type: 'int16' as const,
      wordOrder: 'high-first' as const,
      currentRegisters: [100, 101, 102] as [number, number, number],
      currentScale: 0.1,
      powerRegisters: null,
      powerScale: 1,
      defaultUnitId: 1,
    };
    const bad = await o.t.call(o.admin, 'balancing-save', {
      ...input,
      loadSources: [
        {
          ...source,
          modbus: { ...source.modbus, model: 'custom', map: { ...map, currentScale: 0 } },
        },
      ],
    });
    expect(!bad.ok && bad.error.fields).toEqual([
      {
        field: 'loadSources.0.modbus.map.currentScale',
        message: expect.stringMatching(/current scale must be a number above 0/),
      },
    ]);
    expect((await o.t.ok(o.admin, 'balancing-get', { siteId: o.siteId })).saved).toBe(false);

    await o.t.ok(o.admin, 'balancing-save', {
      ...input,
      loadSources: [{ ...source, modbus: { ...source.modbus, model: 'custom', map } }],
    });
    const got = await o.t.ok(o.admin, 'balancing-get', { siteId: o.siteId });
    expect(got.config.loadSources[0]?.modbus?.map).toEqual(map);
    const board = o.t.core.services.balancing.board;
    await waitFor(() => board.latest(o.siteId, 'supply'), 'a reading');
    expect(board.latest(o.siteId, 'supply')?.amps.map((a) => Math.round(a * 10) / 10)).toEqual([
      41.5, 3.2, 0,
    ]);
  });
});
