// The allocate() of before the speed work of issue 11, kept verbatim (only renamed) as the
// straightforward reference: allocate-equivalence.test.ts checks that the optimised allocate()
// gives exactly this output for random sites, cars and previous allocations.
// allocate(): the limit for every connector of a site, and why. Pure: no I/O, no clock (the
// caller passes how long each car has been charging or waiting). See docs/load-balancing.md.
//
// 1. Connectors we cannot steer (idle at a fallback, offline, rejecting limits, unmetered) are
//    counted first at what they may draw: their known limit in force, else their full rating.
// 2. Admission: every charging car needs the minimum (6 A) on each of its phases on every node
//    above it. Cars are taken in rotation order (cars inside their rotation period, then waiting
//    cars longest first, then cars whose period is over) and paused when they do not fit.
// 3. Water-filling per priority tier (high, then normal, then low): the admitted cars of the tier
//    rise together from the minimum; a car stops rising at its ceiling (rating, cap, draw + margin)
//    or when any node-phase above it is full. That is max-min fairness per phase across the tree.
import type { ElectricalModel, Priority } from '../../src-shared/balancing/model';
import { PHASES } from '../../src-shared/balancing/model';
import type { AllocationReason } from '../../src-main/balancing/reasons';
import { capacities, compile, type MeasuredLoads } from '../../src-main/balancing/topology';

export type ConnectorState =
  /**
   * A car wants energy. drawA: its highest phase current from the latest meter values (null when
   * unknown or the car has not settled yet); chargingS / pausedS: time since it resumed / paused.
   */
  | { kind: 'charging'; drawA: number | null; chargingS: number; pausedS: number }
  /** inForceA: the limit known to be in force (a confirmed fallback or profile); null = unknown. */
  | { kind: 'idle'; inForceA: number | null }
  | { kind: 'offline'; inForceA: number | null }
  | { kind: 'uncontrolled'; inForceA: number | null };

export interface ConnectorInput {
  /** Unique per site, e.g. `${stationId}/${connectorId}`. */
  id: string;
  stationId: string;
  /** The connector's maximum current per phase. */
  ratingA: number;
  priority: Priority;
  /** Cap per phase from the bay or the account, whichever is lower; null = none. */
  capA: number | null;
  state: ConnectorState;
}

export interface AllocationInput {
  model: ElectricalModel;
  loads?: MeasuredLoads;
  connectors: readonly ConnectorInput[];
  previous?: Allocation | null;
}

export interface ConnectorAllocation {
  id: string;
  stationId: string;
  /** Building phases the limit applies to. */
  phases: ('L1' | 'L2' | 'L3')[];
  /** Amps per phase; 0 = paused (or not charging). */
  limitA: number;
  /** True when this connector's limit is ours to send (a charging car). */
  controlled: boolean;
  reason: AllocationReason;
}

export interface Overload {
  nodeId: string;
  nodeName: string;
  phase: 'L1' | 'L2' | 'L3';
  /** How far what we cannot steer already exceeds the node, A. */
  excessA: number;
}

export interface Allocation {
  connectors: ConnectorAllocation[];
  /** Nodes where uncontrollable connectors alone exceed the capacity: raise an alarm. */
  overloads: Overload[];
}

const EPS = 1e-9;
const RANK: Record<Priority, number> = { high: 0, normal: 1, low: 2 };
/** Limits go out in tenths of an amp, rounded down so that sums never grow. */
const floorTenth = (a: number) => Math.floor(a * 10 + 1e-7) / 10;

type Charging = Extract<ConnectorState, { kind: 'charging' }>;

/** A charging car while it is being allocated. */
interface Car {
  c: ConnectorInput;
  s: Charging;
  path: number[];
  phases: number[];
  /** Node-phases up its path (topology.ts). */
  keys: Int32Array;
  ceiling: number;
  ceilingKind: 'rating' | 'cap' | 'draw';
  incumbent: boolean;
  prev: ConnectorAllocation | undefined;
  rank: number;
  /** 0: inside its rotation period; 1: waiting; 2: its period is over. */
  group: number;
  level: number;
  /** -2: rising; -1: stopped at its ceiling; >= 0: the node-phase that filled. */
  frozenBy: number;
  out: ConnectorAllocation;
}

const add = (a: Float64Array, k: number, v: number) => {
  a[k] = (a[k] ?? 0) + v;
};

