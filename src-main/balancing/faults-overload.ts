// The overloads an operator is alarmed about, from what the allocator reported. Two differences:
// - Only what really can draw counts: the measured load and the chargers with a transaction that
//   we cannot steer (offline mid-charge, refusing limits). An idle charger, or one never reached
//   yet (a model saved before the chargers connect), is counted at its full rating by the
//   allocator, to stay safe, but no car draws there: alarming on it was a critical alarm per
//   node and phase on every first start, cleared a second later.
// - A circuit's excess is also its parents' (the same amps flow through them): the alarm names
//   the circuit where the overload is, and a parent gets its own alarm only for an excess beyond
//   what its children's overloads explain.
import { PHASES } from '../../src-shared/balancing/model';
import type { BalancingFault } from '../platform/domain-events';
import type { Allocation } from './allocate';
import type { SiteSnapshot } from './site-state';
import { capacities, compile } from './topology';

/** Less than this is rounding, not an overload (as the allocator's tolerance). */
const EPS = 1e-6;

const capitalised = (s: string) => (s[0]?.toUpperCase() ?? '') + s.slice(1);

/** A node-phase over its limit by what really draws, where the overload is (not carried up). */
export interface RealOverload {
  nodeId: string;
  nodeName: string;
  phase: (typeof PHASES)[number];
  excessA: number;
  /** Its parents that are over only because of it. */
  alsoOver: string[];
}

export function realOverloads(snap: SiteSnapshot, allocation: Allocation): RealOverload[] {
  // What really draws is at most what the allocator counted: nothing over there, nothing here.
  if (allocation.overloads.length === 0) return [];
  const t = compile(snap.model);
  const rem = capacities(t, snap.loads);
  const withTx = new Set(snap.connectors.filter((c) => c.transactionId !== null).map((c) => c.key));
  for (const a of allocation.connectors) {
    if (a.controlled || !withTx.has(a.id)) continue;
    const keys = t.stations.get(a.stationId)?.keys ?? [];
    for (const k of keys) rem[k] = (rem[k] ?? 0) - a.limitA;
  }
  // The tree: each circuit's parent, each station's circuit (its path's second node).
  const parent = new Int32Array(t.nodeCount).fill(-1);
  snap.model.circuits.forEach((c, i) => {
    parent[1 + i] = c.parentId === null ? 0 : (t.nodeIndex.get(c.parentId) ?? 0);
  });
  for (const st of t.stations.values()) parent[st.node] = st.path[1] ?? 0;
  const names = t.nodeNames.slice();
  for (const c of snap.connectors) {
    const st = t.stations.get(c.input.stationId);
    if (st) names[st.node] = `station “${c.stationName}”`;
  }
  // Children come after their parents in node order except circuits listed before their parent:
  // deepest first by depth, so every child's share is known before its parent is looked at.
  const depth = (n: number) => {
    let d = 0;
    for (let k = parent[n] ?? -1; k !== -1; k = parent[k] ?? -1) d++;
    return d;
  };
  const byDepth = Array.from({ length: t.nodeCount }, (_, n) => n).sort(
    (a, b) => depth(b) - depth(a),
  );
  const out: RealOverload[] = [];
  for (let p = 0; p < 3; p++) {
    const excess = (n: number) => Math.max(0, -(rem[n * 3 + p] ?? 0));
    /** Per node: the excess its overloaded descendants bring up to it. */
    const carried = new Float64Array(t.nodeCount);
    const own = new Float64Array(t.nodeCount);
    for (const n of byDepth) {
      const e = excess(n);
      own[n] = e > EPS ? Math.max(0, e - (carried[n] ?? 0)) : 0;
      const up = parent[n] ?? -1;
      if (up >= 0) carried[up] = (carried[up] ?? 0) + (e > EPS ? e : (carried[n] ?? 0));
    }
    for (let n = 0; n < t.nodeCount; n++) {
      if ((own[n] ?? 0) <= EPS) continue;
      // The parents over only because of this one: said here, not alarmed on their own.
      const alsoOver: string[] = [];
      for (let k = parent[n] ?? -1; k !== -1; k = parent[k] ?? -1)
        if (excess(k) > EPS && (own[k] ?? 0) <= EPS) alsoOver.push(names[k] ?? '');
      out.push({
        nodeId: t.nodeIds[n] ?? '',
        nodeName: names[n] ?? '',
        phase: PHASES[p] ?? 'L1',
        excessA: excess(n),
        alsoOver,
      });
    }
  }
  return out;
}

export function overloadFaults(snap: SiteSnapshot, allocation: Allocation): BalancingFault[] {
  return realOverloads(snap, allocation).map((o) => {
    const also =
      o.alsoOver.length > 0 ? ` It also takes ${o.alsoOver.join(' and ')} over its limit.` : '';
    return {
      key: `overload:${o.nodeId}:${o.phase}`,
      kind: 'overload',
      stationId: null,
      connectorNumber: null,
      title: `${capitalised(o.nodeName)} is over its limit on ${o.phase}`,
      detail: `The building's measured load and the chargers that cannot be limited exceed it by ${o.excessA.toFixed(1)} A; the cars that can be limited are paused there.${also}`,
    };
  });
}
