// Meter value normalisation (OCPP 1.6 §7.45 SampledValue, §7.47 UnitOfMeasure).
// Energy is stored in integer Wh (kWh × 1000), power in W, current in A, voltage in V.

export interface Normalised {
  value: number | null;
  unit: string | null;
}

/** The unit implied when a SampledValue has none (1.6: "Default = Wh" for energy). */
export function defaultUnit(measurand: string): string | null {
  if (measurand.startsWith('Energy.Active')) return 'Wh';
  if (measurand.startsWith('Energy.Reactive')) return 'varh';
  if (measurand.startsWith('Power.Active') || measurand === 'Power.Offered') return 'W';
  if (measurand.startsWith('Power.Reactive')) return 'var';
  if (measurand.startsWith('Current')) return 'A';
  if (measurand === 'Voltage') return 'V';
  if (measurand === 'SoC') return 'Percent';
  if (measurand === 'Temperature') return 'Celsius';
  return null;
}

const SCALE: Record<string, { to: string; factor: number }> = {
  Wh: { to: 'Wh', factor: 1 },
  kWh: { to: 'Wh', factor: 1000 },
  varh: { to: 'varh', factor: 1 },
  kvarh: { to: 'varh', factor: 1000 },
  W: { to: 'W', factor: 1 },
  kW: { to: 'W', factor: 1000 },
  VA: { to: 'VA', factor: 1 },
  kVA: { to: 'VA', factor: 1000 },
  var: { to: 'var', factor: 1 },
  kvar: { to: 'var', factor: 1000 },
  A: { to: 'A', factor: 1 },
  V: { to: 'V', factor: 1 },
  K: { to: 'K', factor: 1 },
  Celsius: { to: 'Celsius', factor: 1 },
  Percent: { to: 'Percent', factor: 1 },
};

export function normalise(
  value: string,
  measurand: string,
  unit: string | undefined,
  format: string | undefined,
): Normalised {
  if (format === 'SignedData') return { value: null, unit: null };
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(n)) return { value: null, unit: null };
  const u = unit ?? defaultUnit(measurand);
  if (u === 'Fahrenheit') return { value: ((n - 32) * 5) / 9, unit: 'Celsius' };
  const s = u ? SCALE[u] : undefined;
  if (!s) return { value: n, unit: u };
  const v = n * s.factor;
  // Energy registers are integer Wh (architecture.md "Storage").
  return { value: s.to === 'Wh' || s.to === 'varh' ? Math.round(v) : v, unit: s.to };
}

/** ISO 8601 → epoch ms (validation already repaired zone-less timestamps). */
export function parseTime(iso: string, fallback: number): number {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : fallback;
}

// One-entry cache: Heartbeat answers the current time on every call, and under load many
// arrive within one millisecond (a Date and a string per message otherwise).
let lastIsoMs = NaN;
let lastIso = '';
export const toIso = (ms: number): string => {
  if (ms !== lastIsoMs) {
    lastIso = new Date(ms).toISOString();
    lastIsoMs = ms;
  }
  return lastIso;
};

export interface SampledValueLike {
  value: string;
  measurand?: string;
  phase?: string;
  location?: string;
  unit?: string;
  format?: string;
}

export interface Extracted {
  energyWh: number | null;
  powerW: number | null;
  /** Current.Import L1, L2, L3 in A. */
  currentA: [number | null, number | null, number | null];
  socPercent: number | null;
}

const PHASE_INDEX: Record<string, 0 | 1 | 2> = {
  L1: 0,
  'L1-N': 0,
  L2: 1,
  'L2-N': 1,
  L3: 2,
  'L3-N': 2,
};

/**
 * The quantities the product reads from one sample's sampledValues (OCPP 1.6 §7.45): values
 * measured at the outlet (or with no location, the default), in the units of normalise().
 * - energy: Energy.Active.Import.Register without a phase (the register total), integer Wh;
 * - power: Power.Active.Import without a phase, else the sum of the L1-L3 phases;
 * - current: Current.Import per phase; a value without a phase (single-phase chargers) is L1's
 *   unless L1 is also sent;
 * - SoC.
 */
export function extract(sampled: readonly SampledValueLike[]): Extracted {
  const out: Extracted = {
    energyWh: null,
    powerW: null,
    currentA: [null, null, null],
    socPercent: null,
  };
  let phasePower: number | null = null;
  let unphasedCurrent: number | null = null;
  for (const sv of sampled) {
    if (sv.location && sv.location !== 'Outlet') continue;
    const measurand = sv.measurand ?? 'Energy.Active.Import.Register';
    const n = normalise(sv.value, measurand, sv.unit, sv.format).value;
    if (n === null) continue;
    switch (measurand) {
      case 'Energy.Active.Import.Register':
        if (!sv.phase) out.energyWh = n;
        break;
      case 'Power.Active.Import':
        if (!sv.phase) out.powerW = n;
        else if (PHASE_INDEX[sv.phase] !== undefined) phasePower = (phasePower ?? 0) + n;
        break;
      case 'Current.Import': {
        const i = sv.phase ? PHASE_INDEX[sv.phase] : undefined;
        if (i !== undefined) out.currentA[i] = n;
        else if (!sv.phase) unphasedCurrent = n;
        break;
      }
      case 'SoC':
        out.socPercent = n;
        break;
      default:
        break;
    }
  }
  if (out.powerW === null) out.powerW = phasePower;
  if (out.currentA[0] === null) out.currentA[0] = unphasedCurrent;
  return out;
}