export function allocateReference(input: AllocationInput): Allocation {
  const t = compile(input.model);
  const { minCurrentA: minA, rotationPeriodS, hysteresisA, drawMarginA } = input.model.policy;
  const rem = capacities(t, input.loads);
  // The previous allocation is usually for the same connectors in the same order: look there
  // first, and build the id map only if the order differs.
  const previous = input.previous?.connectors ?? [];
  let prev: Map<string, ConnectorAllocation> | null = null;
  const prevOf = (c: ConnectorInput, i: number) => {
    const same = previous[i];
    if (same && same.id === c.id) return same;
    if (!prev) prev = new Map(previous.map((a) => [a.id, a]));
    return prev.get(c.id);
  };
  const nodeName = (node: number) => t.nodeNames[node] ?? '';
  const nodeId = (node: number) => t.nodeIds[node] ?? '';

  const out: ConnectorAllocation[] = [];
  const cars: Car[] = [];

  // 1. What we cannot steer, and the ceilings of the cars we can.
  for (let index = 0; index < input.connectors.length; index++) {
    const c = input.connectors[index];
    if (!c) continue;
    const st = t.stations.get(c.stationId);
    if (!st) throw new Error(`Connector ${c.id} is on station ${c.stationId}, which is not wired.`);
    const s = c.state;
    if (s.kind !== 'charging') {
      const known = s.inForceA !== null;
      const assumedA =
        s.inForceA !== null ? Math.min(c.ratingA, Math.max(0, s.inForceA)) : c.ratingA;
      for (const k of st.keys) add(rem, k, -assumedA);
      // Literals of one shape, not spreads: this loop runs for every connector of the site.
      out.push({
        id: c.id,
        stationId: c.stationId,
        phases: st.phaseNames,
        limitA: assumedA,
        controlled: false,
        reason: { kind: s.kind, assumedA, basis: known ? 'known-limit' : 'rating' },
      });
      continue;
    }
    const o: ConnectorAllocation = {
      id: c.id,
      stationId: c.stationId,
      phases: st.phaseNames,
      limitA: 0,
      controlled: true,
      reason: { kind: 'rating' },
    };
    out.push(o);
    let ceiling = c.ratingA;
    let ceilingKind: Car['ceilingKind'] = 'rating';
    if (c.capA !== null && c.capA < ceiling) {
      ceiling = c.capA;
      ceilingKind = 'cap';
    }
    const p = prevOf(c, index);
    const incumbent = p !== undefined && p.controlled && p.limitA >= minA;
    if (p && incumbent && s.drawA !== null) {
      // Held cars are released once they draw close to their limit (they ask for more).
      const held =
        p.reason.kind === 'draw'
          ? s.drawA < p.limitA - drawMarginA / 2
          : s.drawA < p.limitA - 2 * drawMarginA;
      const atDraw = Math.max(minA, s.drawA + drawMarginA);
      if (held && atDraw < ceiling) {
        ceiling = atDraw;
        ceilingKind = 'draw';
      }
    }
    cars.push({
      c,
      s,
      path: st.path,
      phases: st.phases,
      keys: st.keys,
      ceiling: Math.max(minA, ceiling),
      ceilingKind,
      incumbent,
      prev: p,
      rank: RANK[c.priority],
      group: !incumbent ? 1 : s.chargingS < rotationPeriodS ? 0 : 2,
      level: 0,
      frozenBy: -2,
      out: o,
    });
  }
  const overloads: Overload[] = [];
  for (let k = 0; k < rem.length; k++) {
    const r = rem[k] ?? 0;
    // Any excess at all: the invariant checker tolerates less than a millionth of an amp.
    if (r < -1e-9) {
      const node = Math.floor(k / 3);
      overloads.push({
        nodeId: nodeId(node),
        nodeName: nodeName(node),
        phase: PHASES[k % 3] ?? 'L1',
        excessA: -r,
      });
    }
  }
  const afterFixed = rem.slice();

  // 2. Admission in rotation order: cars inside their period, then waiting cars (overdue ones
  // first, longest first), then cars whose period is over (the one that charged least first).
  const overdue = (car: Car) => car.group === 1 && car.s.pausedS >= rotationPeriodS;
  cars.sort((a, b) => {
    if (a.group !== b.group) return a.group - b.group;
    // A car whose turn is overdue goes before any priority: nobody starves.
    const oa = overdue(a);
    if (oa !== overdue(b)) return oa ? -1 : 1;
    if (oa) return b.s.pausedS - a.s.pausedS || (a.c.id < b.c.id ? -1 : 1);
    const pr = a.rank - b.rank;
    if (pr !== 0) return pr;
    const d = a.group === 1 ? b.s.pausedS - a.s.pausedS : a.s.chargingS - b.s.chargingS;
    if (d !== 0) return d;
    return a.c.id < b.c.id ? -1 : a.c.id > b.c.id ? 1 : 0;
  });
  const admitted: Car[] = [];
  for (const car of cars) {
    // A waiting car resumes only with room to spare (no flapping), unless its turn is overdue.
    const need = car.incumbent || car.s.pausedS >= rotationPeriodS ? minA : minA + hysteresisA;
    let blocked = -1;
    for (const k of car.keys)
      if ((rem[k] ?? 0) < need - 1e-6) {
        blocked = k;
        break;
      }
    if (blocked < 0) {
      for (const k of car.keys) add(rem, k, -minA);
      car.level = minA;
      admitted.push(car);
      continue;
    }
    // Would it fit were it not for the cars admitted before it? Then it waits its turn. If any
    // node-phase above it lacks the minimum even with no other car, its turn will not come.
    let lacking = -1;
    for (const k of car.keys) if ((afterFixed[k] ?? 0) < minA - 1e-6) lacking = k;
    const turn = lacking < 0;
    const node = Math.floor((turn ? blocked : lacking) / 3);
    car.out.reason = {
      kind: turn ? 'paused-rotation' : 'paused-capacity',
      nodeId: nodeId(node),
      nodeName: nodeName(node),
    };
  }

  // 3. Water-filling, tier by tier (scratch arrays shared by the tiers: no allocation per tier).
  const size = t.nodeCount * 3;
  const count = new Float64Array(size);
  const demand = new Float64Array(size);
  const watched = new Uint8Array(size);
  const watchedNode = new Uint8Array(t.nodeCount);
  const byTier: Car[][] = [[], [], []];
  for (const car of admitted) byTier[car.rank]?.push(car);
  for (const members of byTier) waterFill(members);

  function waterFill(members: Car[]): void {
    const rising: Car[] = [];
    for (const car of members) {
      if (car.ceiling > minA + EPS) rising.push(car);
      else car.frozenBy = -1;
    }
    if (rising.length === 0) return;
    count.fill(0);
    demand.fill(0);
    watched.fill(0);
    watchedNode.fill(0);
    for (const car of rising)
      for (const k of car.keys) {
        add(count, k, 1);
        add(demand, k, car.ceiling - minA);
      }
    // Only node-phases that can fill before every car reaches its ceiling need watching.
    const active: number[] = [];
    for (let k = 0; k < size; k++)
      if ((count[k] ?? 0) > 0 && (demand[k] ?? 0) > (rem[k] ?? 0) + EPS) {
        active.push(k);
        watched[k] = 1;
        watchedNode[Math.floor(k / 3)] = 1;
      }
    // The rising cars under each watched node, to stop them when one of its phases fills.
    const under = new Map<number, Car[]>();
    for (const car of rising)
      for (const node of car.path) {
        if (!watchedNode[node]) continue;
        const list = under.get(node);
        if (list) list.push(car);
        else under.set(node, [car]);
      }
    const byCeiling = rising.slice().sort((a, b) => a.ceiling - b.ceiling);
    let ptr = 0;
    let x = 0; // amps above the minimum, shared by every rising car
    let left = rising.length;
    const freeze = (car: Car, by: number) => {
      car.level = minA + x;
      car.frozenBy = by;
      left--;
      for (const k of car.keys) add(count, k, -1);
    };
    while (left > 0) {
      let next = byCeiling[ptr];
      while (next && next.frozenBy !== -2) next = byCeiling[++ptr];
      let dx = next ? next.ceiling - minA - x : Infinity;
      for (const k of active) {
        const room = (rem[k] ?? 0) / (count[k] ?? 1);
        if (room < dx) dx = room;
      }
      if (dx < 0) dx = 0;
      x += dx;
      for (const k of active) add(rem, k, -(count[k] ?? 0) * dx);
      for (next = byCeiling[ptr]; next && next.ceiling - minA <= x + EPS; next = byCeiling[++ptr])
        if (next.frozenBy === -2) freeze(next, -1);
      for (const k of active) {
        const n = count[k] ?? 0;
        if (n === 0 || (rem[k] ?? 0) > EPS * n) continue;
        const p = k % 3;
        for (const car of under.get(Math.floor(k / 3)) ?? [])
          if (car.frozenBy === -2 && car.phases.includes(p)) freeze(car, k);
      }
      let w = 0;
      for (const k of active) if ((count[k] ?? 0) > 0) active[w++] = k;
      active.length = w;
    }
    // Node-phases not watched did not follow the rise: account for it now.
    for (const car of rising)
      for (const k of car.keys) if (!watched[k]) add(rem, k, -(car.level - minA));
  }

  for (const car of admitted) {
    let limitA = floorTenth(car.level);
    let reason: AllocationReason;
    if (car.frozenBy >= 0) {
      const node = Math.floor(car.frozenBy / 3);
      const phase = PHASES[car.frozenBy % 3] ?? 'L1';
      reason = { kind: 'shared', nodeId: nodeId(node), nodeName: nodeName(node), phase };
    } else if (car.ceilingKind === 'draw') reason = { kind: 'draw', drawA: car.s.drawA ?? 0 };
    else reason = { kind: car.ceilingKind };
    // Hysteresis: a small increase is not worth a message (and lower is always safe).
    const p = car.prev;
    if (
      p?.controlled &&
      reason.kind !== 'draw' &&
      p.limitA >= minA &&
      limitA > p.limitA &&
      limitA < p.limitA + hysteresisA
    ) {
      limitA = p.limitA;
      reason = p.reason.kind === 'hysteresis' ? p.reason : { kind: 'hysteresis' };
    }
    car.out.limitA = limitA;
    car.out.reason = reason;
  }
  return { connectors: out, overloads };
}
