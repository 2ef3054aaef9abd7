// OCPP 1.6J vocabulary shared by the core and the UI (OCPP 1.6 edition 2, section 7 "Types").
// Runtime-neutral: enums as const tuples + zod schemas; the core converts API epoch-ms times to
// the ISO 8601 strings OCPP puts on the wire.
import { z } from 'zod';
import { oneDecimal } from '../validation';

/** 7.7 ChargePointStatus. */
export const CHARGE_POINT_STATUSES = [
  'Available',
  'Preparing',
  'Charging',
  'SuspendedEVSE',
  'SuspendedEV',
  'Finishing',
  'Reserved',
  'Unavailable',
  'Faulted',
] as const;
export type ChargePointStatus = (typeof CHARGE_POINT_STATUSES)[number];

/** 7.6 ChargePointErrorCode. Anything but NoError becomes an alarm. */
export const CHARGE_POINT_ERROR_CODES = [
  'ConnectorLockFailure',
  'EVCommunicationError',
  'GroundFailure',
  'HighTemperature',
  'InternalError',
  'LocalListConflict',
  'NoError',
  'OtherError',
  'OverCurrentFailure',
  'OverVoltage',
  'PowerMeterFailure',
  'PowerSwitchFailure',
  'ReaderFailure',
  'ResetFailure',
  'UnderVoltage',
  'WeakSignal',
] as const;
export type ChargePointErrorCode = (typeof CHARGE_POINT_ERROR_CODES)[number];

/** 7.15 AuthorizationStatus. */
export const AUTHORIZATION_STATUSES = [
  'Accepted',
  'Blocked',
  'Expired',
  'Invalid',
  'ConcurrentTx',
] as const;
export type AuthorizationStatus = (typeof AUTHORIZATION_STATUSES)[number];

/** Statuses a card in our own database can have (Invalid/ConcurrentTx are computed). */
export const ID_TAG_STATUSES = ['Accepted', 'Blocked', 'Expired'] as const;
export const idTagStatusSchema = z.enum(ID_TAG_STATUSES);

/** 7.31 Measurand. */
export const MEASURANDS = [
  'Current.Export',
  'Current.Import',
  'Current.Offered',
  'Energy.Active.Export.Register',
  'Energy.Active.Import.Register',
  'Energy.Reactive.Export.Register',
  'Energy.Reactive.Import.Register',
  'Energy.Active.Export.Interval',
  'Energy.Active.Import.Interval',
  'Energy.Reactive.Export.Interval',
  'Energy.Reactive.Import.Interval',
  'Frequency',
  'Power.Active.Export',
  'Power.Active.Import',
  'Power.Factor',
  'Power.Offered',
  'Power.Reactive.Export',
  'Power.Reactive.Import',
  'RPM',
  'SoC',
  'Temperature',
  'Voltage',
] as const;
export const measurandSchema = z.enum(MEASURANDS);

/** 7.44 MessageTrigger. */
export const TRIGGER_MESSAGES = [
  'BootNotification',
  'DiagnosticsStatusNotification',
  'FirmwareStatusNotification',
  'Heartbeat',
  'MeterValues',
  'StatusNotification',
] as const;
export const triggerMessageSchema = z.enum(TRIGGER_MESSAGES);

export const RESET_TYPES = ['Soft', 'Hard'] as const;
export const AVAILABILITY_TYPES = ['Operative', 'Inoperative'] as const;
export const CHARGING_PROFILE_PURPOSES = [
  'ChargePointMaxProfile',
  'TxDefaultProfile',
  'TxProfile',
] as const;
export const CHARGING_PROFILE_KINDS = ['Absolute', 'Recurring', 'Relative'] as const;
export const RECURRENCY_KINDS = ['Daily', 'Weekly'] as const;
export const CHARGING_RATE_UNITS = ['A', 'W'] as const;

/** Every message a central system can send (OCPP 1.6 sections 5.1-5.19). */
export const CENTRAL_SYSTEM_ACTIONS = [
  'CancelReservation',
  'ChangeAvailability',
  'ChangeConfiguration',
  'ClearCache',
  'ClearChargingProfile',
  'DataTransfer',
  'GetCompositeSchedule',
  'GetConfiguration',
  'GetDiagnostics',
  'GetLocalListVersion',
  'RemoteStartTransaction',
  'RemoteStopTransaction',
  'ReserveNow',
  'Reset',
  'SendLocalList',
  'SetChargingProfile',
  'TriggerMessage',
  'UnlockConnector',
  'UpdateFirmware',
] as const;
export type CentralSystemAction = (typeof CENTRAL_SYSTEM_ACTIONS)[number];

