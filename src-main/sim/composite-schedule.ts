// The simulated charger's answer to GetCompositeSchedule (OCPP 1.6 §5.7, §3.13.4): the limit in
// force on a connector over the requested duration, as the periods where it changes — every
// profile's validity, schedule periods, end of its duration and, for Recurring ones, each
// recurrence, combined by the same rules as the limit in force now (charging-profiles.ts). A
// time with no limit from any profile gets the charger's own maximum. Connector 0 is the charge
// point as a whole (its ChargePointMax and connector 0's TxDefault).
import type { InstalledProfile, SimChargingProfiles } from './charging-profiles';

const DAY_MS = 86_400_000;

export interface CompositeRequest {
  connectorId: number;
  /** Whether the connector's transaction runs (a TxProfile counts only then). */
  charging: boolean;
  txStartedAt: number | null;
  from: number;
  durationS: number;
  unit: 'A' | 'W';
  maxCurrentA: number;
  voltage: number;
  phases: number;
}

export interface CompositeSchedule {
  duration: number;
  chargingRateUnit: 'A' | 'W';
  chargingSchedulePeriod: { startPeriod: number; limit: number; numberPhases?: number }[];
}

/** The moments in [from, to) where this profile's limit may change. */
function breakpoints(p: InstalledProfile, from: number, to: number, txStart: number): number[] {
  const out: number[] = [];
  const add = (t: number) => {
    if (t > from && t < to) out.push(t);
  };
  if (p.validFrom !== null) add(p.validFrom);
  if (p.validTo !== null) add(p.validTo);
  const run = (start: number) => {
    for (const period of p.periods) add(start + period.startS * 1000);
    if (p.durationS !== null) add(start + p.durationS * 1000);
  };
  if (p.kind === 'Recurring') {
    const start = p.startSchedule ?? p.installedAt;
    const every = p.recurrency === 'Weekly' ? 7 * DAY_MS : DAY_MS;
    const first = Math.max(0, Math.floor((from - start) / every));
    for (let k = first; start + k * every < to; k++) run(start + k * every);
  } else run(p.kind === 'Relative' ? txStart : (p.startSchedule ?? p.installedAt));
  return out;
}

export function compositeSchedule(
  smart: SimChargingProfiles,
  r: CompositeRequest,
): CompositeSchedule {
  const to = r.from + r.durationS * 1000;
  // Without a transaction a Relative schedule is counted from the start of the request.
  const txStart = r.txStartedAt ?? r.from;
  const relevant = smart.installed.filter(
    (p) => p.connectorId === 0 || p.connectorId === r.connectorId,
  );
  const moments = [r.from, ...relevant.flatMap((p) => breakpoints(p, r.from, to, txStart))];
  const unique = [...new Set(moments)].sort((a, b) => a - b);
  const toUnit = (a: number) =>
    r.unit === 'W' ? Math.round(a * r.voltage * r.phases) : Math.round(a * 10) / 10;
  const periods: CompositeSchedule['chargingSchedulePeriod'] = [];
  for (const at of unique) {
    const a = smart.limitA(r.connectorId, r.charging, txStart, at) ?? r.maxCurrentA;
    const limit = toUnit(Math.min(a, r.maxCurrentA));
    // §7.13: startPeriod in whole seconds from the schedule's start.
    const startPeriod = Math.floor((at - r.from) / 1000);
    const last = periods[periods.length - 1];
    if (last && last.limit === limit) continue;
    if (last && last.startPeriod === startPeriod) last.limit = limit;
    else
      periods.push({
        startPeriod,
        limit,
        ...(r.unit === 'W' ? { numberPhases: r.phases } : {}),
      });
  }
  return { duration: r.durationS, chargingRateUnit: r.unit, chargingSchedulePeriod: periods };
}
