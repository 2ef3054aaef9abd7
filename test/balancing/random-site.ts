// Random balancing sites for the property tests (property.test.ts) and the allocator's
// equivalence test (allocate-equivalence.test.ts), one generator with each test's ranges: a main
// switchboard under the supply, boards within their parents (a single-phase board on one of its
// parent's phases), and chargers wired and rotated onto phases their circuit carries.
import fc from 'fast-check';
import {
  DEFAULT_POLICY,
  PRIORITIES,
  ROTATIONS,
  WIRINGS,
  stationPhases,
  type Circuit,
  type ElectricalModel,
  type Phase,
  type BalancingPolicy,
  type StationWiring,
} from '../../src-shared/balancing/model';

export interface SiteRanges {
  supplyA: { min: number; max: number };
  usablePercent: fc.Arbitrary<number>;
  reserveA: fc.Arbitrary<number>;
  assumedOtherLoadA: fc.Arbitrary<number>;
  boards: { max: number; pct: { min: number; max: number }; minA: number };
  /** The rest of the building's load assumed on each board. */
  boardOtherA: fc.Arbitrary<number>;
  stations: { min: number; max: number };
  stationMaxA: readonly number[];
  /** A station's maximum no more than its circuit's limit. */
  clampToCircuit: boolean;
  connectors: { min: number; max: number };
  capA: fc.Arbitrary<number | null>;
  policy: fc.Arbitrary<Partial<BalancingPolicy>>;
}

export interface RandomSite {
  model: ElectricalModel;
  /** Per station (in model order): its connectors, and whether it ignores charging limits. */
  connectors: number[];
  ignores: boolean[];
}

const combos = WIRINGS.flatMap((wiring) => ROTATIONS.map((rotation) => ({ wiring, rotation })));

export function randomSite(r: SiteRanges): fc.Arbitrary<RandomSite> {
  const raw = fc.record({
    supplyA: fc.integer(r.supplyA),
    usable: r.usablePercent,
    reserve: r.reserveA,
    other: r.assumedOtherLoadA,
    boards: fc.array(
      fc.record({
        pct: fc.integer(r.boards.pct),
        phase: fc.constantFrom('all', 'L1', 'L2', 'L3'),
        parent: fc.nat(),
        other: r.boardOtherA,
      }),
      { maxLength: r.boards.max },
    ),
    stations: fc.array(
      fc.record({
        board: fc.nat(),
        combo: fc.nat(),
        max: fc.constantFrom(...r.stationMaxA),
        connectors: fc.integer(r.connectors),
        priority: fc.constantFrom(...PRIORITIES),
        cap: r.capA,
        ignores: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      }),
      { minLength: r.stations.min, maxLength: r.stations.max },
    ),
    policy: r.policy,
  });
  return raw.map((s) => {
    const circuits: Circuit[] = [
      {
        id: 'msb',
        name: 'Main switchboard',
        parentId: null,
        limitA: s.supplyA,
        phases: ['L1', 'L2', 'L3'],
        assumedOtherLoadA: 0,
      },
    ];
    s.boards.forEach((b, i) => {
      const parent = circuits[b.parent % circuits.length] ?? circuits[0];
      if (!parent) return;
      const phases: Phase[] =
        b.phase === 'all' || !parent.phases.includes(b.phase as Phase)
          ? [...parent.phases]
          : [b.phase as Phase];
      circuits.push({
        id: `db${i + 1}`,
        name: `Board ${i + 1}`,
        parentId: parent.id,
        limitA: Math.max(r.boards.minA, Math.floor((parent.limitA * b.pct) / 100)),
        phases,
        assumedOtherLoadA: b.other,
      });
    });
    const stations: StationWiring[] = s.stations.map((st, i) => {
      const circuit = circuits[st.board % circuits.length] ?? circuits[0];
      if (!circuit) throw new Error('no circuit');
      const fits = combos.filter((c) => stationPhases(c).every((p) => circuit.phases.includes(p)));
      const combo = fits[st.combo % fits.length] ?? { wiring: 'L1', rotation: 'L1-L2-L3' };
      return {
        stationId: `S${i + 1}`,
        circuitId: circuit.id,
        wiring: combo.wiring,
        rotation: combo.rotation,
        maxCurrentA: r.clampToCircuit ? Math.min(st.max, circuit.limitA) : st.max,
        priority: st.priority,
        capA: st.cap,
      };
    });
    const usableA = Math.floor((s.supplyA * s.usable) / 100);
    const model: ElectricalModel = {
      supply: {
        phaseLimitA: s.supplyA,
        nominalVoltageV: 230,
        phases: 3,
        usablePercent: s.usable,
        // Within what the supply leaves usable: the model editor refuses more.
        reserveA: Math.min(s.reserve, usableA - 6),
        assumedOtherLoadA: Math.min(s.other, Math.floor(usableA / 2)),
      },
      circuits,
      stations,
      policy: { ...DEFAULT_POLICY, ...s.policy },
    };
    return {
      model,
      connectors: s.stations.map((st) => st.connectors),
      ignores: s.stations.map((st) => st.ignores),
    };
  });
}
