import { describe, expect, it } from 'vitest';
import { allocate, type Allocation } from '../../src-main/balancing/allocate';
import { assertWithinLimits, checkWithinLimits } from '../../src-main/balancing/invariant';
import { planTransition, type LedgerEntry } from '../../src-main/balancing/transition';
import { describeReason } from '../../src-main/balancing/reasons';
import { car, circuit, model, station } from './fixtures';

const limits = (a: Allocation) =>
  Object.fromEntries(a.connectors.map((c) => [c.stationId, c.limitA]));
const why = (a: Allocation, i: number) => {
  const c = a.connectors[i];
  if (!c) throw new Error(`no connector ${i}`);
  return describeReason(c.reason);
};
const allowed = (a: Allocation) =>
  a.connectors.map((c) => ({ stationId: c.stationId, amps: c.limitA }));

describe('allocate', () => {
  it('counts single-phase chargers only on their rotated phase (two on L1 and L3 both get 32 A of a 32 A circuit)', () => {
    const m = model({
      circuits: [circuit('db', null, 32)],
      stations: [
        station('A', 'db', { wiring: 'L1' }),
        // Its own L1 lands on the building's L3.
        station('B', 'db', { wiring: 'L1', rotation: 'L3-L1-L2' }),
      ],
    });
    const a = allocate({ model: m, connectors: [car('A'), car('B')] });
    expect(limits(a)).toEqual({ A: 32, B: 32 });
    expect(a.connectors.map((c) => c.phases)).toEqual([['L1'], ['L3']]);
    assertWithinLimits(m, allowed(a));
  });

  it('shares a circuit fairly, per phase, across the tree, and says which circuit limits each car', () => {
    const m = model({
      circuits: [circuit('msb', null, 63), circuit('db1', 'msb', 32), circuit('db2', 'msb', 63)],
      stations: [
        station('A', 'db1'),
        station('B', 'db1'),
        station('C', 'db2'),
        station('D', 'db2'),
      ],
    });
    const a = allocate({ model: m, connectors: ['A', 'B', 'C', 'D'].map((s) => car(s)) });
    // 63 A on the main for four cars: 15.75 A each (db1's 32 A is not reached), sent as 15.7 A.
    expect(limits(a)).toEqual({ A: 15.7, B: 15.7, C: 15.7, D: 15.7 });
    expect(why(a, 0)).toBe('Fair share of circuit “msb” (L1 full)');
    const b = allocate({
      model: {
        ...m,
        circuits: [circuit('msb', null, 100), circuit('db1', 'msb', 20), circuit('db2', 'msb', 63)],
      },
      connectors: ['A', 'B', 'C', 'D'].map((s) => car(s)),
    });
    expect(limits(b)).toEqual({ A: 10, B: 10, C: 31.5, D: 31.5 });
    expect(why(b, 0)).toBe('Fair share of circuit “db1” (L1 full)');
  });

  it('subtracts the measured building load and the reserve from the supply', () => {
    const m = model({
      circuits: [circuit('db', null, 100)],
      stations: [station('A', 'db'), station('B', 'db')],
    });
    m.supply.usablePercent = 80;
    m.supply.reserveA = 6;
    // 80 % of 100 A = 80 A, less 6 A reserve, less 40 A measured on L2: 34 A on L2 for two cars.
    const a = allocate({
      model: m,
      loads: { supply: [10, 40, 20] },
      connectors: [car('A'), car('B')],
    });
    expect(limits(a)).toEqual({ A: 17, B: 17 });
    // Without a reading the assumed worst case applies.
    const quiet = { ...m, supply: { ...m.supply, assumedOtherLoadA: 50 } };
    expect(limits(allocate({ model: quiet, connectors: [car('A'), car('B')] }))).toEqual({
      A: 12,
      B: 12,
    });
  });

  it('never goes below 6 A: some cars pause, and they take turns after the rotation period', () => {
    const m = model({
      circuits: [circuit('db', null, 20)],
      stations: ['A', 'B', 'C', 'D'].map((s) => station(s, 'db')),
    });
    const first = allocate({ model: m, connectors: ['A', 'B', 'C', 'D'].map((s) => car(s)) });
    expect(limits(first)).toEqual({ A: 6.6, B: 6.6, C: 6.6, D: 0 });
    expect(why(first, 3)).toBe('Paused: circuit “db” is full; charges in its turn');
    // A period later the charging cars have had their turn; D (waiting longest) goes first.
    const period = m.policy.rotationPeriodS;
    const later = allocate({
      model: m,
      previous: first,
      connectors: [
        car('A', { chargingS: period }),
        car('B', { chargingS: period }),
        car('C', { chargingS: period - 1 }),
        car('D', { pausedS: period }),
      ],
    });
    expect(later.connectors.filter((c) => c.limitA === 0).map((c) => c.stationId)).toEqual(['B']);
    expect(limits(later).D).toBeGreaterThanOrEqual(6);
  });

  it('holds a car that draws clearly less near its draw, shares the spare, and gives it back when it asks', () => {
    const m = model({
      circuits: [circuit('db', null, 40)],
      stations: [station('A', 'db'), station('B', 'db')],
    });
    const start = allocate({ model: m, connectors: [car('A'), car('B')] });
    expect(limits(start)).toEqual({ A: 20, B: 20 });
    // A's car is nearly full: it draws 3 A of its 20 A.
    const held = allocate({
      model: m,
      previous: start,
      connectors: [car('A', { drawA: 3 }), car('B', { drawA: 20 })],
    });
    expect(limits(held)).toEqual({ A: 6, B: 32 });
    expect(held.connectors[0]?.reason).toEqual({ kind: 'draw', drawA: 3 });
    // A slow on-board charger: 5.8 A keeps it held (within half a margin of its limit it is released).
    const still = allocate({
      model: m,
      previous: held,
      connectors: [car('A', { drawA: 4.8 }), car('B', { drawA: 32 })],
    });
    expect(limits(still)).toEqual({ A: 6.8, B: 32 });
    const asks = allocate({
      model: m,
      previous: still,
      connectors: [car('A', { drawA: 6.5 }), car('B', { drawA: 32 })],
    });
    expect(limits(asks)).toEqual({ A: 20, B: 20 });
  });

  it('counts an offline or profile-rejecting charger at its full rating, or at its limit known in force', () => {
    const m = model({
      circuits: [circuit('db', null, 63)],
      stations: [station('A', 'db'), station('B', 'db'), station('C', 'db')],
    });
    const a = allocate({
      model: m,
      connectors: [
        car('A', { state: { kind: 'offline', inForceA: null } }),
        car('B', { state: { kind: 'uncontrolled', inForceA: 10 } }),
        car('C'),
      ],
    });
    expect(limits(a)).toEqual({ A: 32, B: 10, C: 21 });
    expect(why(a, 0)).toBe('Offline; assumed at its full rating (32 A)');
    expect(a.overloads).toEqual([]);
  });

  it('fills high priority first, then normal, above everyone’s minimum; respects caps', () => {
    const m = model({
      circuits: [circuit('db', null, 40)],
      stations: [station('A', 'db'), station('B', 'db'), station('C', 'db')],
    });
    const a = allocate({
      model: m,
      connectors: [
        car('A', { priority: 'high', capA: 16 }),
        car('B', { priority: 'high' }),
        car('C'),
      ],
    });
    expect(limits(a)).toEqual({ A: 16, B: 18, C: 6 });
    expect(a.connectors.map((c) => c.reason.kind)).toEqual(['cap', 'shared', 'shared']);
  });

  it('does not send an increase smaller than the hysteresis', () => {
    const m = model({
      circuits: [circuit('db', null, 40)],
      stations: [station('A', 'db'), station('B', 'db')],
    });
    const start = allocate({
      model: m,
      loads: { db: [1, 1, 1] },
      connectors: [car('A'), car('B')],
    });
    expect(limits(start)).toEqual({ A: 19.5, B: 19.5 });
    const next = allocate({
      model: m,
      previous: start,
      loads: { db: [0, 0, 0] },
      connectors: [car('A'), car('B')],
    });
    expect(limits(next)).toEqual({ A: 19.5, B: 19.5 });
  });
});

describe('transition and invariant', () => {
  it('sends reductions first; increases wait; in flight a connector counts at max(old, new)', () => {
    const m = model({
      circuits: [circuit('db', null, 32)],
      stations: [station('A', 'db'), station('B', 'db')],
    });
    const ledger = new Map<string, LedgerEntry>([
      ['A/1', { confirmedA: 20, inFlightA: null }],
      ['B/1', { confirmedA: 6, inFlightA: null }],
    ]);
    const next = allocate({ model: m, connectors: [car('A'), car('B')] });
    expect(planTransition(ledger, next)).toEqual({
      reductions: [{ id: 'A/1', toA: 16 }],
      increases: [{ id: 'B/1', toA: 16 }],
    });
    // Sending both at once could briefly allow 20 + 16 A on a 32 A circuit: the checker says so.
    expect(
      checkWithinLimits(m, [
        { stationId: 'A', amps: 20 },
        { stationId: 'B', amps: 16 },
      ]).map((v) => `${v.nodeName} ${v.phase} ${v.sumA}`),
    ).toEqual(['circuit “db” L1 36', 'circuit “db” L2 36', 'circuit “db” L3 36']);
  });
});
