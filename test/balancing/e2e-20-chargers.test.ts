// The Done-when end-to-end of issue 11: 20 simulated chargers (real OCPP over real sockets) on a
// 100 A three-phase supply, mixed three-phase and single-phase chargers rotated onto every building
// phase, with cars that draw what their on-board chargers and batteries let them (sim/car.ts); the
// rest of the building measured by a Modbus TCP meter served by a real jsmodbus server on
// 127.0.0.1. Cars come and go, batteries fill and taper, the building's load rises and falls:
// the chargers receive the expected profiles, and after every change of what any charger may draw
// the per-phase sums of what they may draw, and of what the cars draw, stay within every circuit.
// Time is the test's ManualClock (meter polls, meter samples); waits poll with a deadline.
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { ocppCore, waitFor, type OcppTest } from '../ocpp/helpers';
import { TestMeter } from '../support/modbus-meter';
import { toModel } from '../../src-shared/balancing/config';
import type { ElectricalModel, Rotation, Wiring } from '../../src-shared/balancing/model';
import { PHASES } from '../../src-shared/balancing/model';
import { checkWithinLimits, type Violation } from '../../src-main/balancing/invariant';
import { DEFAULT_CONTROLLER_OPTIONS } from '../../src-main/balancing/controller';
import { CAR_KINDS, SimCar, type CarOptions } from '../../src-main/sim/car';
import type { SimCharger } from '../../src-main/sim/charger';
import type { MethodInput, MethodOutput } from '../../src-shared/api/contract';

type PerPhase = [number, number, number];

/** Bay n: its board, and how it is wired (single-phase ones rotated onto every building phase). */
const BAYS = Array.from({ length: 20 }, (_, i) => {
  const n = i + 1;
  const board = n <= 10 ? 'DB-A' : 'DB-B';
  // Bays 1, 2, 5, 6, 9 and 11, 12, 15, 16, 19 are three-phase; the others single-phase, their
  // L1 landing on the building's L1, L2, L3 in turn.
  const three = [1, 2, 5, 6, 9].includes(((n - 1) % 10) + 1);
  const single = [3, 4, 7, 8, 10, 13, 14, 17, 18, 20].indexOf(n);
  const rotation: Rotation = three
    ? 'L1-L2-L3'
    : ((['L1-L2-L3', 'L2-L3-L1', 'L3-L1-L2'] as const)[single % 3] ?? 'L1-L2-L3');
  const wiring: Wiring = three ? 'three-phase' : 'L1';
  const buildingPhase = three ? ('three' as const) : (`L${(single % 3) + 1}` as 'L1' | 'L2' | 'L3');
  return { n, board, three, rotation, wiring, buildingPhase };
});

/** A small deterministic generator (mulberry32): the same run every time. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const meters: TestMeter[] = [];
afterEach(async () => {
  for (const m of meters.splice(0)) await m.stop();
});

interface Building {
  o: OcppTest;
  meter: TestMeter;
  model: ElectricalModel;
  sims: SimCharger[];
  stationIds: number[];
  /** What the meter reads now, and the lower of that and the previous reading while a change settles. */
  load: PerPhase;
  loadFloor: PerPhase;
  allocations: number;
  checks: number;
  violations: { at: string; what: 'allowed' | 'drawn'; v: Violation[] }[];
  check(at: string): void;
  live(): Promise<MethodOutput<'balancing-live'>>;
}

