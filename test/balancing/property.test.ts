// Property-based tests of load balancing (issue 11): random sites and long random sequences of
// events against the controller model of harness.ts. `npm test` runs a small count;
// `npm run test:property` runs PROPERTY_EVENTS (default there: 1,000,000) events.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ElectricalModel } from '../../src-shared/balancing/model';
import { validateModel } from '../../src-shared/balancing/validate';
import { checkWithinLimits } from '../../src-main/balancing/invariant';
import { compile } from '../../src-main/balancing/topology';
import { World, type Event } from './harness';
import { randomSite } from './random-site';

const EVENTS = Number(process.env.PROPERTY_EVENTS ?? 12_000);
const SEQUENCE = 400;
const RUNS = Math.max(1, Math.ceil(EVENTS / SEQUENCE));
const MAX_TICK_S = 600;
/** The long run takes about a minute per million events here; never a timing assertion. */
const TIMEOUT_MS = Math.max(30_000, EVENTS * 0.5);

type Site = fc.Arbitrary<{ model: ElectricalModel; ignoring: Set<string> }>;

/** A valid site from random numbers (random-site.ts), with the chargers that ignore limits. */
const site: Site = randomSite({
  supplyA: { min: 32, max: 160 },
  usablePercent: fc.integer({ min: 60, max: 100 }),
  reserveA: fc.integer({ min: 0, max: 10 }),
  assumedOtherLoadA: fc.integer({ min: 0, max: 20 }),
  boards: { max: 4, pct: { min: 20, max: 100 }, minA: 10 },
  boardOtherA: fc.constant(0),
  stations: { min: 1, max: 10 },
  stationMaxA: [16, 20, 32],
  clampToCircuit: true,
  connectors: { min: 1, max: 1 },
  capA: fc.option(fc.integer({ min: 6, max: 24 }), { nil: null }),
  policy: fc.record({
    rotationPeriodS: fc.integer({ min: 300, max: 1800 }),
    hysteresisA: fc.constantFrom(0, 0.5, 1),
    drawMarginA: fc.constantFrom(1, 2, 3),
  }),
}).map(({ model, ignores }) => {
  // A charger that refuses smart charging must fit at its full rating, or the site is unsafe by
  // design (the model editor would say so); keep only those that fit.
  const ignoring = new Set<string>();
  model.stations.forEach((s, i) => {
    if (!ignores[i]) return;
    const trial = [...ignoring, s.stationId].map((stationId) => ({
      stationId,
      amps: model.stations.find((x) => x.stationId === stationId)?.maxCurrentA ?? 0,
    }));
    if (checkWithinLimits(model, trial).length === 0) ignoring.add(s.stationId);
  });
  return { model, ignoring };
});

