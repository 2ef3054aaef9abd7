// Measured loads: the rest of the building's draw on the supply or a circuit, which the car park
// must leave alone. The seam between whatever reads a meter (a Modbus TCP poller, a later part)
// and the controller: readers `report` readings here; the controller reads `loadsFor` on every
// allocation. A typed-in value (config) counts as a fresh reading; a meter silent for longer than
// its timeout counts as no reading, so the allocation assumes the worst case (the assumed load).
import type { LoadSource } from '../../src-shared/balancing/config';
import type { MeasuredLoads, PerPhase } from './topology';

export interface MeterReading {
  amps: PerPhase;
  at: number;
}

/** What a meter reader (Modbus poller, tests) needs from the controller. */
export interface MeasuredLoadSink {
  report(siteId: number, target: string, amps: PerPhase, at: number): void;
  /** A meter that answered garbage or not at all: forget its last reading now. */
  lost(siteId: number, target: string, at: number): void;
}

export interface MeasuredLoadBoard extends MeasuredLoadSink {
  latest(siteId: number, target: string): MeterReading | undefined;
  /** When the last good reading came, kept after the meter is lost (the live view's age). */
  lastReadAt(siteId: number, target: string): number | undefined;
  /** Called after every report/lost (the controller recomputes that site). */
  onChange(fn: (siteId: number) => void): () => void;
}

export function createMeasuredLoadBoard(): MeasuredLoadBoard {
  const readings = new Map<string, MeterReading>();
  const lastAt = new Map<string, number>();
  const listeners = new Set<(siteId: number) => void>();
  const key = (siteId: number, target: string) => `${siteId}:${target}`;
  const changed = (siteId: number) => {
    for (const fn of listeners) fn(siteId);
  };
  return {
    report(siteId, target, amps, at) {
      readings.set(key(siteId, target), { amps, at });
      lastAt.set(key(siteId, target), at);
      changed(siteId);
    },
    lost(siteId, target) {
      readings.delete(key(siteId, target));
      changed(siteId);
    },
    latest: (siteId, target) => readings.get(key(siteId, target)),
    lastReadAt: (siteId, target) => lastAt.get(key(siteId, target)),
    onChange(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}

/** A source that has not reported within its timeout: when it goes (or went) quiet. */
export interface QuietMeter {
  target: string;
  since: number | null;
}

/** The readings in force for a site's sources at `now`; quiet meters are left out (worst case). */
export function loadsFor(
  siteId: number,
  sources: readonly LoadSource[],
  board: MeasuredLoadBoard,
  now: number,
): { loads: MeasuredLoads; quiet: QuietMeter[] } {
  const loads: Record<string, PerPhase> = {};
  const quiet: QuietMeter[] = [];
  for (const s of sources) {
    if (s.kind === 'typed') {
      if (s.typedA) loads[s.target] = [s.typedA[0] ?? 0, s.typedA[1] ?? 0, s.typedA[2] ?? 0];
      continue;
    }
    const r = board.latest(siteId, s.target);
    const timeoutMs = (s.modbus?.timeoutSeconds ?? 30) * 1000;
    if (r && now - r.at <= timeoutMs) loads[s.target] = r.amps;
    else quiet.push({ target: s.target, since: r ? r.at + timeoutMs : null });
  }
  return { loads, quiet };
}
