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
import type { AllocationReason } from './reasons';
import { capacities, compile, type MeasuredLoads, type Topology } from './topology';

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

// Reasons without a parameter: one shared, frozen object each (nothing mutates a reason).
const RATING: AllocationReason = Object.freeze({ kind: 'rating' });
const CAP: AllocationReason = Object.freeze({ kind: 'cap' });
const HYSTERESIS: AllocationReason = Object.freeze({ kind: 'hysteresis' });
/** Ceiling kinds, as stored per car. */
const BY_RATING = 0;
const BY_CAP = 1;
const BY_DRAW = 2;
/** frozenBy: still rising / stopped at its ceiling; >= 0: the node-phase that filled. */
const RISING = -2;
const AT_CEILING = -1;

const add = (a: Float64Array, k: number, v: number) => {
  a[k] = (a[k] ?? 0) + v;
};

type Station = ReturnType<Topology['stations']['get']> & {};

export function allocate(input: AllocationInput): Allocation {
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
  // The charging cars as a structure of arrays indexed by car number (no object per car: this
  // runs for every car of the site on every trigger, and short-lived objects cost collections).
  const n = input.connectors.length;
  const carConn: ConnectorInput[] = [];
  const carStation: Station[] = [];
  const carOut: ConnectorAllocation[] = [];
  const carPrev: (ConnectorAllocation | undefined)[] = [];
  const drawOf = new Float64Array(n);
  const pausedS = new Float64Array(n);
  const ceiling = new Float64Array(n);
  const ceilingKind = new Uint8Array(n);
  const incumbent = new Uint8Array(n);
  const rank = new Uint8Array(n);
  const phaseMask = new Uint8Array(n);
  const level = new Float64Array(n);
  const frozenBy = new Int32Array(n);
  /** Admission order: group, then overdue / priority, then waiting or charging time, then id. */
  const key1 = new Uint8Array(n);
  const key2 = new Float64Array(n);
  let m = 0;

  // 1. What we cannot steer, and the ceilings of the cars we can.
  for (let index = 0; index < n; index++) {
    const c = input.connectors[index];
    if (!c) continue;
    const st = t.stations.get(c.stationId);
    if (!st) throw new Error(`Connector ${c.id} is on station ${c.stationId}, which is not wired.`);
    const s = c.state;
    if (s.kind !== 'charging') {
      const known = s.inForceA !== null;
      const assumedA =
        s.inForceA !== null ? Math.min(c.ratingA, Math.max(0, s.inForceA)) : c.ratingA;
      const keys = st.keys;
      for (let j = 0; j < keys.length; j++) add(rem, keys[j] ?? 0, -assumedA);
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
      reason: RATING,
    };
    out.push(o);
    let ceil = c.ratingA;
    let kind = BY_RATING;
    if (c.capA !== null && c.capA < ceil) {
      ceil = c.capA;
      kind = BY_CAP;
    }
    const p = prevOf(c, index);
    const inc = p !== undefined && p.controlled && p.limitA >= minA;
    if (p && inc && s.drawA !== null) {
      // Held cars are released once they draw close to their limit (they ask for more).
      const held =
        p.reason.kind === 'draw'
          ? s.drawA < p.limitA - drawMarginA / 2
          : s.drawA < p.limitA - 2 * drawMarginA;
      const atDraw = Math.max(minA, s.drawA + drawMarginA);
      if (held && atDraw < ceil) {
        ceil = atDraw;
        kind = BY_DRAW;
      }
    }
    const r = RANK[c.priority];
    const group = !inc ? 1 : s.chargingS < rotationPeriodS ? 0 : 2;
    const overdue = group === 1 && s.pausedS >= rotationPeriodS;
    carConn.push(c);
    carStation.push(st);
    carOut.push(o);
    carPrev.push(p);
    drawOf[m] = s.drawA ?? 0;
    pausedS[m] = s.pausedS;
    ceiling[m] = Math.max(minA, ceil);
    ceilingKind[m] = kind;
    incumbent[m] = inc ? 1 : 0;
    rank[m] = r;
    let mask = 0;
    for (const ph of st.phases) mask |= 1 << ph;
    phaseMask[m] = mask;
    frozenBy[m] = RISING;
    // 2's order as two numbers: inside a group, a car whose turn is overdue goes before any
    // priority (nobody starves), longest waiting first; then priority, then the longest waiting
    // (group 1) or the one that charged least (groups 0 and 2).
    key1[m] = group * 4 + (overdue ? 0 : 1 + r);
    key2[m] = group === 1 ? -s.pausedS : s.chargingS;
    m++;
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
  // Ties on everything but the id keep the input order.
  const order: number[] = [];
  for (let i = 0; i < m; i++) order.push(i);
  order.sort((a, b) => {
    const d1 = (key1[a] ?? 0) - (key1[b] ?? 0);
    if (d1 !== 0) return d1;
    const d2 = (key2[a] ?? 0) - (key2[b] ?? 0);
    if (d2 !== 0) return d2;
    const ia = (carConn[a] as ConnectorInput).id;
    const ib = (carConn[b] as ConnectorInput).id;
    return ia < ib ? -1 : ia > ib ? 1 : a - b;
  });
  const byTier: number[][] = [[], [], []];
  const admitted: number[] = [];
  for (const car of order) {
    const keys = (carStation[car] as Station).keys;
    // A waiting car resumes only with room to spare (no flapping), unless its turn is overdue.
    const need =
      incumbent[car] || (pausedS[car] ?? 0) >= rotationPeriodS ? minA : minA + hysteresisA;
    let blocked = -1;
    for (let j = 0; j < keys.length; j++) {
      const k = keys[j] ?? 0;
      if ((rem[k] ?? 0) < need - 1e-6) {
        blocked = k;
        break;
      }
    }
    if (blocked < 0) {
      for (let j = 0; j < keys.length; j++) add(rem, keys[j] ?? 0, -minA);
      level[car] = minA;
      admitted.push(car);
      byTier[rank[car] ?? 0]?.push(car);
      continue;
    }
    // Would it fit were it not for the cars admitted before it? Then it waits its turn. If any
    // node-phase above it lacks the minimum even with no other car, its turn will not come.
    let lacking = -1;
    for (let j = 0; j < keys.length; j++) {
      const k = keys[j] ?? 0;
      if ((afterFixed[k] ?? 0) < minA - 1e-6) lacking = k;
    }
    const turn = lacking < 0;
    const node = Math.floor((turn ? blocked : lacking) / 3);
    (carOut[car] as ConnectorAllocation).reason = {
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
  // The rising cars under each watched node (to stop them when one of its phases fills), as one
  // flat list: underAt[node] .. underAt[node + 1].
  const underAt = new Int32Array(t.nodeCount + 1);
  let under = new Int32Array(0);
  for (const members of byTier) waterFill(members);

  function waterFill(members: number[]): void {
    const rising: number[] = [];
    for (const car of members) {
      if ((ceiling[car] ?? 0) > minA + EPS) rising.push(car);
      else frozenBy[car] = AT_CEILING;
    }
    if (rising.length === 0) return;
    count.fill(0);
    demand.fill(0);
    watched.fill(0);
    watchedNode.fill(0);
    for (const car of rising) {
      const keys = (carStation[car] as Station).keys;
      const up = (ceiling[car] ?? 0) - minA;
      for (let j = 0; j < keys.length; j++) {
        const k = keys[j] ?? 0;
        add(count, k, 1);
        add(demand, k, up);
      }
    }
    // Only node-phases that can fill before every car reaches its ceiling need watching.
    const active: number[] = [];
    for (let k = 0; k < size; k++)
      if ((count[k] ?? 0) > 0 && (demand[k] ?? 0) > (rem[k] ?? 0) + EPS) {
        active.push(k);
        watched[k] = 1;
        watchedNode[Math.floor(k / 3)] = 1;
      }
    underAt.fill(0);
    for (const car of rising)
      for (const node of (carStation[car] as Station).path)
        if (watchedNode[node]) underAt[node + 1] = (underAt[node + 1] ?? 0) + 1;
    for (let node = 0; node < t.nodeCount; node++)
      underAt[node + 1] = (underAt[node + 1] ?? 0) + (underAt[node] ?? 0);
    if ((underAt[t.nodeCount] ?? 0) > under.length)
      under = new Int32Array(underAt[t.nodeCount] ?? 0);
    const fill = underAt.slice(0, t.nodeCount);
    for (const car of rising)
      for (const node of (carStation[car] as Station).path)
        if (watchedNode[node]) {
          const at = fill[node] ?? 0;
          under[at] = car;
          fill[node] = at + 1;
        }
    const byCeiling = rising.slice().sort((a, b) => (ceiling[a] ?? 0) - (ceiling[b] ?? 0));
    let ptr = 0;
    let x = 0; // amps above the minimum, shared by every rising car
    let left = rising.length;
    const freeze = (car: number, by: number) => {
      level[car] = minA + x;
      frozenBy[car] = by;
      left--;
      const keys = (carStation[car] as Station).keys;
      for (let j = 0; j < keys.length; j++) add(count, keys[j] ?? 0, -1);
    };
    while (left > 0) {
      while (ptr < byCeiling.length && frozenBy[byCeiling[ptr] ?? 0] !== RISING) ptr++;
      let dx = ptr < byCeiling.length ? (ceiling[byCeiling[ptr] ?? 0] ?? 0) - minA - x : Infinity;
      for (const k of active) {
        const room = (rem[k] ?? 0) / (count[k] ?? 1);
        if (room < dx) dx = room;
      }
      if (dx < 0) dx = 0;
      x += dx;
      for (const k of active) add(rem, k, -(count[k] ?? 0) * dx);
      for (; ptr < byCeiling.length; ptr++) {
        const next = byCeiling[ptr] ?? 0;
        if ((ceiling[next] ?? 0) - minA > x + EPS) break;
        if (frozenBy[next] === RISING) freeze(next, AT_CEILING);
      }
      for (const k of active) {
        const c = count[k] ?? 0;
        if (c === 0 || (rem[k] ?? 0) > EPS * c) continue;
        const bit = 1 << (k % 3);
        const node = Math.floor(k / 3);
        for (let u = underAt[node] ?? 0; u < (underAt[node + 1] ?? 0); u++) {
          const car = under[u] ?? 0;
          if (frozenBy[car] === RISING && (phaseMask[car] ?? 0) & bit) freeze(car, k);
        }
      }
      let w = 0;
      for (const k of active) if ((count[k] ?? 0) > 0) active[w++] = k;
      active.length = w;
    }
    // Node-phases not watched did not follow the rise: account for it now.
    for (const car of rising) {
      const keys = (carStation[car] as Station).keys;
      const up = (level[car] ?? 0) - minA;
      for (let j = 0; j < keys.length; j++) {
        const k = keys[j] ?? 0;
        if (!watched[k]) add(rem, k, -up);
      }
    }
  }

  for (const car of admitted) {
    let limitA = floorTenth(level[car] ?? 0);
    let reason: AllocationReason;
    const by = frozenBy[car] ?? 0;
    const kind = ceilingKind[car];
    if (by >= 0) {
      const node = Math.floor(by / 3);
      const phase = PHASES[by % 3] ?? 'L1';
      reason = { kind: 'shared', nodeId: nodeId(node), nodeName: nodeName(node), phase };
    } else if (kind === BY_DRAW) reason = { kind: 'draw', drawA: drawOf[car] ?? 0 };
    else reason = kind === BY_CAP ? CAP : RATING;
    // Hysteresis: a small increase is not worth a message (and lower is always safe).
    const p = carPrev[car];
    if (
      p?.controlled &&
      reason.kind !== 'draw' &&
      p.limitA >= minA &&
      limitA > p.limitA &&
      limitA < p.limitA + hysteresisA
    ) {
      limitA = p.limitA;
      reason = p.reason.kind === 'hysteresis' ? p.reason : HYSTERESIS;
    }
    const o = carOut[car] as ConnectorAllocation;
    o.limitA = limitA;
    o.reason = reason;
  }
  return { connectors: out, overloads };
}