/** Every message a charge point sends (OCPP 1.6 sections 4.1-4.10). */
export const CHARGE_POINT_ACTIONS = [
  'Authorize',
  'BootNotification',
  'DataTransfer',
  'DiagnosticsStatusNotification',
  'FirmwareStatusNotification',
  'Heartbeat',
  'MeterValues',
  'StartTransaction',
  'StatusNotification',
  'StopTransaction',
] as const;
export type ChargePointAction = (typeof CHARGE_POINT_ACTIONS)[number];

/**
 * 7.8 ChargingProfile, with API conventions: times are UTC epoch ms (the core sends ISO 8601).
 * `limit` is A per phase or W total depending on `chargingRateUnit`.
 */
export const chargingSchedulePeriodSchema = z
  .object({
    startPeriod: z.number().int().min(0),
    limit: oneDecimal.min(0),
    numberPhases: z.number().int().min(1).max(3).optional(),
  })
  .strict();

export const chargingScheduleSchema = z
  .object({
    duration: z.number().int().min(0).optional(),
    startSchedule: z.number().int().optional(),
    chargingRateUnit: z.enum(CHARGING_RATE_UNITS),
    // OCPP 1.6 has no upper bound; 48 periods cover a day in half hours with room to spare.
    chargingSchedulePeriod: z.array(chargingSchedulePeriodSchema).min(1).max(100),
    minChargingRate: oneDecimal.min(0).optional(),
  })
  .strict();

export const chargingProfileSchema = z
  .object({
    chargingProfileId: z.number().int(),
    transactionId: z.number().int().optional(),
    stackLevel: z.number().int().min(0),
    chargingProfilePurpose: z.enum(CHARGING_PROFILE_PURPOSES),
    chargingProfileKind: z.enum(CHARGING_PROFILE_KINDS),
    recurrencyKind: z.enum(RECURRENCY_KINDS).optional(),
    validFrom: z.number().int().optional(),
    validTo: z.number().int().optional(),
    chargingSchedule: chargingScheduleSchema,
  })
  .strict();
export type ChargingProfile = z.infer<typeof chargingProfileSchema>;

/** Whether the server flagged a transaction: see docs/ocpp.md "Transactions". */
export const TRANSACTION_FLAGS = ['suspect', 'review'] as const;
export const TRANSACTION_FILTER_STATUSES = ['active', 'completed', 'suspect', 'review'] as const;

export const transactionSchema = z.object({
  /** Our id, which is also the OCPP transactionId given to the charger. */
  id: z.number(),
  stationId: z.number().nullable(),
  siteId: z.number().nullable(),
  identity: z.string(),
  connectorNumber: z.number(),
  idTag: z.string(),
  /** The transactionId the charger used when it is not one we issued (server data loss). */
  chargerTransactionId: z.number().nullable(),
  status: z.enum(['active', 'completed']),
  flag: z.enum(TRANSACTION_FLAGS).nullable(),
  flagReason: z.string().nullable(),
  startedAt: z.number(),
  stoppedAt: z.number().nullable(),
  meterStartWh: z.number(),
  meterStopWh: z.number().nullable(),
  /** meterStop − meterStart, or the latest register reading while active. */
  energyWh: z.number().nullable(),
  stopReason: z.string().nullable(),
  stopIdTag: z.string().nullable(),
  reservationId: z.number().nullable(),
  lastMessageAt: z.number(),
});
export type Transaction = z.infer<typeof transactionSchema>;

/** One sampled value, raw as the charger sent it plus the normalised number. */
/** One SampledValue as the charger sent it (OCPP 1.6 §7.45; value is text, or signed data). */
export const sampledValueSchema = z.object({
  value: z.string(),
  context: z.string().optional(),
  format: z.string().optional(),
  measurand: z.string().optional(),
  phase: z.string().optional(),
  location: z.string().optional(),
  unit: z.string().optional(),
});
export type SampledValue = z.infer<typeof sampledValueSchema>;

/**
 * One meter sample (a MeterValue element): every sampled value as received, and the quantities
 * read from them (kWh/kW converted; null when the charger did not send that measurand).
 */
