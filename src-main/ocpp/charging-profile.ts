// A charging profile as the API and other domains hold it (times as UTC epoch ms) in its
// OCPP 1.6 form (§7.8 ChargingProfile, times as ISO 8601), for SetChargingProfile and
// RemoteStartTransaction.
import type { ChargingProfile } from '../../src-shared/ocpp/types';

const iso = (ms: number) => new Date(ms).toISOString();

export function profileToOcpp(p: ChargingProfile): Record<string, unknown> {
  const { validFrom, validTo, chargingSchedule, ...rest } = p;
  const { startSchedule, ...schedule } = chargingSchedule;
  return {
    ...rest,
    ...(validFrom !== undefined ? { validFrom: iso(validFrom) } : {}),
    ...(validTo !== undefined ? { validTo: iso(validTo) } : {}),
    chargingSchedule: {
      ...schedule,
      ...(startSchedule !== undefined ? { startSchedule: iso(startSchedule) } : {}),
    },
  };
}
