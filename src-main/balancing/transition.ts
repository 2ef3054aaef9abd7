// Moving the chargers from the limits in force to a new allocation without ever exceeding a limit
// on the way: reductions go out first; increases only once every reduction is confirmed.
//
// The controller keeps a ledger per connector, written (persisted) BEFORE a profile is sent, so
// that after a restart or a lost answer it still knows the most a charger may be drawing: a
// charger may apply a profile before it answers, so an unconfirmed one counts at
// max(confirmed, in flight).
import type { Allocation } from './allocate';

export interface LedgerEntry {
  /** The limit the charger confirmed (Accepted) and that is in force. */
  confirmedA: number;
  /** A limit sent and not yet answered; null when nothing is in flight. */
  inFlightA: number | null;
}

export type Ledger = ReadonlyMap<string, LedgerEntry>;

/** The most the connector may be drawing right now. */
export const boundA = (e: LedgerEntry): number => Math.max(e.confirmedA, e.inFlightA ?? 0);

export interface Change {
  id: string;
  toA: number;
}

export interface TransitionPlan {
  /** Send now. */
  reductions: Change[];
  /** Send only when `reductionsPending` is false (every reduction confirmed). */
  increases: Change[];
}

/** A reduction is in flight: increases must wait (else, for a moment, both may be drawn). */
export function reductionsPending(ledger: Ledger): boolean {
  for (const e of ledger.values())
    if (e.inFlightA !== null && e.inFlightA < e.confirmedA) return true;
  return false;
}

/**
 * What to send to reach `next` from what the ledger says may be in force. Connectors we do not
 * control (offline, rejecting, idle) are left alone: the allocation already counts them.
 * A connector missing from the ledger is unknown: anything we send it counts as a reduction only
 * if the caller records its rating as the bound first; here it is planned as an increase.
 */
export function planTransition(ledger: Ledger, next: Allocation): TransitionPlan {
  const reductions: Change[] = [];
  const increases: Change[] = [];
  for (const a of next.connectors) {
    if (!a.controlled) continue;
    const e = ledger.get(a.id);
    const bound = e ? boundA(e) : 0;
    if (e && a.limitA < bound) reductions.push({ id: a.id, toA: a.limitA });
    else if (!e || a.limitA > bound) increases.push({ id: a.id, toA: a.limitA });
    // Equal to the bound: either in force, or that very value is in flight.
    else if (e.inFlightA !== null && e.inFlightA !== a.limitA)
      reductions.push({ id: a.id, toA: a.limitA });
  }
  return { reductions, increases };
}
