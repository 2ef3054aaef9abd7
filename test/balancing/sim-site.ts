// A balanced site with four simulated chargers on real sockets, for the controller's tests. Every
// SetChargingProfile a charger receives is recorded with its time and answer; after every change
// of what any charger may draw the per-phase sums of the limits in force at the chargers are
// checked against every circuit (site.check).
import { createServer } from 'node:net';
import { ocppCore, waitFor, type OcppTest } from '../ocpp/helpers';
import { toModel } from '../../src-shared/balancing/config';
import type { ElectricalModel } from '../../src-shared/balancing/model';
import { checkWithinLimits, type Violation } from '../../src-main/balancing/invariant';
import type { SimCharger } from '../../src-main/sim/charger';
import { meterValue } from '../../src-main/sim/meter-values';
import type { MethodInput, MethodOutput } from '../../src-shared/api/contract';

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });

export interface Site {
  o: OcppTest;
  ids: Record<string, number>;
  sims: Record<string, SimCharger>;
  model: ElectricalModel;
  violations: { at: string; v: Violation[] }[];
  checks: number;
  check(at: string): void;
  live(): Promise<MethodOutput<'balancing-live'>>;
}

/**
 * Supply 3 × 40 A. Main switchboard (MSB, 40 A) feeds DB-A (32 A) with chargers A and B
 * (three-phase); C (single-phase, its L1 on the building's L2) and D (three-phase) on the MSB.
 */
export async function balancedSite(
  opts: { port?: number; balancing?: { overLimitMs?: number } } = {},
): Promise<Site> {
  const o = await ocppCore({
    ocpp: { host: '127.0.0.1', port: opts.port ?? 0, callTimeoutMs: 2_000 },
    balancing: { retryMs: 200, maxFailures: 2, timeoutMs: 1_000, ...opts.balancing },
  });
  const ids: Record<string, number> = {};
  for (const n of ['A', 'B', 'C', 'D'])
    ids[n] = (await o.station({ identity: `LB-${n}`, name: `Bay ${n}` })).id;
  const id = (n: string) => ids[n] ?? 0;
  const input: MethodInput<'balancing-save'> = {
    siteId: o.siteId,
    enabled: true,
    supply: {
      phaseLimitA: 40,
      nominalVoltageV: 230,
      phases: 3,
      usablePercent: 100,
      reserveA: 0,
      assumedOtherLoadA: 0,
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
      {
        id: 'DB-A',
        name: 'DB-A',
        parentId: 'MSB',
        limitA: 32,
        phases: ['L1', 'L2', 'L3'],
        assumedOtherLoadA: 0,
      },
    ],
    stations: [
      {
        stationId: id('A'),
        circuitId: 'DB-A',
        wiring: 'three-phase',
        rotation: 'L1-L2-L3',
        priority: 'normal',
        capA: null,
      },
      {
        stationId: id('B'),
        circuitId: 'DB-A',
        wiring: 'three-phase',
        rotation: 'L1-L2-L3',
        priority: 'normal',
        capA: null,
      },
      {
        stationId: id('C'),
        circuitId: 'MSB',
        wiring: 'L1',
        rotation: 'L2-L3-L1',
        priority: 'normal',
        capA: null,
      },
      {
        stationId: id('D'),
        circuitId: 'MSB',
        wiring: 'three-phase',
        rotation: 'L1-L2-L3',
        priority: 'normal',
        capA: null,
      },
    ],
    policy: { minCurrentA: 6, rotationPeriodS: 900, hysteresisA: 1, drawMarginA: 2 },
    loadSources: [],
    accountPolicies: [],
  };
  await o.t.ok(o.admin, 'balancing-save', input);
  await o.t.ok(o.admin, 'id-tag-upsert', { idTag: 'CAR' });
  const got = await o.t.ok(o.admin, 'balancing-get', { siteId: o.siteId });
  const model = toModel(got.config, {
    stations: new Map(got.stations.map((s) => [s.id, s])),
    accounts: new Map(),
  });
  const sims: Record<string, SimCharger> = {};
  const site: Site = {
    o,
    ids,
    sims,
    model,
    violations: [],
    checks: 0,
    check(at) {
      site.checks++;
      const allowed = Object.entries(sims).map(([n, sim]) => ({
        stationId: String(id(n)),
        amps: sim.allowedA(1),
      }));
      const v = checkWithinLimits(model, allowed);
      if (v.length > 0) site.violations.push({ at, v });
    },
    live: () => o.t.ok(o.admin, 'balancing-live', { siteId: o.siteId }),
  };
  for (const n of ['A', 'B', 'C', 'D'])
    sims[n] = o.sim(`LB-${n}`, { phases: n === 'C' ? 1 : 3, maxCurrentA: 32 });
  return site;
}

export const fallbackIn = (sim: SimCharger) =>
  sim.smart.installed.find((p) => p.purpose === 'TxDefaultProfile' && p.connectorId === 0);

/** Starts every charger and waits for its safe fallback; from then on every change is checked. */
export async function bootAll(site: Site) {
  for (const sim of Object.values(site.sims)) await sim.start();
  await waitFor(() => Object.values(site.sims).every(fallbackIn), 'every fallback installed');
  for (const [n, sim] of Object.entries(site.sims))
    sim.smart.onChange = () => site.check(`profile change at ${n}`);
  site.check('after boot');
}

/** Waits until the limits in force at these chargers are these. */
export async function settle(site: Site, expected: Record<string, number>) {
  await waitFor(
    () =>
      Object.entries(expected).every(([n, a]) => (site.sims[n] as SimCharger).allowedA(1) === a),
    `limits ${JSON.stringify(expected)}`,
    10_000,
  );
}

/** A MeterValues frame on connector 1 saying the car draws `amps` on each of three phases at the
 *  site's clock, whatever it really draws (a charger that reports, or lies about, its draw). */
export async function sendDraw(site: Site, sim: SimCharger, amps: number) {
  await sim.send('MeterValues', {
    connectorId: 1,
    transactionId: sim.connector(1).tx?.transactionId ?? 0,
    meterValue: [
      meterValue({
        timestamp: new Date(site.o.t.clock.now()).toISOString(),
        context: 'Sample.Periodic',
        registerWh: 1_000,
        energyUnit: 'Wh',
        powerW: Math.round(amps * 3 * 230),
        amps: [amps, amps, amps],
        phases: 3,
        voltage: 230,
      }),
    ],
  });
}
