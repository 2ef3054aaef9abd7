// `npm run bench` (first part): allocate() for 1,000 connectors on a 3-level tree (issue 11).
// Target: < 1 ms median, < 5 ms p99 per allocation. Pure CPU, no I/O: one process is enough.
//
// Site: a 3 x 6,000 A supply -> 10 distribution boards of 450 A -> 10 sub-circuits each of 32 to
// 104 A ->
// 10 stations per sub-circuit (a third three-phase, the rest single-phase on rotated phases).
// 90 % of connectors have a car; some draw less than their allowance, a few are offline, and
// priorities are mixed: enough contention that many cars pause and many circuits fill.
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { allocate, type Allocation, type ConnectorInput } from '../src-main/balancing/allocate';
import { planTransition, type LedgerEntry } from '../src-main/balancing/transition';
import {
  DEFAULT_POLICY,
  ROTATIONS,
  type Circuit,
  type ElectricalModel,
  type StationWiring,
} from '../src-shared/balancing/model';
import { validateModel } from '../src-shared/balancing/validate';

const all3 = ['L1', 'L2', 'L3'] as const;
const circuits: Circuit[] = [
  {
    id: 'msb',
    name: 'MSB',
    parentId: null,
    limitA: 6000,
    phases: [...all3],
    assumedOtherLoadA: 100,
  },
];
const stations: StationWiring[] = [];
let rng = 12345;
const random = () => (rng = (rng * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
for (let b = 0; b < 10; b++) {
  circuits.push({
    id: `db${b}`,
    name: `DB ${b}`,
    parentId: 'msb',
    limitA: 450,
    phases: [...all3],
    assumedOtherLoadA: 0,
  });
  for (let s = 0; s < 10; s++) {
    const sub = `db${b}-${s}`;
    circuits.push({
      id: sub,
      name: `Sub ${b}.${s}`,
      parentId: `db${b}`,
      limitA: 32 + s * 8,
      phases: [...all3],
      assumedOtherLoadA: 0,
    });
    for (let k = 0; k < 10; k++)
      stations.push({
        stationId: `${sub}-${k}`,
        circuitId: sub,
        wiring: k % 3 === 0 ? 'three-phase' : 'L1',
        rotation: ROTATIONS[k % 3] ?? 'L1-L2-L3',
        maxCurrentA: 32,
        priority: k === 9 ? 'high' : k === 8 ? 'low' : 'normal',
        capA: null,
      });
  }
}
const model: ElectricalModel = {
  supply: {
    phaseLimitA: 6000,
    nominalVoltageV: 230,
    phases: 3,
    usablePercent: 90,
    reserveA: 10,
    assumedOtherLoadA: 150,
  },
  circuits,
  stations,
  policy: { ...DEFAULT_POLICY },
};
const errors = validateModel(model);
if (errors.length > 0) throw new Error(JSON.stringify(errors));

// Inputs built as site-state.ts builds them: one object literal of one shape per connector.
function connectors(step: number, previous: Allocation | null): ConnectorInput[] {
  const prev = new Map(previous?.connectors.map((c) => [c.id, c]));
  return stations.map((s, i) => {
    const id = `${s.stationId}/1`;
    let state: ConnectorInput['state'];
    if (i % 10 === 7) state = { kind: 'idle', inForceA: 0 };
    else if (i % 97 === 3) state = { kind: 'offline', inForceA: 6 };
    else {
      const limit = prev.get(id)?.limitA ?? 0;
      // Most cars draw what they are allowed; every fifth is a slow one or nearly full.
      const drawA =
        limit === 0
          ? null
          : i % 5 === 0
            ? Math.min(limit, 4 + (i % 7))
            : limit * (0.95 + 0.05 * random());
      const charging = limit > 0;
      state = {
        kind: 'charging',
        drawA,
        chargingS: charging ? (step * 60 + i * 37) % 1800 : 0,
        pausedS: charging ? 0 : (step * 60 + i * 53) % 1800,
      };
    }
    return { id, stationId: s.stationId, ratingA: 32, priority: s.priority, capA: null, state };
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;

const quick = process.argv.includes('--quick');
const iterations = quick ? 500 : 3_000;
let previous: Allocation | null = null;
const times: number[] = [];
// CPU time too: on a shared, loaded machine the wall clock also counts other processes' turns.
const cpuTimes: number[] = [];
const planTimes: number[] = [];
let paused = 0;
let filledCircuits = 0;
for (let step = 0; step < iterations + 200; step++) {
  const input = connectors(step, previous);
  const loads = { msb: [80 + (step % 40), 90, 70 + (step % 13)] as const };
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const next = allocate({ model, loads, connectors: input, previous });
  const t1 = performance.now();
  const c1 = process.cpuUsage(c0);
  const ledger = new Map<string, LedgerEntry>(
    (previous?.connectors ?? []).map((c) => [c.id, { confirmedA: c.limitA, inFlightA: null }]),
  );
  planTransition(ledger, next);
  const t2 = performance.now();
  if (step >= 200) {
    times.push(t1 - t0);
    cpuTimes.push((c1.user + c1.system) / 1000);
    planTimes.push(t2 - t1);
  }
  paused = next.connectors.filter((c) => c.controlled && c.limitA === 0).length;
  filledCircuits = new Set(
    next.connectors.flatMap((c) => (c.reason.kind === 'shared' ? [c.reason.nodeId] : [])),
  ).size;
  previous = next;
}
times.sort((a, b) => a - b);
cpuTimes.sort((a, b) => a - b);
planTimes.sort((a, b) => a - b);
const ms = (v: number) => `${v.toFixed(3)} ms`;
process.stdout.write(
  [
    `load balancing: allocate() for ${stations.length} connectors, ${circuits.length} circuits on 3 levels, ${iterations} allocations`,
    `  allocate  median ${ms(percentile(times, 50))}  p99 ${ms(percentile(times, 99))}  max ${ms(percentile(times, 100))}  (targets < 1 ms, < 5 ms)`,
    `  allocate CPU time  median ${ms(percentile(cpuTimes, 50))}  p99 ${ms(percentile(cpuTimes, 99))}`,
    `  planTransition  median ${ms(percentile(planTimes, 50))}  p99 ${ms(percentile(planTimes, 99))}`,
    `  last allocation: ${paused} cars paused, fair share set by ${filledCircuits} full circuits/supply`,
    // The wall clock's tail on a shared machine is other processes' turns: say how busy it was.
    `  load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')} (1 / 5 / 15 min)`,
    '',
  ].join('\n'),
);