async function building(): Promise<Building> {
  const meter = await new TestMeter().start();
  meters.push(meter);
  const load: PerPhase = [20, 10, 30];
  meter.sdm630(load);
  const o = await ocppCore({
    ocpp: { host: '127.0.0.1', port: 0, callTimeoutMs: 5_000 },
    // A loaded CI machine answers slowly: a generous answer timeout, so a late answer is not
    // taken for a charger that refuses limits.
    balancing: { retryMs: 200, maxFailures: 3, timeoutMs: 5_000, reviewMs: 60 * 60_000 },
  });
  const stationIds: number[] = [];
  for (const b of BAYS)
    stationIds.push(
      (
        await o.station({
          identity: `E2E-${b.n}`,
          name: `Bay ${b.n}`,
          maxCurrentA: 32,
          phases: b.buildingPhase,
        })
      ).id,
    );
  const circuit = (id: string, name: string, parentId: string | null, limitA: number) => ({
    id,
    name,
    parentId,
    limitA,
    phases: [...PHASES],
    assumedOtherLoadA: 0,
  });
  const input: MethodInput<'balancing-save'> = {
    siteId: o.siteId,
    enabled: true,
    supply: {
      phaseLimitA: 100,
      nominalVoltageV: 230,
      phases: 3,
      usablePercent: 100,
      reserveA: 0,
      assumedOtherLoadA: 40,
    },
    circuits: [
      circuit('MSB', 'Main switchboard', null, 100),
      circuit('DB-A', 'Car park A', 'MSB', 63),
      circuit('DB-B', 'Car park B', 'MSB', 63),
    ],
    stations: BAYS.map((b, i) => ({
      stationId: stationIds[i] ?? 0,
      circuitId: b.board,
      wiring: b.wiring,
      rotation: b.rotation,
      priority: 'normal' as const,
      capA: null,
    })),
    policy: { minCurrentA: 6, rotationPeriodS: 300, hysteresisA: 1, drawMarginA: 2 },
    loadSources: [
      {
        target: 'supply',
        kind: 'modbus',
        typedA: null,
        modbus: {
          host: '127.0.0.1',
          port: meter.port,
          unitId: 1,
          model: 'eastron-sdm630',
          pollSeconds: 5,
          timeoutSeconds: 60,
        },
      },
    ],
    accountPolicies: [],
  };
  await o.t.ok(o.admin, 'balancing-save', input);
  // Each bay's driver their own card (one card in two sessions at once is flagged for review).
  for (const b of BAYS) await o.t.ok(o.admin, 'id-tag-upsert', { idTag: `CAR-${b.n}` });
  const got = await o.t.ok(o.admin, 'balancing-get', { siteId: o.siteId });
  const model = toModel(got.config, {
    stations: new Map(got.stations.map((s) => [s.id, s])),
    accounts: new Map(),
  });
  const sims = BAYS.map((b) =>
    o.sim(`E2E-${b.n}`, { phases: b.three ? 3 : 1, maxCurrentA: 32, rotation: b.rotation }),
  );
  const site: Building = {
    o,
    meter,
    model,
    sims,
    stationIds,
    load,
    loadFloor: [...load],
    allocations: 0,
    checks: 0,
    violations: [],
    check(at) {
      site.checks++;
      // What the chargers may draw, against the lower of the readings either side of a change
      // (the controller cannot know of a rise before the meter is read).
      const allowed = sims.map((s, i) => ({
        stationId: String(stationIds[i]),
        amps: s.allowedA(1),
      }));
      const a = checkWithinLimits(model, allowed, { supply: site.loadFloor });
      if (a.length > 0) site.violations.push({ at, what: 'allowed', v: a });
      // What the cars draw, phase by phase on the building's phases (a 1-phase car on a
      // three-phase charger loads one phase only).
      for (const [p, phase] of PHASES.entries()) {
        const drawn = sims.map((s, i) => ({
          stationId: String(stationIds[i]),
          amps: s.buildingCurrentsA(1)[p] ?? 0,
        }));
        const d = checkWithinLimits(model, drawn, { supply: site.loadFloor }).filter(
          (v) => v.phase === phase,
        );
        if (d.length > 0) site.violations.push({ at, what: 'drawn', v: d });
      }
    },
    live: () => o.t.ok(o.admin, 'balancing-live', { siteId: o.siteId }),
  };
  onTestFinished(
    o.t.core.services.domainEvents.subscribe('balancing.allocated', (e) => {
      if (e.siteId === o.siteId) site.allocations++;
    }),
  );
  return site;
}

const fallbackIn = (sim: SimCharger) =>
  sim.smart.installed.find((p) => p.purpose === 'TxDefaultProfile' && p.connectorId === 0);

/**
 * Waits until the controller has decided since `mark` and every charger holds what it decided:
 * nothing in flight, the allocation equal to what is in force, each charger's limit in force
 * equal to the controller's ledger. Returns the live view then.
 */
