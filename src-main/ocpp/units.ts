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

export const toIso = (ms: number) => new Date(ms).toISOString();
