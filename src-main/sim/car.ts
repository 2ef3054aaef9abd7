// A simulated electric car behind a simulated charger (issue 11): what it actually draws, which
// is often less than the charger allows. Load balancing hands the spare to other cars only if it
// sees this, so the simulator must model it: an on-board charger with its own maximum current and
// phase count (many cars charge on one phase at 16 or 32 A whatever the charger offers), a taper
// above ~80 % state of charge, nothing below the 6 A the pilot signal needs (IEC 61851), and
// nothing once full. Pure: no clock, no I/O; the charger advances it by the seconds that passed.
import type { Rotation } from '../../src-shared/balancing/model';

/** Amps on the charger's own terminals L1, L2, L3 (or the building's, after `toBuildingPhases`). */
export type PhaseAmps = [number, number, number];

export interface CarOptions {
  /** Usable battery capacity, Wh. */
  capacityWh: number;
  /** State of charge on arrival, %. */
  socPercent: number;
  /** The on-board charger's maximum current per phase, A. */
  onboardMaxA: number;
  /** Phases the on-board charger uses (a 1-phase car draws on the charger's L1 only). */
  phases: 1 | 3;
  /** Above this state of charge the car takes less and less (default 80 %). */
  taperFromPercent?: number;
  /** The least the car takes while tapering, until full (default 2 A). */
  taperFloorA?: number;
  /** The car stops at this state of charge (its own charge limit; default 100 %). */
  targetPercent?: number;
}

/** The pilot signal's minimum (IEC 61851-1): offered less, a car does not charge at all. */
export const PILOT_MIN_A = 6;

export class SimCar {
  readonly capacityWh: number;
  readonly onboardMaxA: number;
  readonly phases: 1 | 3;
  readonly taperFromPercent: number;
  readonly taperFloorA: number;
  readonly targetPercent: number;
  socPercent: number;
  /** Energy taken since arrival, Wh. */
  chargedWh = 0;

  constructor(o: CarOptions) {
    if (!(o.capacityWh > 0)) throw new Error('A car needs a battery capacity above 0 Wh.');
    if (!(o.onboardMaxA > 0)) throw new Error('A car needs an on-board charger above 0 A.');
    this.capacityWh = o.capacityWh;
    this.onboardMaxA = o.onboardMaxA;
    this.phases = o.phases;
    this.taperFromPercent = o.taperFromPercent ?? 80;
    this.taperFloorA = o.taperFloorA ?? 2;
    this.targetPercent = o.targetPercent ?? 100;
    this.socPercent = Math.min(Math.max(o.socPercent, 0), 100);
  }

  get full(): boolean {
    return this.socPercent >= this.targetPercent;
  }

  /** What the car itself would take per phase now (on-board charger, taper), A. */
  acceptA(): number {
    if (this.full) return 0;
    const over = this.socPercent - this.taperFromPercent;
    if (over <= 0) return this.onboardMaxA;
    // Linear from the on-board maximum at the taper point down to the floor at 100 %.
    const share = 1 - over / (100 - this.taperFromPercent);
    return Math.max(this.taperFloorA, Math.min(this.onboardMaxA, this.onboardMaxA * share));
  }

  /**
   * What the car draws on the charger's terminals when the charger offers `offeredA` per phase
   * and is wired to `chargerPhases` of them: min(offer, on-board charger, taper) on each phase
   * both use; nothing when the offer is below the pilot minimum or the car is full.
   */
  draw(offeredA: number, chargerPhases: 1 | 3): PhaseAmps {
    const wants = this.acceptA();
    const a = offeredA < PILOT_MIN_A ? 0 : floor1(Math.min(offeredA, wants));
    const used = Math.min(this.phases, chargerPhases);
    return used === 3 ? [a, a, a] : [a, 0, 0];
  }

  /** Charges the battery with what went through the outlet for `seconds` (losses ignored). */
  charge(perPhase: PhaseAmps, voltageV: number, seconds: number): number {
    const wh = ((perPhase[0] + perPhase[1] + perPhase[2]) * voltageV * seconds) / 3600;
    const room = ((this.targetPercent - this.socPercent) / 100) * this.capacityWh;
    const taken = Math.max(0, Math.min(wh, room));
    this.chargedWh += taken;
    this.socPercent = Math.min(
      this.targetPercent,
      this.socPercent + (taken / this.capacityWh) * 100,
    );
    return taken;
  }
}

/**
 * The charger's terminal currents on the building's phases: `rotation` names the building phase
 * of the charger's L1, L2 and L3 in order (as the electrical model's station wiring does).
 */
export function toBuildingPhases(charger: PhaseAmps, rotation: Rotation): PhaseAmps {
  const out: PhaseAmps = [0, 0, 0];
  rotation.split('-').forEach((phase, i) => {
    const b = Number(phase.slice(1)) - 1;
    out[b] = (out[b] ?? 0) + (charger[i] ?? 0);
  });
  return out;
}

// Down to 0.1 A as a meter shows it, never above the offer.
const floor1 = (a: number) => Math.floor(a * 10 + 1e-9) / 10;

/** A few common cars, for the demo and the tests (figures typical of each kind, not a brand's). */
export const CAR_KINDS = {
  /** A small hatch with a 1-phase 32 A (7.4 kW) on-board charger. */
  hatch1p32: { capacityWh: 40_000, onboardMaxA: 32, phases: 1 },
  /** An older plug-in hybrid: 1-phase 16 A (3.7 kW). */
  phev1p16: { capacityWh: 12_000, onboardMaxA: 16, phases: 1 },
  /** A mid-size car with a 3-phase 16 A (11 kW) on-board charger. */
  sedan3p16: { capacityWh: 60_000, onboardMaxA: 16, phases: 3 },
  /** A large car with a 3-phase 32 A (22 kW) on-board charger. */
  suv3p32: { capacityWh: 90_000, onboardMaxA: 32, phases: 3 },
} as const satisfies Record<string, Pick<CarOptions, 'capacityWh' | 'onboardMaxA' | 'phases'>>;