async function settled(site: Building, mark: number, what: string) {
  return waitFor(
    async () => {
      if (site.allocations <= mark) return null;
      const live = await site.live();
      for (const c of live.connectors) {
        const i = site.stationIds.indexOf(c.stationId);
        const sim = site.sims[i];
        if (!sim) return null;
        if (c.inFlight) return null;
        if (sim.connector(1).tx && c.controlled && Math.abs(c.limitA - c.allowedA) > 1e-6)
          return null;
        if (Math.abs(sim.allowedA(1) - c.allowedA) > 1e-6) return null;
      }
      return live;
    },
    what,
    30_000,
  );
}

/** The limits in force at these bays (A per phase), once they are exactly these. */
async function limits(site: Building, expected: Record<number, number>) {
  await waitFor(
    () =>
      Object.entries(expected).every(
        ([n, a]) => Math.abs((site.sims[Number(n) - 1]?.allowedA(1) ?? NaN) - a) < 1e-6,
      ),
    `limits ${JSON.stringify(expected)}`,
    30_000,
  );
}

const sim = (site: Building, n: number): SimCharger => {
  const s = site.sims[n - 1];
  if (!s) throw new Error(`no bay ${n}`);
  return s;
};

async function arrive(site: Building, n: number, car: CarOptions) {
  const s = sim(site, n);
  s.plugIn(1, new SimCar(car));
  await s.startTransaction(1, `CAR-${n}`);
  site.check(`car arrived at bay ${n}`);
}

async function depart(site: Building, n: number) {
  await sim(site, n).stopTransaction(1);
  site.check(`car left bay ${n}`);
}

/**
 * A minute passes: the meter is polled, every charger samples its meter (the cars charge), and
 * every five minutes the idle ones send a Heartbeat (their real timers do not see the test's
 * clock; without a message the server would take them for offline after 12 minutes).
 */
let minutes = 0;
async function minutePasses(site: Building) {
  await site.o.t.clock.advance(60_000);
  minutes++;
  // All at once, as real chargers' samples arrive: the controller coalesces them into one
  // recompute.
  await Promise.all(
    site.sims.map((s) =>
      s.connector(1).tx ? s.sample(60) : minutes % 5 === 0 ? s.heartbeat() : null,
    ),
  );
  // The samples' recompute waits out the controller's sample debounce (on this clock).
  await site.o.t.clock.advance(DEFAULT_CONTROLLER_OPTIONS.sampleDebounceMs);
  site.check('a minute of charging');
}

/** The building's load changes: the meter reads it at its next poll. */
async function buildingLoad(site: Building, load: PerPhase) {
  const board = site.o.t.core.services.balancing.board;
  site.loadFloor = [0, 1, 2].map((p) => Math.min(site.load[p] ?? 0, load[p] ?? 0)) as PerPhase;
  site.load = load;
  site.meter.sdm630(load);
  await waitFor(
    async () => {
      await site.o.t.clock.advance(5_000);
      const r = board.latest(site.o.siteId, 'supply');
      return r && r.amps.every((a, p) => Math.abs(a - (load[p] ?? 0)) < 1e-3);
    },
    `the meter read ${load.join('/')} A`,
    15_000,
  );
}

