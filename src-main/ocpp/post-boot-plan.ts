// What the post-boot setup asks of a charger (issue 8 #11), decided from the configuration it
// just reported (GetConfiguration) rather than assumed: only keys it has and may change, only
// measurands it can measure, no more than it can take, nothing it already holds.
import type { z } from 'zod';
import type { measurandSchema } from '../../src-shared/ocpp/types';

type Measurand = z.infer<typeof measurandSchema>;

export interface ReportedKey {
  value: string | null;
  readonly: boolean;
}

/** One ChangeConfiguration to send, or why it is not sent (null: nothing to do). */
export type Change =
  | { send: true; key: string; value: string; fallback: string | null }
  | { send: false; key: string; value: string | null; reason: string };

/** SoC comes over the DC plug's digital link; an AC (IEC 61851 PWM) charger cannot know it. */
const DC_PLUG = /ccs|combo|chademo|gb\/?t|dc/i;
export function isDcCharger(connectorTypes: readonly (string | null)[]): boolean {
  return connectorTypes.some((t) => t !== null && DC_PLUG.test(t));
}

const list = (v: string | null | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/**
 * The measurands to ask for: the configured ones, without SoC on an AC charger (unless it
 * already reports SoC), capped at the charger's MeterValuesSampledDataMaxLength, energy first.
 */
export function sampledDataChange(
  reported: ReadonlyMap<string, ReportedKey>,
  wanted: readonly Measurand[],
  dc: boolean,
): Change | null {
  const key = 'MeterValuesSampledData';
  const current = reported.get(key);
  if (!current) return { send: false, key, value: null, reason: 'not reported by the charger' };
  const has = list(current.value);
  let want: string[] = wanted.filter((m) => m !== 'SoC' || dc || has.includes('SoC'));
  // The register bills the session: first, so a short list keeps it.
  want.sort(
    (a, b) =>
      Number(b === 'Energy.Active.Import.Register') - Number(a === 'Energy.Active.Import.Register'),
  );
  const max = Number(reported.get('MeterValuesSampledDataMaxLength')?.value ?? '');
  if (Number.isInteger(max) && max > 0) want = want.slice(0, max);
  const value = want.join(',');
  if (value === has.join(',')) return null;
  if (current.readonly) return { send: false, key, value, reason: 'read-only on the charger' };
  // If refused, the measurands the charger already samples (plus the register) may be taken.
  const fallback = want
    .filter((m) => has.includes(m) || m === 'Energy.Active.Import.Register')
    .join(',');
  const useful = fallback !== '' && fallback !== value && fallback !== has.join(',');
  return { send: true, key, value, fallback: useful ? fallback : null };
}

/** MeterValueSampleInterval, if the charger has it, may change it, and holds another value. */
export function sampleIntervalChange(
  reported: ReadonlyMap<string, ReportedKey>,
  seconds: number,
): Change | null {
  const key = 'MeterValueSampleInterval';
  const value = String(seconds);
  const current = reported.get(key);
  if (!current) return { send: false, key, value, reason: 'not reported by the charger' };
  if (current.value?.trim() === value) return null;
  if (current.readonly) return { send: false, key, value, reason: 'read-only on the charger' };
  return { send: true, key, value, fallback: null };
}

/**
 * Whether to send the card list: unless the charger's SupportedFeatureProfiles (when it
 * reports them) leaves out LocalAuthListManagement.
 */
export function supportsLocalList(reported: ReadonlyMap<string, ReportedKey>): boolean {
  const profiles = reported.get('SupportedFeatureProfiles');
  if (!profiles?.value) return true;
  return list(profiles.value).includes('LocalAuthListManagement');
}
