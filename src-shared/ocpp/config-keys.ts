// The standard OCPP 1.6 configuration keys (OCPP 1.6 edition 2 §9, and the 1.6 Security
// Whitepaper's keys), one table for the core and the UI: a value is checked against its key's
// type and range before it is sent to a charger (issue 8 #12), and secret keys' values are
// never stored or shown (issue 7 #6). Keys not in the table (vendor keys) are passed through
// unchecked, except that a vendor key whose name says it is a secret is treated as one.
import { MEASURANDS } from './types';

export type ConfigKeyType = 'integer' | 'boolean' | 'csl' | 'string';

export interface StandardConfigKey {
  type: ConfigKeyType;
  /** Read-only for the central system (the charger's answer to a change is Rejected). */
  readonly: boolean;
  min?: number;
  max?: number;
  /** What an integer counts, in words ("seconds"). */
  unit?: string;
  /** The values a comma-separated list may contain. */
  items?: readonly string[];
  minLength?: number;
  maxLength?: number;
  /** Write-only secret: never stored, logged or shown. */
  secret?: boolean;
}

const int = (min: number, max: number, unit?: string, readonly = false): StandardConfigKey => ({
  type: 'integer',
  readonly,
  min,
  max,
  ...(unit ? { unit } : {}),
});
const readOnlyInt: StandardConfigKey = { type: 'integer', readonly: true };
const bool: StandardConfigKey = { type: 'boolean', readonly: false };
const readOnlyBool: StandardConfigKey = { type: 'boolean', readonly: true };
const measurands: StandardConfigKey = { type: 'csl', readonly: false, items: MEASURANDS };
const DAY = 86_400;

/** Feature profiles a charger may list in SupportedFeatureProfiles (§3.2). */
export const FEATURE_PROFILES = [
  'Core',
  'FirmwareManagement',
  'LocalAuthListManagement',
  'Reservation',
  'SmartCharging',
  'RemoteTrigger',
] as const;

export const STANDARD_CONFIG_KEYS: Readonly<Record<string, StandardConfigKey>> = {
  // §9.1 Core profile
  AllowOfflineTxForUnknownId: bool,
  AuthorizationCacheEnabled: bool,
  AuthorizeRemoteTxRequests: bool,
  BlinkRepeat: int(0, 1000, 'times'),
  ClockAlignedDataInterval: int(0, DAY, 'seconds'),
  ConnectionTimeOut: int(1, 3600, 'seconds'),
  ConnectorPhaseRotation: { type: 'csl', readonly: false },
  ConnectorPhaseRotationMaxLength: readOnlyInt,
  GetConfigurationMaxKeys: readOnlyInt,
  HeartbeatInterval: int(1, DAY, 'seconds'),
  LightIntensity: int(0, 100, 'percent'),
  LocalAuthorizeOffline: bool,
  LocalPreAuthorize: bool,
  MaxEnergyOnInvalidId: int(0, 1_000_000, 'Wh'),
  MeterValuesAlignedData: measurands,
  MeterValuesAlignedDataMaxLength: readOnlyInt,
  MeterValuesSampledData: measurands,
  MeterValuesSampledDataMaxLength: readOnlyInt,
  MeterValueSampleInterval: int(0, DAY, 'seconds'),
  MinimumStatusDuration: int(0, 3600, 'seconds'),
  NumberOfConnectors: readOnlyInt,
  ResetRetries: int(0, 100, 'times'),
  StopTransactionOnEVSideDisconnect: bool,
  StopTransactionOnInvalidId: bool,
  StopTxnAlignedData: measurands,
  StopTxnAlignedDataMaxLength: readOnlyInt,
  StopTxnSampledData: measurands,
  StopTxnSampledDataMaxLength: readOnlyInt,
  SupportedFeatureProfiles: { type: 'csl', readonly: true, items: FEATURE_PROFILES },
  SupportedFeatureProfilesMaxLength: readOnlyInt,
  TransactionMessageAttempts: int(0, 100, 'times'),
  TransactionMessageRetryInterval: int(0, DAY, 'seconds'),
  UnlockConnectorOnEVSideDisconnect: bool,
  WebSocketPingInterval: int(0, DAY, 'seconds'),
  // §9.2 Local Auth List Management profile
  LocalAuthListEnabled: bool,
  LocalAuthListMaxLength: readOnlyInt,
  SendLocalListMaxLength: readOnlyInt,
  // §9.3 Reservation profile
  ReserveConnectorZeroSupported: readOnlyBool,
  // §9.4 Smart Charging profile
  ChargeProfileMaxStackLevel: readOnlyInt,
  ChargingScheduleAllowedChargingRateUnit: {
    type: 'csl',
    readonly: true,
    items: ['Current', 'Power'],
  },
  ChargingScheduleMaxPeriods: readOnlyInt,
  ConnectorSwitch3to1PhaseSupported: readOnlyBool,
  MaxChargingProfilesInstalled: readOnlyInt,
  // OCPP 1.6 Security Whitepaper
  AdditionalRootCertificateCheck: readOnlyBool,
  // The Basic-auth password (security profiles 1 and 2): write-only; the same length the
  // station form requires.
  AuthorizationKey: { type: 'string', readonly: false, secret: true, minLength: 16, maxLength: 40 },
  CertificateSignedMaxChainSize: readOnlyInt,
  CertificateStoreMaxLength: readOnlyInt,
  CpoName: { type: 'string', readonly: false, maxLength: 500 },
  SecurityProfile: int(0, 3),
};

