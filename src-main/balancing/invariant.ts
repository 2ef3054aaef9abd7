// The invariant of load balancing: on every node (supply, circuit, station) and every phase, the
// sum of what the chargers may draw stays within what the node leaves for them.
import type { ElectricalModel } from '../../src-shared/balancing/model';
import { PHASES } from '../../src-shared/balancing/model';
import { capacities, compile, type MeasuredLoads } from './topology';

export interface Allowed {
  stationId: string;
  /** The most this connector may draw per phase right now (see transition.ts, boundA). */
  amps: number;
}

export interface Violation {
  nodeId: string;
  nodeName: string;
  phase: 'L1' | 'L2' | 'L3';
  sumA: number;
  capacityA: number;
}

/** Sums within a millionth of an amp count as within (floating point). */
const TOLERANCE = 1e-6;

export function checkWithinLimits(
  model: ElectricalModel,
  allowed: Iterable<Allowed>,
  loads?: MeasuredLoads,
): Violation[] {
  const t = compile(model);
  const cap = capacities(t, loads);
  const sum = new Float64Array(cap.length);
  for (const a of allowed) {
    if (a.amps <= 0) continue;
    const st = t.stations.get(a.stationId);
    if (!st) throw new Error(`Station ${a.stationId} is not wired in the model.`);
    for (const node of st.path)
      for (const p of st.phases) sum[node * 3 + p] = (sum[node * 3 + p] ?? 0) + a.amps;
  }
  const violations: Violation[] = [];
  t.nodeIds.forEach((nodeId, node) =>
    PHASES.forEach((phase, p) => {
      const sumA = sum[node * 3 + p] ?? 0;
      const capacityA = cap[node * 3 + p] ?? 0;
      if (sumA > capacityA + TOLERANCE)
        violations.push({ nodeId, nodeName: t.nodeNames[node] ?? nodeId, phase, sumA, capacityA });
    }),
  );
  return violations;
}

export function assertWithinLimits(
  model: ElectricalModel,
  allowed: Iterable<Allowed>,
  loads?: MeasuredLoads,
): void {
  const v = checkWithinLimits(model, allowed, loads);
  if (v.length > 0)
    throw new Error(
      `Limit exceeded: ${v
        .map(
          (x) => `${x.nodeName} ${x.phase}: ${x.sumA.toFixed(2)} A > ${x.capacityA.toFixed(2)} A`,
        )
        .join('; ')}`,
    );
}
