// The optimised allocate() (structure of arrays, precomputed sort keys, shared reasons) must give
// exactly what the straightforward implementation it replaced gave (allocate-reference.ts), for
// random sites, cars and chains of previous allocations: same limits to the last bit, same
// reasons, same overloads. Speed work must never change a decision.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  PRIORITIES,
  ROTATIONS,
  type Circuit,
  type ElectricalModel,
  type StationWiring,
} from '../../src-shared/balancing/model';
import {
  allocate,
  type Allocation,
  type ConnectorInput,
  type ConnectorState,
} from '../../src-main/balancing/allocate';
import { allocateReference } from './allocate-reference';
import { randomSite, type RandomSite } from './random-site';

type Infer<A> = A extends fc.Arbitrary<infer T> ? T : never;

const RUNS = Number(process.env.EQUIVALENCE_RUNS ?? 300);

const siteArb = randomSite({
  supplyA: { min: 20, max: 400 },
  usablePercent: fc.constant(90),
  reserveA: fc.constant(2),
  assumedOtherLoadA: fc.constant(5),
  boards: { max: 8, pct: { min: 10, max: 100 }, minA: 6 },
  boardOtherA: fc.integer({ min: 0, max: 10 }),
  stations: { min: 1, max: 40 },
  stationMaxA: [10, 16, 20, 32],
  clampToCircuit: false,
  connectors: { min: 1, max: 2 },
  capA: fc.option(fc.constantFrom(6, 8, 10.5, 16, 24), { nil: null }),
  policy: fc.record({
    minCurrentA: fc.constantFrom(6, 6, 8),
    rotationPeriodS: fc.constantFrom(300, 900),
    hysteresisA: fc.constantFrom(0, 0.5, 1),
    drawMarginA: fc.constantFrom(1, 2, 3),
  }),
});

/** One connector's state in a step, drawn from few values so that sort ties happen. */
const stepArb = fc.record({
  kind: fc.constantFrom('charging', 'charging', 'charging', 'idle', 'offline', 'uncontrolled'),
  inForce: fc.option(fc.constantFrom(0, 6, 10, 16, 40), { nil: null }),
  // > 0: a share of its limit; <= 0: amps below it (near the "held" thresholds).
  draw: fc.option(fc.constantFrom(0.2, 0.5, 0.97, 1, 1.1, -0.4, -0.8, -1.2, -2.5, -4), {
    nil: null,
  }),
  chargingS: fc.constantFrom(0, 60, 299, 300, 900, 1800),
  pausedS: fc.constantFrom(0, 60, 300, 900, 1800),
});

const chainArb = siteArb.chain((site) => {
  const connectors = site.connectors.reduce((n, c) => n + c, 0);
  return fc.record({
    site: fc.constant(site),
    steps: fc.array(
      fc.record({
        connectors: fc.array(stepArb, { minLength: connectors, maxLength: connectors }),
        load: fc.option(fc.tuple(fc.nat(60), fc.nat(60), fc.nat(60)), { nil: null }),
        shuffle: fc.nat(),
      }),
      { minLength: 1, maxLength: 6 },
    ),
  });
});

function inputs(
  site: RandomSite,
  step: { connectors: Infer<typeof stepArb>[]; shuffle: number },
  previous: Allocation | null,
): ConnectorInput[] {
  const prevLimit = new Map(previous?.connectors.map((c) => [c.id, c.limitA]));
  const list: ConnectorInput[] = [];
  let j = 0;
  site.model.stations.forEach((s, i) => {
    for (let k = 1; k <= (site.connectors[i] ?? 1); k++) {
      const r = step.connectors[j++];
      if (!r) continue;
      const id = `${s.stationId}/${k}`;
      const limit = prevLimit.get(id) ?? 0;
      const state: ConnectorState =
        r.kind === 'charging'
          ? {
              kind: 'charging',
              drawA:
                r.draw === null || limit === 0
                  ? null
                  : r.draw > 0
                    ? limit * r.draw
                    : Math.max(0, limit + r.draw),
              chargingS: limit > 0 ? r.chargingS : 0,
              pausedS: limit > 0 ? 0 : r.pausedS,
            }
          : { kind: r.kind, inForceA: r.inForce };
      list.push({
        id,
        stationId: s.stationId,
        ratingA: Math.min(32, s.maxCurrentA),
        priority: s.priority,
        capA: s.capA,
        state,
      });
    }
  });
  // Sometimes a different order than the previous allocation's (the id-map path).
  if (step.shuffle % 3 === 0 && list.length > 1) {
    const by = step.shuffle % list.length;
    return [...list.slice(by), ...list.slice(0, by)];
  }
  return list;
}

