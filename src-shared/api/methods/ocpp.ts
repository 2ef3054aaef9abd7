// OCPP methods: charger adoption and commissioning, OCPP settings and TLS, every central-system
// operation of OCPP 1.6 (sections 5.1-5.19), transactions, the OCPP message log, and id tags.
//
// Every charger operation answers `{ status: <the charger's status string>, ... }` when the
// charger answered, or fails with one of:
// - 'charger-offline': the station has no open connection;
// - 'timeout': the charger did not answer in time;
// - 'charger-rejected': the charger answered with a CALLERROR (e.g. NotImplemented, NotSupported).
// A `status` of 'Rejected' is a normal answer, not an error.
import { z } from 'zod';
import { method } from '../define';
import { STAFF_ROLES } from '../../roles';
import {
  LIMITS,
  chargerIdentitySchema,
  filterText,
  idSchema,
  nameSchema,
  optionalText,
} from '../../validation';
import {
  AVAILABILITY_TYPES,
  CHARGING_PROFILE_PURPOSES,
  CHARGING_RATE_UNITS,
  RESET_TYPES,
  TRANSACTION_FILTER_STATUSES,
  chargerAttemptSchema,
  chargerUrlsSchema,
  chargingProfileSchema,
  chargingScheduleSchema,
  idTagSchema,
  idTagStatusSchema,
  meterSampleSchema,
  ocppLogEntrySchema,
  ocppSettingsSchema,
  tlsStatusSchema,
  transactionSchema,
  triggerMessageSchema,
} from '../../ocpp/types';
import { pageInput, pageOutput } from '../paging';

const empty = z.object({}).strict();
const done = z.object({ ok: z.literal(true) });
const stationRef = { stationId: idSchema };
const connectorNumber = z.number().int().min(0).max(8);
/** OCPP 1.6 IdToken is CiString20Type. */
const idTagText = z.string().trim().min(1).max(20);
const status = z.string();
const paging = pageInput(100);

/** What the message log is filtered by: the list (paged) and its CSV export (every row). */
const ocppLogFilterShape = {
  stationId: idSchema.optional(),
  identity: filterText(),
  action: filterText(),
  direction: z.enum(['in', 'out']).optional(),
  /** Substring of the CALL or its answer, taken literally. */
  text: filterText(),
  from: z.number().optional(),
  to: z.number().optional(),
};
export const ocppLogFilterSchema = z.object(ocppLogFilterShape).strict();

const commissioningSchema = z.object({
  /** Epoch ms until which unknown chargers are registered automatically; null = closed. */
  openUntil: z.number().nullable(),
  open: z.boolean(),
  /** Where new chargers are registered (null names: a site the caller may not see). */
  siteId: z.number().nullable(),
  siteName: z.string().nullable(),
  floorId: z.number().nullable(),
  floorName: z.string().nullable(),
});

const fileStatusSchema = z.object({ status, at: z.number() });

const configKeySchema = z.object({
  key: z.string(),
  value: z.string().nullable(),
  readonly: z.boolean(),
});

/** A value the post-boot setup wanted and the charger did not take (docs/ocpp.md). */
export const configRefusalSchema = z.object({
  key: z.string(),
  /** The value asked for (null: not asked). */
  value: z.string().nullable(),
  /** The charger's answer (Rejected, NotSupported, ...) or why it was not asked. */
  answer: z.string(),
  at: z.number(),
});
export type ConfigRefusal = z.infer<typeof configRefusalSchema>;

const diagnosticsFileSchema = z.object({
  id: z.number(),
  stationId: z.number(),
  fileName: z.string(),
  sizeBytes: z.number(),
  receivedAt: z.number(),
});

const stationOperation = <T extends z.ZodRawShape>(shape: T) =>
  z.object({ ...stationRef, ...shape }).strict();

