// The electrical model compiled into flat arrays for the allocator and the invariant checker:
// node 0 is the supply, then the circuits, then one node per station (its own maximum current).
// A "node-phase" index is node * 3 + phase (0 = L1, 1 = L2, 2 = L3, building phases).
import {
  PHASES,
  stationPhases,
  supplyPhases,
  supplyUsableA,
  type ElectricalModel,
  type Phase,
} from '../../src-shared/balancing/model';

/** Amps per building phase, [L1, L2, L3]. */
export type PerPhase = readonly [number, number, number];

/** Readings of the rest of the building's draw, by 'supply' or circuit id; absent = assumed. */
export type MeasuredLoads = Readonly<Record<string, PerPhase | undefined>>;

export interface Topology {
  readonly model: ElectricalModel;
  readonly nodeCount: number;
  readonly nodeIds: string[];
  readonly nodeNames: string[];
  readonly nodeKinds: ('supply' | 'circuit' | 'station')[];
  /** Per node-phase: the node's own limit on that phase (0 where it does not carry it). */
  readonly limit: Float64Array;
  /** Per node-phase: the non-EV load assumed without a reading. */
  readonly assumedLoad: Float64Array;
  /** Per station id: its node, the building phases it draws on, and its path up to the supply. */
  readonly stations: Map<
    string,
    {
      node: number;
      phases: number[];
      phaseNames: Phase[];
      path: number[];
      /** Every node-phase the station draws on, up its path (node * 3 + phase): the hot loops. */
      keys: Int32Array;
    }
  >;
  /** Node index by id (supply, circuit ids). */
  readonly nodeIndex: Map<string, number>;
  /** capacities() without readings, computed once. */
  readonly baseCapacity: Float64Array;
}

const phaseIndex = (p: Phase): number => PHASES.indexOf(p);

const cache = new WeakMap<ElectricalModel, Topology>();

/**
 * The model must have passed validateModel (parents exist, no loops). Compiled once per model
 * object: a model is a value, never mutated; an edited model is a new object.
 */
export function compile(model: ElectricalModel): Topology {
  const cached = cache.get(model);
  if (cached) return cached;
  const n = 1 + model.circuits.length + model.stations.length;
  const nodeIds: string[] = ['supply'];
  const nodeNames: string[] = ['the supply'];
  const nodeKinds: Topology['nodeKinds'] = ['supply'];
  const parent = new Int32Array(n).fill(-1);
  const limit = new Float64Array(n * 3);
  const assumedLoad = new Float64Array(n * 3);
  for (const p of supplyPhases(model.supply)) {
    limit[phaseIndex(p)] = supplyUsableA(model.supply);
    assumedLoad[phaseIndex(p)] = model.supply.assumedOtherLoadA;
  }
  const circuitNode = new Map<string, number>();
  model.circuits.forEach((c, i) => circuitNode.set(c.id, 1 + i));
  model.circuits.forEach((c, i) => {
    const node = 1 + i;
    nodeIds.push(c.id);
    nodeNames.push(`circuit “${c.name}”`);
    nodeKinds.push('circuit');
    parent[node] = c.parentId === null ? 0 : (circuitNode.get(c.parentId) ?? 0);
    for (const p of c.phases) {
      limit[node * 3 + phaseIndex(p)] = c.limitA;
      assumedLoad[node * 3 + phaseIndex(p)] = c.assumedOtherLoadA;
    }
  });
  const stations: Topology['stations'] = new Map();
  model.stations.forEach((s, i) => {
    const node = 1 + model.circuits.length + i;
    nodeIds.push(`station:${s.stationId}`);
    nodeNames.push(`station ${s.stationId}`);
    nodeKinds.push('station');
    parent[node] = circuitNode.get(s.circuitId) ?? 0;
    const phases = stationPhases(s).map(phaseIndex);
    for (const p of phases) limit[node * 3 + p] = s.maxCurrentA;
    const path: number[] = [];
    for (let k = node; k !== -1; k = parent[k] ?? -1) path.push(k);
    const keys = new Int32Array(path.length * phases.length);
    let j = 0;
    for (const nd of path) for (const p of phases) keys[j++] = nd * 3 + p;
    stations.set(s.stationId, { node, phases, phaseNames: stationPhases(s), path, keys });
  });
  const baseCapacity = new Float64Array(n * 3);
  for (let i = 0; i < n * 3; i++)
    baseCapacity[i] = Math.max(0, (limit[i] ?? 0) - (limit[i] ? (assumedLoad[i] ?? 0) : 0));
  const topology: Topology = {
    model,
    nodeCount: n,
    nodeIds,
    nodeNames,
    nodeKinds,
    limit,
    assumedLoad,
    stations,
    nodeIndex: new Map(nodeIds.map((id, i) => [id, i])),
    baseCapacity,
  };
  cache.set(model, topology);
  return topology;
}

/**
 * What the chargers may draw on each node-phase: its limit less the rest of the building's load
 * (the reading where there is one, else the assumed worst case). Never below 0.
 */
export function capacities(t: Topology, loads: MeasuredLoads = {}): Float64Array {
  const cap = t.baseCapacity.slice();
  for (const id in loads) {
    const node = t.nodeIndex.get(id);
    const reading = loads[id];
    if (node === undefined || !reading || t.nodeKinds[node] === 'station') continue;
    for (let p = 0; p < 3; p++) {
      const i = node * 3 + p;
      const limit = t.limit[i] ?? 0;
      if (limit === 0) continue;
      // A garbage reading (not a number, negative) counts as no reading: the assumed worst case.
      const r = reading[p];
      const load = r !== undefined && Number.isFinite(r) && r >= 0 ? r : (t.assumedLoad[i] ?? 0);
      cap[i] = Math.max(0, limit - load);
    }
  }
  return cap;
}