describe('20 chargers on a 100 A supply with a Modbus meter', () => {
  it('gives the expected profiles and keeps every phase of every circuit within its limit while cars come and go and the building load moves', async () => {
    const site = await building();
    const { sims } = site;
    for (const s of sims) expect(await s.start()).toBe('Accepted');
    await waitFor(() => sims.every(fallbackIn), 'every charger has its safe fallback', 30_000);
    for (const [i, s] of sims.entries())
      s.smart.onChange = () => site.check(`profile at bay ${i + 1}`);
    site.check('after boot');
    // Idle outlets fall back to 0 A: nothing is drawn without a car.
    for (const s of sims) expect(s.allowedA(1)).toBe(0);

    // ── The first cars, before any meter values: fair shares computed by hand. The meter reads
    // 20/10/30 A, leaving 80/90/70 A on the supply's L1/L2/L3; each board carries 63 A.
    let mark = site.allocations;
    await arrive(site, 1, { ...CAR_KINDS.suv3p32, socPercent: 30 });
    await arrive(site, 2, { ...CAR_KINDS.suv3p32, socPercent: 40 });
    await arrive(site, 3, { ...CAR_KINDS.phev1p16, socPercent: 10 }); // building L1
    await arrive(site, 4, { ...CAR_KINDS.hatch1p32, socPercent: 20 }); // building L2
    await arrive(site, 11, { ...CAR_KINDS.suv3p32, socPercent: 50 });
    await arrive(site, 13, { capacityWh: 9_000, onboardMaxA: 10, phases: 1, socPercent: 20 }); // L3
    // L3 (70 A) is shared by bays 1, 2, 11 and 13: 17.5 A each, which is what the three-phase
    // cars get everywhere. L1: 80 − 3 × 17.5 leaves bay 3 27.5 A. L2: 90 − 52.5 leaves 37.5 A,
    // but board A (63 A) carries bays 1 and 2 (35 A) too: bay 4 gets 28 A.
    await limits(site, { 1: 17.5, 2: 17.5, 3: 27.5, 4: 28, 11: 17.5, 13: 17.5 });
    await settled(site, mark, 'the first six cars');
    expect(site.violations).toEqual([]);

    // ── Meter values: the 10 A car on bay 13 and the 16 A hybrid on bay 3 draw clearly less than
    // allowed; each is capped at its draw + 2 A, and the spare on L3 goes to the others.
    mark = site.allocations;
    await minutePasses(site);
    await minutePasses(site);
    expect(sim(site, 13).currentA(1)).toBe(10);
    expect(sim(site, 3).currentA(1)).toBe(16);
    // L3: 70 − 12 = 58 A for bays 1, 2, 11: 19.3 A each.
    await limits(site, { 13: 12, 3: 18, 1: 19.3, 2: 19.3, 11: 19.3 });
    let live = await settled(site, mark, 'caps at the draw');
    const reasonOf = (n: number) =>
      live.connectors.find((c) => c.stationId === site.stationIds[n - 1])?.reason.text ?? '';
    expect(reasonOf(13)).toMatch(/draw/i);
    expect(reasonOf(1)).toMatch(/Fair share/);

    // ── The building's load rises on L3 (the lifts, the pumps): the L3 cars get less.
    mark = site.allocations;
    await buildingLoad(site, [20, 10, 45]);
    live = await settled(site, mark, 'after the load rose');
    site.loadFloor = [...site.load];
    site.check('load rose, settled');
    const sumOn = (phase: number) =>
      sims.reduce((t, s, i) => {
        const b = BAYS[i];
        if (!b) return t;
        const on = b.three || b.rotation.split('-')[0] === `L${phase + 1}`;
        return t + (on ? s.allowedA(1) : 0);
      }, 0);
    expect(sumOn(2)).toBeLessThanOrEqual(55 + 1e-6);
    expect(sim(site, 1).allowedA(1)).toBeLessThan(19.3);
    expect(site.violations).toEqual([]);

    // ── Cars come and go, batteries fill, the building's load moves: a seeded random run.
    const random = rng(11);
    const kinds: CarOptions[] = [
      { ...CAR_KINDS.hatch1p32, socPercent: 0 },
      { ...CAR_KINDS.phev1p16, socPercent: 0 },
      { ...CAR_KINDS.sedan3p16, socPercent: 0 },
      { ...CAR_KINDS.suv3p32, socPercent: 0 },
      { capacityWh: 9_000, onboardMaxA: 10, phases: 1, socPercent: 0 },
    ];
    let arrivals = 6;
    let departures = 0;
    let loadChanges = 1;
    let fullSeen = 0;
    // The evening (cars mostly arrive, until not every car can get 6 A and some wait their
    // turn), then the morning (cars mostly leave). The bays, cars and loads are drawn at random.
    type Step = 'arrive' | 'depart' | 'load' | 'time';
    const evening: Step[] = ['arrive', 'arrive', 'load', 'arrive', 'time', 'depart'];
    const morning: Step[] = ['depart', 'depart', 'load', 'time', 'arrive'];
    const script = [
      ...Array.from({ length: 5 }, () => evening).flat(),
      ...Array.from({ length: 3 }, () => morning).flat(),
    ];
    for (const [step, what] of script.entries()) {
      mark = site.allocations;
      const free = sims.map((_, i) => i + 1).filter((n) => !sim(site, n).connector(1).tx);
      const busy = sims.map((_, i) => i + 1).filter((n) => sim(site, n).connector(1).tx);
      const r = what === 'arrive' && free.length === 0 ? 'time' : what;
      if (r === 'arrive') {
        const n = free[Math.floor(random() * free.length)] ?? 1;
        const kind = kinds[Math.floor(random() * kinds.length)] ?? CAR_KINDS.sedan3p16;
        // Some are set to stop at 80 % and arrive nearly there: they stop soon (SuspendedEV).
        const soc = Math.floor(random() * 95);
        const nearlyDone = random() < 0.3;
        await arrive(
          site,
          n,
          nearlyDone
            ? { ...kind, socPercent: 78, targetPercent: 80 }
            : { ...kind, socPercent: soc },
        );
        arrivals++;
      } else if (r === 'depart' && busy.length > 0) {
        await depart(site, busy[Math.floor(random() * busy.length)] ?? 1);
        departures++;
      } else if (r === 'load') {
        const l: PerPhase = [0, 0, 0].map(() => 5 + Math.floor(random() * 40)) as PerPhase;
        await buildingLoad(site, l);
        loadChanges++;
      } else {
        // Five minutes: batteries fill (some to their limit), paused cars' turns come.
        for (let m = 0; m < 5; m++) await minutePasses(site);
      }
      await settled(site, mark, `step ${step}`);
      site.loadFloor = [...site.load];
      site.check(`settled after step ${step}`);
      expect(site.violations, `step ${step}`).toEqual([]);
      // Every car either charges with at least 6 A or waits its turn at 0 A: never a limit a
      // car cannot use.
      for (const s of sims)
        if (s.connector(1).tx) expect(s.allowedA(1) === 0 || s.allowedA(1) >= 6).toBe(true);
        else expect(s.allowedA(1)).toBe(0);
      for (const s of sims)
        if (s.connector(1).car?.full) {
          fullSeen++;
          // A full car takes nothing and says so.
          expect(s.currentA(1)).toBe(0);
          expect(s.connector(1).status).toBe('SuspendedEV');
        }
    }
    const wire = sims.flatMap((s) => s.smart.log);
    const txProfiles = wire.filter((w) => w.purpose === 'TxProfile');
    // A car paused (0 A) that later charged again in the same session: its turn came.
    const resumed = new Set(
      txProfiles
        .filter((w) => w.limitA > 0)
        .filter((w) =>
          txProfiles.some(
            (p) => p.transactionId === w.transactionId && p.limitA === 0 && p.at < w.at,
          ),
        )
        .map((w) => w.transactionId),
    ).size;
    const stats = {
      arrivals,
      departures,
      loadChanges,
      fullSeen,
      resumed,
      checks: site.checks,
      profiles: wire.length,
      pauses: txProfiles.filter((w) => w.limitA === 0).length,
    };
    expect(stats.arrivals).toBeGreaterThan(15);
    expect(stats.departures).toBeGreaterThan(3);
    expect(stats.loadChanges).toBeGreaterThan(3);
    // Some cars had to wait (not every car could get 6 A), and waiting cars got their turn.
    expect(stats.pauses).toBeGreaterThan(0);
    expect(stats.resumed).toBeGreaterThan(0);
    // Some reached their charge limit and stopped drawing.
    expect(stats.fullSeen).toBeGreaterThan(0);
    // Every profile sent was accepted.
    expect(wire.every((w) => w.status === 'Accepted')).toBe(true);
    expect(site.checks).toBeGreaterThan(100);
    expect(site.violations).toEqual([]);
    // Nothing left for the operator: no charger over its limit, no circuit overloaded.
    const active = await site.o.t.ok(site.o.admin, 'alarm-list', { view: 'active' });
    expect(active.alarms.filter((a) => a.rule === 'load-balancing-fault')).toEqual([]);
  }, 180_000);
});