export const meterSampleSchema = z.object({
  id: z.number(),
  stationId: z.number().nullable(),
  transactionId: z.number().nullable(),
  connectorNumber: z.number(),
  timestamp: z.number(),
  /** Energy.Active.Import.Register, integer Wh. */
  energyWh: z.number().nullable(),
  /** Power.Active.Import, W (the sum of the phases when only those were sent). */
  powerW: z.number().nullable(),
  /** Current.Import per phase, A. */
  currentA: z.object({
    L1: z.number().nullable(),
    L2: z.number().nullable(),
    L3: z.number().nullable(),
  }),
  socPercent: z.number().nullable(),
  /** As sent (raw text values, units and contexts: invoices trace back to these). */
  sampledValue: z.array(sampledValueSchema),
});
export type MeterSample = z.infer<typeof meterSampleSchema>;

export const ocppLogEntrySchema = z.object({
  id: z.number(),
  at: z.number(),
  stationId: z.number().nullable(),
  identity: z.string(),
  /** Who initiated the exchange: in = charger → us, out = us → charger. */
  direction: z.enum(['in', 'out']),
  /**
   * One entry per exchange (a CALL and its answer): result / error = how it was answered,
   * call = never answered (timeout, disconnect). A frame belonging to no exchange (a late
   * answer, garbage) is an entry of its own with its frame type.
   */
  kind: z.enum(['call', 'result', 'error']),
  action: z.string().nullable(),
  messageId: z.string().nullable(),
  /** The CALL's payload (a stray frame: its content). */
  payload: z.unknown(),
  /** The answer: the CALLRESULT payload, or [errorCode, errorDescription, errorDetails]. */
  response: z.unknown(),
  respondedAt: z.number().nullable(),
});
export type OcppLogEntry = z.infer<typeof ocppLogEntrySchema>;

export const idTagSchema = z.object({
  idTag: z.string(),
  status: idTagStatusSchema,
  expiryDate: z.number().nullable(),
  parentIdTag: z.string().nullable(),
  label: z.string().nullable(),
  userId: z.number().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type IdTag = z.infer<typeof idTagSchema>;

export const chargerAttemptSchema = z.object({
  identity: z.string(),
  ip: z.string().nullable(),
  count: z.number(),
  firstAt: z.number(),
  lastAt: z.number(),
  /** Why it was refused: unknown identity, wrong password, profile mismatch, ... */
  reason: z.string(),
  /** Whether "Adopt" can register it as a station. */
  adoptable: z.boolean(),
  /** Why it cannot be adopted (null when it can): invalid id, wrong OCPP version, registered. */
  notAdoptable: z.string().nullable(),
});
export type ChargerAttempt = z.infer<typeof chargerAttemptSchema>;

export const tlsStatusSchema = z.object({
  /** null when no TLS listener is configured. */
  port: z.number().nullable(),
  url: z.string().nullable(),
  source: z.enum(['imported', 'self-signed', 'file']).nullable(),
  subject: z.string().nullable(),
  validTo: z.number().nullable(),
  fingerprint256: z.string().nullable(),
});
export type TlsStatus = z.infer<typeof tlsStatusSchema>;

/** What to type into a charger: one URL per LAN address of this machine (IPv4 first). */
export const chargerUrlsSchema = z.object({
  ocpp: z.array(z.string()),
  /** Empty when the service runs without a TLS port (--tls-port). */
  tls: z.array(z.string()),
});

export const ocppSettingsSchema = z.object({
  heartbeatIntervalSeconds: z.number().int().min(10).max(86_400),
  meterSampleIntervalSeconds: z.number().int().min(0).max(3_600),
  sampledMeasurands: z.array(measurandSchema).min(1).max(MEASURANDS.length),
  /** A station with no message for this long is marked offline. */
  offlineAfterSeconds: z.number().int().min(30).max(86_400),
  /** An active transaction with no message for this long is marked suspect. */
  transactionSuspectMinutes: z.number().int().min(5).max(43_200),
  messageLogRetentionDays: z.number().int().min(1).max(3_650),
});
export type OcppSettings = z.infer<typeof ocppSettingsSchema>;

export const DEFAULT_OCPP_SETTINGS: OcppSettings = {
  heartbeatIntervalSeconds: 300,
  meterSampleIntervalSeconds: 60,
  sampledMeasurands: [
    'Energy.Active.Import.Register',
    'Power.Active.Import',
    'Current.Import',
    'Voltage',
    'SoC',
  ],
  offlineAfterSeconds: 720,
  transactionSuspectMinutes: 24 * 60,
  messageLogRetentionDays: 90,
};