/**
 * Vendor keys whose names say they hold a secret (WifiPassword, BackendAuthKey, ApiToken,
 * ModemPin, ...): treated like AuthorizationKey.
 */
const SECRET_NAME =
  /passw(or)?d|passphrase|secret|auth(orization)?_?key|token|api_?key|private_?key|psk|simpin/i;

/** Whether a configuration key's value is a secret: never stored, logged, audited or shown. */
export function isSecretConfigKey(key: string): boolean {
  return STANDARD_CONFIG_KEYS[key]?.secret === true || SECRET_NAME.test(key);
}

/** What is stored and shown instead of a secret key's value. */
export const REDACTED = '[redacted]';

/** A key's value as it may be stored or shown. */
export function shownConfigValue(key: string, value: string | null): string | null {
  return value !== null && isSecretConfigKey(key) ? REDACTED : value;
}

export type ConfigCheck = { ok: true; value: string } | { ok: false; message: string };

const fmt = (n: number) => n.toLocaleString('en-AU');

/**
 * Checks a value for a configuration key before it is sent to a charger: a standard key's
 * type, range and read-only state (in words naming the key); a vendor key's value as is.
 * The value returned is normalised (trimmed; booleans lower-case; lists without spaces).
 */
export function checkConfigValue(key: string, raw: string): ConfigCheck {
  const def = STANDARD_CONFIG_KEYS[key];
  const value = raw.trim();
  if (!def) return { ok: true, value: raw };
  if (def.readonly)
    return { ok: false, message: `${key} is read-only: the charger sets it itself.` };
  switch (def.type) {
    case 'integer': {
      const range =
        def.min !== undefined && def.max !== undefined
          ? ` from ${fmt(def.min)} to ${fmt(def.max)}${def.unit ? ` ${def.unit}` : ''}`
          : '';
      if (!/^\d+$/.test(value))
        return { ok: false, message: `${key} must be a whole number${range}.` };
      const n = Number(value);
      if ((def.min !== undefined && n < def.min) || (def.max !== undefined && n > def.max))
        return { ok: false, message: `${key} must be a whole number${range}.` };
      return { ok: true, value: String(n) };
    }
    case 'boolean': {
      const v = value.toLowerCase();
      if (v !== 'true' && v !== 'false')
        return { ok: false, message: `${key} must be true or false.` };
      return { ok: true, value: v };
    }
    case 'csl': {
      const items = value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      if (def.items) {
        const known = def.items;
        const bad = items.filter((i) => !known.includes(i));
        if (bad.length)
          return {
            ok: false,
            message: `${key}: ${bad.join(', ')} ${bad.length === 1 ? 'is not one' : 'are not'} of ${known.join(', ')}.`,
          };
      }
      return { ok: true, value: items.join(',') };
    }
    case 'string': {
      if (def.minLength !== undefined && value.length < def.minLength)
        return { ok: false, message: `${key} must be at least ${def.minLength} characters.` };
      if (def.maxLength !== undefined && value.length > def.maxLength)
        return { ok: false, message: `${key} must be at most ${def.maxLength} characters.` };
      return { ok: true, value };
    }
  }
}

/** ChangeConfiguration answers (§7.6 ConfigurationStatus), in a few words for a badge. */
export const CONFIG_STATUS_LABELS: Readonly<Record<string, string>> = {
  Accepted: 'Accepted',
  RebootRequired: 'Accepted, applies after a reset',
  Rejected: 'Refused by the charger',
  NotSupported: 'Key not supported',
};

/** ChangeConfiguration answers in a sentence for the operator. */
export const CONFIG_STATUS_WORDS: Readonly<Record<string, string>> = {
  Accepted: 'The charger saved the value and uses it now.',
  RebootRequired: 'The charger saved the value; it takes effect after the charger is reset.',
  Rejected: 'The charger refused the value (out of range or not allowed). It keeps the old one.',
  NotSupported: 'The charger does not know this key.',
};
