// The electrical model of a site for dynamic load balancing (issue 11): the supply, the tree of
// circuits below it, how each station is wired to it, and the sharing policy. Shared by the core
// (allocation, validation on save) and the UI (the model editor validates as the user types).
// Currents are amps per phase; phases are the BUILDING's phases unless a name says "charger".

export const PHASES = ['L1', 'L2', 'L3'] as const;
export type Phase = (typeof PHASES)[number];

/**
 * How a charger's own L1/L2/L3 terminals land on the building's phases, as the building phases of
 * the charger's L1, L2 and L3 in order. Installers rotate phases to spread single-phase load, so a
 * charger's L1 may be the building's L2 ('L2-L3-L1').
 */
export const ROTATIONS = [
  'L1-L2-L3',
  'L2-L3-L1',
  'L3-L1-L2',
  'L1-L3-L2',
  'L3-L2-L1',
  'L2-L1-L3',
] as const;
export type Rotation = (typeof ROTATIONS)[number];

/** A charger fed on all three phases, or on one of its own terminals (before rotation). */
export const WIRINGS = ['three-phase', 'L1', 'L2', 'L3'] as const;
export type Wiring = (typeof WIRINGS)[number];

export const PRIORITIES = ['high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface Supply {
  /** The supply's limit on each phase (the main breaker / the utility's agreement), A. */
  phaseLimitA: number;
  nominalVoltageV: number;
  phases: 1 | 3;
  /** Share of the supply the car park may plan with, % (HKPC's "percent supply usable"). */
  usablePercent: number;
  /** Amps per phase always kept free (HKPC's "current reserve"): absorbs load steps between readings. */
  reserveA: number;
  /**
   * The rest of the building's draw per phase assumed when no reading is available (no meter, a
   * meter gone quiet): the worst case the building is designed for, typed in by the installer.
   */
  assumedOtherLoadA: number;
}

export interface Circuit {
  id: string;
  name: string;
  /** null: fed directly from the supply (the main switchboard). */
  parentId: string | null;
  limitA: number;
  /** The building phases this circuit carries (a single-phase sub-circuit carries one). */
  phases: Phase[];
  /** As the supply's: the non-EV load on this circuit assumed without a reading, A per phase. */
  assumedOtherLoadA: number;
}

export interface StationWiring {
  stationId: string;
  /** The station's name, for messages (the id when absent). */
  name?: string;
  circuitId: string;
  wiring: Wiring;
  rotation: Rotation;
  /** The station's own limit per phase (all its connectors together), A. */
  maxCurrentA: number;
  /** The bay's priority and optional cap (A per phase); an account's may be stricter. */
  priority: Priority;
  capA: number | null;
}

export interface BalancingPolicy {
  /** IEC 61851: below ~6 A the pilot signal stops the car; never allocate less while charging. */
  minCurrentA: number;
  /** A paused car waits at most about this long before cars that have charged long enough yield. */
  rotationPeriodS: number;
  /** Small increases are not sent, and a paused car resumes only with this much to spare. */
  hysteresisA: number;
  /** A car drawing this much less than its limit is capped at its draw plus this margin. */
  drawMarginA: number;
}

export interface ElectricalModel {
  supply: Supply;
  circuits: Circuit[];
  stations: StationWiring[];
  policy: BalancingPolicy;
}

export const DEFAULT_POLICY: BalancingPolicy = {
  minCurrentA: 6,
  rotationPeriodS: 900,
  hysteresisA: 1,
  drawMarginA: 2,
};

const ROTATION_MAP: Record<Rotation, readonly [Phase, Phase, Phase]> = {
  'L1-L2-L3': ['L1', 'L2', 'L3'],
  'L2-L3-L1': ['L2', 'L3', 'L1'],
  'L3-L1-L2': ['L3', 'L1', 'L2'],
  'L1-L3-L2': ['L1', 'L3', 'L2'],
  'L3-L2-L1': ['L3', 'L2', 'L1'],
  'L2-L1-L3': ['L2', 'L1', 'L3'],
};

/** Building phases a station draws on: its wiring through its rotation. */
export function stationPhases(s: Pick<StationWiring, 'wiring' | 'rotation'>): Phase[] {
  const [l1, l2, l3] = ROTATION_MAP[s.rotation];
  switch (s.wiring) {
    case 'three-phase':
      return [...PHASES];
    case 'L1':
      return [l1];
    case 'L2':
      return [l2];
    case 'L3':
      return [l3];
  }
}

/**
 * How the stations page records a station's wiring: three-phase, or the BUILDING phase a
 * single-phase station draws on. With the station's rotation (null: the natural one, its own L1
 * on that phase) it is the whole wiring; the model editor's wiring + rotation is the same fact
 * seen from the charger's terminals. The station row is the one place it is stored.
 */
export type StationPhases = 'three' | Phase;

/** The rotation a station gets when none was chosen: its own L1 on its building phase. */
export function naturalRotation(phases: StationPhases): Rotation {
  switch (phases) {
    case 'three':
    case 'L1':
      return 'L1-L2-L3';
    case 'L2':
      return 'L2-L3-L1';
    case 'L3':
      return 'L3-L1-L2';
  }
}

/** The station row's wiring as the model holds it (the charger terminal through the rotation). */
export function wiringOfStation(
  phases: StationPhases,
  stored: Rotation | null,
): { wiring: Wiring; rotation: Rotation } {
  const rotation = stored ?? naturalRotation(phases);
  if (phases === 'three') return { wiring: 'three-phase', rotation };
  const k = ROTATION_MAP[rotation].indexOf(phases);
  return { wiring: k === 1 ? 'L2' : k === 2 ? 'L3' : 'L1', rotation };
}

/** The model's wiring as the station row stores it (null rotation when it is the natural one). */
export function stationOfWiring(s: Pick<StationWiring, 'wiring' | 'rotation'>): {
  phases: StationPhases;
  rotation: Rotation | null;
} {
  const phases: StationPhases =
    s.wiring === 'three-phase' ? 'three' : (stationPhases(s)[0] ?? 'L1');
  return { phases, rotation: s.rotation === naturalRotation(phases) ? null : s.rotation };
}

export function supplyPhases(supply: Pick<Supply, 'phases'>): Phase[] {
  return supply.phases === 3 ? [...PHASES] : ['L1'];
}

/** What the car park may plan with on each supply phase before any measured load. */
export function supplyUsableA(supply: Supply): number {
  return (supply.phaseLimitA * supply.usablePercent) / 100 - supply.reserveA;
}