describe('allocate(): the optimised implementation', () => {
  it('gives exactly the reference implementation’s output for random sites and chains', () => {
    let compared = 0;
    fc.assert(
      fc.property(chainArb, ({ site, steps }) => {
        const { model } = site;
        let previous: Allocation | null = null;
        for (const step of steps) {
          const connectors = inputs(site, step, previous);
          const loads = step.load ? { msb: step.load } : undefined;
          const expected = allocateReference({ model, loads, connectors, previous });
          const actual = allocate({ model, loads, connectors, previous });
          expect(actual).toStrictEqual(expected);
          previous = expected;
          compared += connectors.length;
        }
      }),
      { numRuns: RUNS },
    );
    // The comparison covered real work, not empty sites.
    expect(compared).toBeGreaterThan(RUNS * 5);
  });

  it('gives the reference output on the benchmark’s 1,000-connector site under contention', () => {
    // 10 boards x 10 sub-circuits x 10 stations, a third three-phase; most boards full.
    const circuits: Circuit[] = [
      {
        id: 'msb',
        name: 'MSB',
        parentId: null,
        limitA: 900,
        phases: ['L1', 'L2', 'L3'],
        assumedOtherLoadA: 50,
      },
    ];
    const stations: StationWiring[] = [];
    for (let b = 0; b < 10; b++) {
      circuits.push({
        id: `db${b}`,
        name: `DB ${b}`,
        parentId: 'msb',
        limitA: 150,
        phases: ['L1', 'L2', 'L3'],
        assumedOtherLoadA: 0,
      });
      for (let s = 0; s < 10; s++) {
        circuits.push({
          id: `db${b}-${s}`,
          name: `Sub ${b}.${s}`,
          parentId: `db${b}`,
          limitA: 32 + s * 8,
          phases: ['L1', 'L2', 'L3'],
          assumedOtherLoadA: 0,
        });
        for (let k = 0; k < 10; k++)
          stations.push({
            stationId: `db${b}-${s}-${k}`,
            circuitId: `db${b}-${s}`,
            wiring: k % 3 === 0 ? 'three-phase' : 'L1',
            rotation: ROTATIONS[k % 3] ?? 'L1-L2-L3',
            maxCurrentA: 32,
            priority: PRIORITIES[k % 3] ?? 'normal',
            capA: k === 4 ? 16 : null,
          });
      }
    }
    const model: ElectricalModel = {
      supply: {
        phaseLimitA: 1000,
        nominalVoltageV: 230,
        phases: 3,
        usablePercent: 90,
        reserveA: 10,
        assumedOtherLoadA: 80,
      },
      circuits,
      stations,
      policy: { ...DEFAULT_POLICY },
    };
    let previous: Allocation | null = null;
    for (let step = 0; step < 20; step++) {
      const prev = new Map(previous?.connectors.map((c) => [c.id, c.limitA]));
      const connectors: ConnectorInput[] = stations.map((s, i) => {
        const limit = prev.get(`${s.stationId}/1`) ?? 0;
        return {
          id: `${s.stationId}/1`,
          stationId: s.stationId,
          ratingA: 32,
          priority: s.priority,
          capA: s.capA,
          state:
            i % 11 === 5
              ? { kind: 'offline', inForceA: 6 }
              : {
                  kind: 'charging',
                  drawA: limit === 0 ? null : i % 4 === 0 ? Math.min(limit, 5 + (i % 5)) : limit,
                  chargingS: limit > 0 ? (step * 120 + i * 37) % 1800 : 0,
                  pausedS: limit > 0 ? 0 : (step * 120 + i * 53) % 1800,
                },
        };
      });
      const loads = { msb: [40 + step, 60, 20 + 3 * step] as const };
      const expected = allocateReference({ model, loads, connectors, previous });
      expect(allocate({ model, loads, connectors, previous })).toStrictEqual(expected);
      // Contention: some cars wait and some circuits are full, or the test proves little.
      expect(expected.connectors.some((c) => c.controlled && c.limitA === 0)).toBe(true);
      expect(expected.connectors.some((c) => c.reason.kind === 'shared')).toBe(true);
      previous = expected;
    }
  });
});