const st = fc.nat({ max: 63 });
const faultsEvent: fc.Arbitrary<Event> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('arrive' as const),
      st,
      wantA: fc.integer({ min: 0, max: 40 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('depart' as const), st }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('want' as const),
      st,
      wantA: fc.integer({ min: 0, max: 40 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('offline' as const), st, applied: fc.boolean() }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('online' as const), st }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('rejecting' as const), st, on: fc.boolean() }),
  },
  { weight: 12, arbitrary: fc.record({ kind: fc.constant('answer' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('timeout' as const),
      pick: fc.nat(),
      applied: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('load' as const),
      a: fc.tuple(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('meter' as const), quiet: fc.boolean() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('tick' as const),
      s: fc.integer({ min: 1, max: MAX_TICK_S }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('restart' as const), applied: fc.boolean() }),
  },
);

/** Loads are drawn as fractions of the assumed worst case: the building stays within its design. */
function scale(e: Event, model: ElectricalModel): Event {
  if (e.kind !== 'load') return e;
  const w = model.supply.assumedOtherLoadA;
  return { kind: 'load', a: [e.a[0] * w, e.a[1] * w, e.a[2] * w] };
}

/** Max-min fairness: a car held by a full node-phase has at least what any equal under it has. */
function unfairness(world: World): string | null {
  const a = world.lastAllocation;
  if (!a) return null;
  const t = compile(world.model);
  const priority = new Map(world.model.stations.map((s) => [s.stationId, s.priority]));
  for (const x of a.connectors) {
    if (x.reason.kind !== 'shared') continue;
    const node = t.nodeIds.indexOf(x.reason.nodeId);
    const phase = x.reason.phase;
    for (const y of a.connectors) {
      if (
        !y.controlled ||
        y.limitA === 0 ||
        priority.get(y.stationId) !== priority.get(x.stationId)
      )
        continue;
      const path = t.stations.get(y.stationId)?.path ?? [];
      if (!path.includes(node) || !y.phases.includes(phase)) continue;
      if (y.limitA > x.limitA + 1)
        return `${y.id} has ${y.limitA} A, more than 1 A above ${x.id} (${x.limitA} A) held by ${x.reason.nodeName} ${phase}`;
    }
  }
  return null;
}

function run(model: ElectricalModel, ignoring: Set<string>, events: Event[]): World {
  expect(validateModel(model)).toEqual([]);
  const world = new World(model, ignoring);
  for (const raw of events) {
    world.apply(scale(raw, model));
    const v = world.violations();
    if (v.length > 0)
      throw new Error(
        `after ${world.stats.events} events (${JSON.stringify(raw)}): ${v.map((x) => `${x.nodeName} ${x.phase} ${x.sumA} A > ${x.capacityA} A`).join('; ')}`,
      );
    const unfair = unfairness(world);
    if (unfair) throw new Error(`after ${world.stats.events} events: ${unfair}`);
  }
  return world;
}

/** Counterexamples found by long runs, replayed on every run (the sites and events as found). */
const REGRESSIONS = [
  // A 1e-6 A overload (the load rose under an offline charger) that the allocator did not flag.
  { file: 'offline-charger-holds-while-load-rises.json', bounded: false },
  // A car that could never fit (a phase full of a charger that ignores limits) reported as
  // "waiting for its turn", so its wait looked unbounded.
  { file: 'paused-for-ever-behind-a-full-phase.json', bounded: true },
];

describe('load balancing properties', () => {
  it.each(REGRESSIONS)('replays $file', ({ file, bounded }) => {
    const raw = JSON.parse(
      readFileSync(new URL(`./regressions/${file}`, import.meta.url), 'utf8'),
    ) as {
      model: ElectricalModel;
      ignoring: string[];
      events: Event[];
    };
    const world = run(raw.model, new Set(raw.ignoring), raw.events);
    if (bounded)
      expect(world.stats.maxWaitS).toBeLessThanOrEqual(
        (raw.model.stations.length + 1) * (raw.model.policy.rotationPeriodS + MAX_TICK_S),
      );
  });

  it(
    `never allows more than any circuit's limit on any phase, in every state, with faults (${EVENTS} events)`,
    () => {
      const totals = {
        events: 0,
        checks: 0,
        allocations: 0,
        profilesSent: 0,
        overloads: 0,
        runs: 0,
      };
      fc.assert(
        fc.property(
          site,
          fc.array(faultsEvent, { minLength: SEQUENCE, maxLength: SEQUENCE }),
          ({ model, ignoring }, events) => {
            const { stats } = run(model, ignoring, events);
            totals.runs++;
            totals.events += stats.events;
            totals.checks += stats.checks;
            totals.allocations += stats.allocations;
            totals.profilesSent += stats.profilesSent;
            totals.overloads += stats.overloads;
          },
        ),
        { numRuns: RUNS },
      );
      if (process.env.PROPERTY_REPORT)
        process.stdout.write(`property figures: ${JSON.stringify(totals)}\n`);
      expect(totals.events).toBeGreaterThanOrEqual(EVENTS);
    },
    TIMEOUT_MS,
  );

  it(
    'lets every waiting car charge within a bounded number of rotation periods',
    () => {
      // No departures: without rotation a paused car would wait for ever.
      const calm: fc.Arbitrary<Event> = fc.oneof(
        {
          weight: 2,
          arbitrary: fc.record({
            kind: fc.constant('arrive' as const),
            st,
            wantA: fc.integer({ min: 0, max: 40 }),
          }),
        },
        {
          weight: 2,
          arbitrary: fc.record({
            kind: fc.constant('want' as const),
            st,
            wantA: fc.integer({ min: 0, max: 40 }),
          }),
        },
        {
          weight: 8,
          arbitrary: fc.record({ kind: fc.constant('answer' as const), pick: fc.nat() }),
        },
        {
          weight: 4,
          arbitrary: fc.record({
            kind: fc.constant('tick' as const),
            s: fc.integer({ min: 1, max: MAX_TICK_S }),
          }),
        },
      );
      fc.assert(
        fc.property(
          site,
          fc.array(calm, { minLength: SEQUENCE, maxLength: SEQUENCE }),
          ({ model, ignoring }, events) => {
            const world = run(model, ignoring, events);
            const bound = (model.stations.length + 1) * (model.policy.rotationPeriodS + MAX_TICK_S);
            expect(world.stats.maxWaitS).toBeLessThanOrEqual(bound);
          },
        ),
        { numRuns: Math.max(1, Math.ceil(RUNS / 2)) },
      );
    },
    TIMEOUT_MS,
  );
});