export const ocppMethods = {
  // ── Adoption and commissioning ─────────────────────────────────────────────────────────
  'charger-attempts-list': method({
    summary:
      'Chargers that tried to connect and were refused (unknown identity, bad password, ...).',
    access: STAFF_ROLES,
    audit: false,
    input: z.object({ ...pageInput(50) }).strict(),
    output: z.object({ ...pageOutput, attempts: z.array(chargerAttemptSchema) }),
  }),
  'charger-adopt': method({
    summary:
      'Registers a refused charger as an approved station on a site/floor; it is accepted on its next connection.',
    access: ['admin', 'site_admin'],
    audit: true,
    input: z
      .object({
        identity: chargerIdentitySchema,
        siteId: idSchema,
        floorId: idSchema.nullish(),
        name: nameSchema.optional(),
        connectorCount: z.number().int().min(1).max(8).default(1),
        securityProfile: z.number().int().min(0).max(2).default(0),
        password: z.string().min(16).max(40).nullish(),
      })
      .strict(),
    output: z.object({ stationId: z.number(), identity: z.string() }),
  }),
  'charger-attempt-dismiss': method({
    summary: 'Removes a refused charger from the attempts list.',
    access: STAFF_ROLES,
    audit: true,
    input: z.object({ identity: z.string().min(1).max(LIMITS.token) }).strict(),
    output: done,
  }),
  'commissioning-get': method({
    summary: 'Whether new chargers are registered automatically right now, and until when.',
    access: STAFF_ROLES,
    audit: false,
    input: empty,
    output: commissioningSchema,
  }),
  'commissioning-set': method({
    summary:
      'Opens the commissioning window for N minutes onto a site (and floor): unknown chargers that connect are registered there and approved. 0 closes it.',
    access: ['admin', 'site_admin'],
    audit: true,
    input: z
      .object({
        minutes: z
          .number()
          .int()
          .min(0)
          .max(7 * 24 * 60),
        siteId: idSchema.nullish(),
        floorId: idSchema.nullish(),
      })
      .strict()
      .superRefine((v, ctx) => {
        if (v.minutes > 0 && v.siteId == null)
          ctx.addIssue({
            code: 'custom',
            path: ['siteId'],
            message: 'Choose the site new chargers are registered on',
          });
      }),
    output: commissioningSchema,
  }),

  // ── Settings and TLS ───────────────────────────────────────────────────────────────────
  'ocpp-settings-get': method({
    summary: 'Heartbeat and meter sampling settings, timeouts, log retention and TLS status.',
    access: STAFF_ROLES,
    audit: false,
    input: empty,
    output: ocppSettingsSchema.extend({
      ocppUrl: z.string(),
      tls: tlsStatusSchema,
      chargerUrls: chargerUrlsSchema,
    }),
  }),
  'ocpp-settings-update': method({
    summary: 'Changes the OCPP settings (sent to chargers at their next boot).',
    access: ['admin'],
    audit: true,
    input: ocppSettingsSchema.partial().strict(),
    output: ocppSettingsSchema.extend({
      ocppUrl: z.string(),
      tls: tlsStatusSchema,
      chargerUrls: chargerUrlsSchema,
    }),
  }),
  'tls-certificate-import': method({
    summary: 'Installs a PEM certificate (chain) and private key for the wss listener.',
    access: ['admin'],
    audit: true,
    input: z
      .object({ certPem: z.string().min(1).max(100_000), keyPem: z.string().min(1).max(100_000) })
      .strict(),
    output: tlsStatusSchema,
  }),
  'tls-certificate-generate': method({
    summary: 'Generates and installs a self-signed certificate for the wss listener.',
    access: ['admin'],
    audit: true,
    input: z.object({ commonName: z.string().trim().min(1).max(200).optional() }).strict(),
    output: tlsStatusSchema,
  }),

  // ── Configuration keys (5.8 GetConfiguration, 5.3 ChangeConfiguration) ────────────────
  'station-config-get': method({
    summary:
      'The configuration keys stored from the charger’s last GetConfiguration; refresh = ask the charger now.',
    access: STAFF_ROLES,
    audit: false,
    input: stationOperation({ refresh: z.boolean().default(false) }),
    output: z.object({
      keys: z.array(configKeySchema),
      unknownKeys: z.array(z.string()),
      fetchedAt: z.number().nullable(),
      /** What the last post-boot setup could not set. */
      setupRefused: z.array(configRefusalSchema),
    }),
  }),
  'station-config-set': method({
    summary: 'Changes one configuration key on the charger.',
    access: STAFF_ROLES,
    audit: true,
    input: stationOperation({
      key: z.string().trim().min(1).max(50),
      value: z.string().max(500),
    }),
    // Accepted | Rejected | RebootRequired | NotSupported
    output: z.object({ status }),
  }),

  // ── Core operations ────────────────────────────────────────────────────────────────────
  'station-reset': method({
    summary: 'Soft or hard reset of the charger.',
    access: STAFF_ROLES,
    audit: true,
    input: stationOperation({ type: z.enum(RESET_TYPES) }),
    output: z.object({ status }),
  }),
  'station-unlock': method({
    summary: 'Unlocks a connector (releases a stuck cable).',
    access: STAFF_ROLES,
    audit: true,
    input: stationOperation({ connectorNumber: z.number().int().min(1).max(8) }),
    // Unlocked | UnlockFailed | NotSupported
    output: z.object({ status }),
  }),
  'station-remote-start': method({
    summary: 'Starts a transaction remotely for an id tag (optionally on one connector).',
    access: STAFF_ROLES,
    audit: true,
    input: stationOperation({
      connectorNumber: z.number().int().min(1).max(8).optional(),
      idTag: idTagText,
      chargingProfile: chargingProfileSchema.optional(),
    }),
    output: z.object({ status }),
  }),
  'station-remote-stop': method({
    summary: 'Stops a running transaction remotely.',
    access: STAFF_ROLES,
    audit: true,
    input: stationOperation({ transactionId: z.number().int() }),
    output: z.object({ status }),
  }),
  'station-availability-set': method({
    summary: 'Makes a connector (0 = the whole station) Operative or Inoperative.',
    access: STAFF_ROLES,
    audit: true,
    input: stationOperation({ connectorNumber, type: z.enum(AVAILABILITY_TYPES) }),
    // Accepted | Rejected | Scheduled
    output: z.object({ status }),
  }),
  'station-cache-clear': method({
    summary: 'Clears the charger’s authorization cache.',
    access: STAFF_ROLES,
    audit: true,
    input: stationOperation({}),
    output: z.object({ status }),
  }),
  'station-trigger': method({
    summary: 'Asks the charger to send a message now (TriggerMessage).',
    access: STAFF_ROLES,
    audit: true,
    input: stationOperation({
      message: triggerMessageSchema,
      connectorNumber: z.number().int().min(1).max(8).optional(),
    }),
    // Accepted | Rejected | NotImplemented
    output: z.object({ status }),
  }),
  'station-data-transfer': method({
    summary: 'Sends a vendor-specific DataTransfer.',
    access: STAFF_ROLES,
    audit: true,
    input: stationOperation({
      vendorId: z.string().trim().min(1).max(255),
      messageId: z.string().max(50).optional(),
      data: z.string().max(100_000).optional(),
    }),
    // Accepted | Rejected | UnknownMessageId | UnknownVendorId
    output: z.object({ status, data: z.string().nullable() }),
  }),

  // ── Firmware management (5.19 UpdateFirmware, 5.9 GetDiagnostics) ──────────────────────
  'station-firmware-update': method({
    summary:
      'Stores a firmware file, serves it on the OCPP port and tells the charger to install it (UpdateFirmware).',
    access: ['admin', 'site_admin', 'support'],
    audit: true,
    input: stationOperation({
      fileName: z
        .string()
        .trim()
        .min(1)
        .max(200)
        .regex(
          /^[A-Za-z0-9._-]+$/,
          'The firmware file name may contain only letters, digits and . _ - (rename the file).',
        ),
      contentBase64: z.string().min(1).max(200_000_000),
      retrieveDate: z.number().int().optional(),
      retries: z.number().int().min(0).max(10).optional(),
      retryIntervalSeconds: z.number().int().min(0).max(3600).optional(),
    }),
    // UpdateFirmware.conf has no status: 'Accepted' means the charger acknowledged the request;
    // progress arrives as FirmwareStatusNotification (see the station's firmwareStatus).
    output: z.object({ status, location: z.string() }),
  }),
  'station-diagnostics-request': method({
    summary: 'Asks the charger to upload its diagnostics to this server (GetDiagnostics).',
    access: STAFF_ROLES,
    audit: true,
    input: stationOperation({
      startTime: z.number().int().optional(),
      stopTime: z.number().int().optional(),
    }),
    // 'Accepted' with the file name the charger will upload, or 'NoFile' when it has none.
    output: z.object({ status, fileName: z.string().nullable(), location: z.string() }),
  }),
  'station-file-status-get': method({
    summary:
      'The last firmware update and diagnostics upload status the charger reported (FirmwareStatusNotification, DiagnosticsStatusNotification), and when.',
    access: STAFF_ROLES,
    audit: false,
    input: stationOperation({}),
    output: z.object({
      firmware: fileStatusSchema.nullable(),
      diagnostics: fileStatusSchema.nullable(),
    }),
  }),
  'station-diagnostics-list': method({
    summary: 'Diagnostics files uploaded by a station, newest first.',
    access: STAFF_ROLES,
    audit: false,
    input: stationOperation({}),
    output: z.array(diagnosticsFileSchema),
  }),
  'station-diagnostics-download': method({
    summary: 'One uploaded diagnostics file (base64).',
    access: STAFF_ROLES,
    audit: false,
    input: z.object({ id: idSchema }).strict(),
    output: z.object({ fileName: z.string(), contentBase64: z.string() }),
  }),

  // ── Local authorization list (5.15 SendLocalList, 5.10 GetLocalListVersion) ───────────
  'station-local-list-send': method({
    summary: 'Sends the id-tag list to the charger (Full replaces its list).',
    access: STAFF_ROLES,
    audit: true,
    input: stationOperation({ updateType: z.enum(['Full', 'Differential']).default('Full') }),
    // Accepted | Failed | NotSupported | VersionMismatch
    output: z.object({ status, listVersion: z.number() }),
  }),
  'station-local-list-version': method({
    summary: 'The version of the charger’s local list (-1 not supported, 0 none).',
    access: STAFF_ROLES,
    audit: false,
    input: stationOperation({}),
    output: z.object({ status, listVersion: z.number() }),
  }),

  // ── Reservation (5.13 ReserveNow, 5.1 CancelReservation) ──────────────────────────────
  'station-reservation-create': method({
    summary: 'Reserves a connector (0 = any) for an id tag until a time.',
    access: STAFF_ROLES,
    audit: true,
    input: stationOperation({
      connectorNumber,
      idTag: idTagText,
      parentIdTag: idTagText.optional(),
      expiryDate: z.number().int(),
    }),
    // Accepted | Faulted | Occupied | Rejected | Unavailable
    output: z.object({ status, reservationId: z.number() }),
  }),
  'station-reservation-cancel': method({
    summary: 'Cancels a reservation.',
    access: STAFF_ROLES,
    audit: true,
    input: stationOperation({ reservationId: z.number().int() }),
    output: z.object({ status }),
  }),

  // ── Smart charging (5.16 SetChargingProfile, 5.5 ClearChargingProfile, 5.7) ───────────
  'station-charging-profile-set': method({
    summary: 'Installs a charging profile on a connector (0 = the station).',
    access: STAFF_ROLES,
    audit: true,
    input: stationOperation({ connectorNumber, chargingProfile: chargingProfileSchema }),
    // Accepted | Rejected | NotSupported
    output: z.object({ status }),
  }),
  'station-charging-profile-clear': method({
    summary: 'Clears charging profiles matching the given criteria (none = all).',
    access: STAFF_ROLES,
    audit: true,
    input: stationOperation({
      id: z.number().int().optional(),
      connectorNumber: connectorNumber.optional(),
      chargingProfilePurpose: z.enum(CHARGING_PROFILE_PURPOSES).optional(),
      stackLevel: z.number().int().min(0).optional(),
    }),
    // Accepted | Unknown
    output: z.object({ status }),
  }),
  'station-composite-schedule-get': method({
    summary: 'The charger’s effective schedule for a connector over the next N seconds.',
    access: STAFF_ROLES,
    audit: false,
    input: stationOperation({
      connectorNumber,
      durationSeconds: z
        .number()
        .int()
        .min(1)
        .max(7 * 86_400),
      chargingRateUnit: z.enum(CHARGING_RATE_UNITS).optional(),
    }),
    output: z.object({
      status,
      connectorNumber: z.number().nullable(),
      scheduleStart: z.number().nullable(),
      chargingSchedule: chargingScheduleSchema.nullable(),
    }),
  }),

  // ── Transactions ───────────────────────────────────────────────────────────────────────
  'transaction-list': method({
    summary: 'Charging transactions, newest first, filtered and paged.',
    access: STAFF_ROLES,
    audit: false,
    input: z
      .object({
        stationId: idSchema.optional(),
        siteId: idSchema.optional(),
        status: z.enum(TRANSACTION_FILTER_STATUSES).optional(),
        idTag: filterText(),
        from: z.number().optional(),
        to: z.number().optional(),
        ...paging,
      })
      .strict(),
    output: z.object({ ...pageOutput, transactions: z.array(transactionSchema) }),
  }),
  'transaction-get': method({
    summary:
      'One transaction with its meter samples (raw sampled values and the quantities read from them).',
    access: STAFF_ROLES,
    audit: false,
    input: z.object({ id: z.number().int() }).strict(),
    output: transactionSchema.extend({ meterValues: z.array(meterSampleSchema) }),
  }),

  // ── OCPP message log ───────────────────────────────────────────────────────────────────
  'ocpp-log-list': method({
    summary: 'Every OCPP message in and out, newest first, filtered and paged.',
    access: STAFF_ROLES,
    audit: false,
    input: z.object({ ...ocppLogFilterShape, ...paging }).strict(),
    output: z.object({ ...pageOutput, entries: z.array(ocppLogEntrySchema) }),
  }),

  // ── Id tags (RFID cards) ───────────────────────────────────────────────────────────────
  'id-tag-list': method({
    summary: 'The RFID cards / id tags the server authorizes.',
    access: STAFF_ROLES,
    audit: false,
    input: z.object({ text: filterText() }).strict(),
    output: z.array(idTagSchema),
  }),
  'id-tag-upsert': method({
    summary: 'Adds or changes an id tag.',
    access: STAFF_ROLES,
    audit: true,
    input: z
      .object({
        idTag: idTagText,
        status: idTagStatusSchema.default('Accepted'),
        expiryDate: z.number().int().nullish(),
        parentIdTag: idTagText.nullish(),
        label: optionalText(120),
        userId: idSchema.nullish(),
      })
      .strict(),
    output: idTagSchema,
  }),
  'id-tag-delete': method({
    summary: 'Removes an id tag (its past transactions keep the tag text).',
    access: STAFF_ROLES,
    audit: true,
    input: z.object({ idTag: z.string().trim().min(1).max(20) }).strict(),
    output: done,
  }),
} as const;
