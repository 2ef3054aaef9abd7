// Why a connector got the limit it got: every allocation is explainable to the operator.
export type AllocationReason =
  /** Shared the capacity of this node (circuit, supply, or the station's own maximum) fairly. */
  | { kind: 'shared'; nodeId: string; nodeName: string; phase: 'L1' | 'L2' | 'L3' }
  | { kind: 'rating' }
  | { kind: 'cap' }
  /** Drawing clearly less than its allowance: held near its draw, the spare went to others. */
  | { kind: 'draw'; drawA: number }
  /** Kept at its previous limit: the increase was smaller than the hysteresis. */
  | { kind: 'hysteresis' }
  /** Not every car can have the minimum: waiting for its turn (capacity exists, others hold it). */
  | { kind: 'paused-rotation'; nodeId: string; nodeName: string }
  /** Not even one more car fits at the minimum on this node. */
  | { kind: 'paused-capacity'; nodeId: string; nodeName: string }
  /** Not charging; counted at the limit its fallback profile keeps in force. */
  | { kind: 'idle'; assumedA: number; basis: 'known-limit' | 'rating' }
  | { kind: 'offline'; assumedA: number; basis: 'known-limit' | 'rating' }
  /** Rejects profiles or is unmetered: counted at what it may draw regardless of us. */
  | { kind: 'uncontrolled'; assumedA: number; basis: 'known-limit' | 'rating' };

const basisText = (basis: 'known-limit' | 'rating', a: number) =>
  basis === 'rating'
    ? `assumed at its full rating (${a} A)`
    : `counted at its limit in force (${a} A)`;

/** The reason in words for the live view and the allocation log (en-AU). */
export function describeReason(r: AllocationReason): string {
  switch (r.kind) {
    case 'shared':
      return `Fair share of ${r.nodeName} (${r.phase} full)`;
    case 'rating':
      return 'At the charger’s maximum';
    case 'cap':
      return 'At the cap for this bay or account';
    case 'draw':
      return `Drawing ${r.drawA.toFixed(1)} A: held near its draw, the spare shared with others`;
    case 'hysteresis':
      return 'Unchanged: the increase was too small to send';
    case 'paused-rotation':
      return `Paused: ${r.nodeName} is full; charges in its turn`;
    case 'paused-capacity':
      return `Paused: no room on ${r.nodeName} for the minimum current`;
    case 'idle':
      return `No car charging; ${basisText(r.basis, r.assumedA)}`;
    case 'offline':
      return `Offline; ${basisText(r.basis, r.assumedA)}`;
    case 'uncontrolled':
      return `Does not accept limits; ${basisText(r.basis, r.assumedA)}`;
  }
}
