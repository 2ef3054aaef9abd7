// The OCPP 1.6 side of the controller: what a charger accepts (from its own configuration keys),
// the SetChargingProfile requests it is sent, and the safe fallback every charger gets at boot.
//
// Why TxDefaultProfile on connector 0 as the fallback and not ChargePointMaxProfile: the effective
// limit is min(ChargePointMax, TxProfile else TxDefault) (§3.13.2), so a ChargePointMax at the
// fallback would also cap every dynamic TxProfile above it; a TxDefault is overridden by the
// TxProfile while we can reach the charger, and is what it falls back to when we cannot.
import type { ElectricalModel } from '../../src-shared/balancing/model';
import type { OcppOperations } from '../ocpp/gateway';
import type { ChargerCaps } from './ledger-store';
import { capacities, compile } from './topology';

type SetProfile = OcppOperations['SetChargingProfile']['req'];

/** Profile ids of ours: the fallback, and one TxProfile per connector (replaced in place). */
export const FALLBACK_PROFILE_ID = 9100;
export const txProfileId = (connectorNumber: number) => 9200 + connectorNumber;

/**
 * ChargingScheduleAllowedChargingRateUnit ("Current", "Power", "Current,Power") and
 * ChargeProfileMaxStackLevel, as last reported; A unless the charger accepts only W.
 */
export function capsFromConfiguration(
  configuration: readonly { key: string; value: string | null }[],
): Pick<ChargerCaps, 'unit' | 'maxStackLevel'> | null {
  const get = (k: string) => configuration.find((c) => c.key === k)?.value ?? null;
  const units = get('ChargingScheduleAllowedChargingRateUnit');
  const stack = get('ChargeProfileMaxStackLevel');
  if (units === null && stack === null) return null;
  const list = (units ?? 'Current').split(',').map((u) => u.trim().toLowerCase());
  const unit = !list.includes('current') && list.includes('power') ? 'W' : 'A';
  const n = Number(stack);
  return { unit, maxStackLevel: Number.isInteger(n) && n >= 0 ? n : 0 };
}

function schedule(caps: ChargerCaps, limitA: number, phases: number, voltage: number) {
  return {
    chargingRateUnit: caps.unit,
    chargingSchedulePeriod: [
      {
        startPeriod: 0,
        // W is the total over the phases the charger is wired to; rounded down (never above).
        limit: caps.unit === 'W' ? Math.floor(limitA * voltage * phases) : limitA,
        numberPhases: phases,
      },
    ],
  };
}

export function txProfileRequest(
  caps: ChargerCaps,
  connectorNumber: number,
  transactionId: number,
  limitA: number,
  phases: number,
  voltage: number,
): SetProfile {
  return {
    connectorId: connectorNumber,
    csChargingProfiles: {
      chargingProfileId: txProfileId(connectorNumber),
      transactionId,
      // Our TxProfile always at the same level, so a new one replaces the last (§3.13.1).
      stackLevel: Math.min(1, caps.maxStackLevel),
      chargingProfilePurpose: 'TxProfile',
      chargingProfileKind: 'Relative',
      chargingSchedule: schedule(caps, limitA, phases, voltage),
    },
  };
}

export function fallbackRequest(
  caps: ChargerCaps,
  limitA: number,
  phases: number,
  voltage: number,
): SetProfile {
  return {
    connectorId: 0,
    csChargingProfiles: {
      chargingProfileId: FALLBACK_PROFILE_ID,
      stackLevel: 0,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Relative',
      chargingSchedule: schedule(caps, limitA, phases, voltage),
    },
  };
}

const floorTenth = (a: number) => Math.floor(a * 10 + 1e-7) / 10;

/**
 * One limit per connector that keeps every node within its capacity (with the assumed, worst-case
 * building loads) even if every connector draws it at once, after what we cannot steer
 * (`fixed`: connectors counted at their full rating). At least the minimum current, or 0.
 */
export function safeFallbackA(
  model: ElectricalModel,
  connectors: readonly { stationId: string; ratingA: number; fixed: boolean }[],
): number {
  const t = compile(model);
  const cap = capacities(t);
  const count = new Float64Array(cap.length);
  let x = Infinity;
  for (const c of connectors) {
    const st = t.stations.get(c.stationId);
    if (!st) continue;
    for (const node of st.path)
      for (const p of st.phases) {
        const k = node * 3 + p;
        if (c.fixed) cap[k] = (cap[k] ?? 0) - c.ratingA;
        else count[k] = (count[k] ?? 0) + 1;
      }
    if (!c.fixed) x = Math.min(x, c.ratingA);
  }
  for (let k = 0; k < cap.length; k++)
    if ((count[k] ?? 0) > 0) x = Math.min(x, Math.max(0, cap[k] ?? 0) / (count[k] ?? 1));
  if (!Number.isFinite(x)) return 0;
  const a = floorTenth(x);
  return a >= model.policy.minCurrentA ? a : 0;
}
