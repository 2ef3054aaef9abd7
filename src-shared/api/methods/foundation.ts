// Foundation methods: first-run setup, sessions, users, the organisation tree, audit, backups.
import { z } from 'zod';
import { method } from '../define';
import { roleSchema, STAFF_ROLES } from '../../roles';
import { chargerUrlsSchema } from '../../ocpp/types';
import {
  LIMITS,
  abnSchema,
  blankAsNull,
  chargerIdentitySchema,
  emailSchema,
  filterText,
  idSchema,
  nameSchema,
  newPasswordSchema,
  optionalText,
  strataPlanSchema,
  timeZoneSchema,
} from '../../validation';
import {
  auditEntrySchema,
  backupSchema,
  floorSchema,
  organisationSchema,
  phasesSchema,
  siteSchema,
  stationSchema,
  treeSchema,
  userSchema,
} from '../../model';
import { pageInput, pageOutput } from '../paging';

const empty = z.object({}).strict();
const done = z.object({ ok: z.literal(true) });
const byId = z.object({ id: idSchema }).strict();
const latitude = z.number().min(-90).max(90).nullish();
const longitude = z.number().min(-180).max(180).nullish();

const organisationInput = z
  .object({
    name: nameSchema,
    abn: blankAsNull(abnSchema),
    email: blankAsNull(emailSchema),
    phone: optionalText(LIMITS.phone),
    address: optionalText(LIMITS.address),
  })
  .strict();

const siteInput = z
  .object({
    name: nameSchema,
    strataPlan: strataPlanSchema,
    address: optionalText(LIMITS.address),
    timeZone: timeZoneSchema,
    latitude,
    longitude,
  })
  .strict();

const floorInput = z
  .object({
    siteId: idSchema,
    name: nameSchema,
    level: z.number().int().min(-20).max(200).default(0),
  })
  .strict();

// Shared by create and update. No defaults here: on update an omitted field means "unchanged",
// and zod 4 applies a .default() even inside .partial(), which would silently reset it.
const stationFields = {
  siteId: idSchema,
  floorId: idSchema.nullish(),
  name: nameSchema,
  maxCurrentA: z.number().min(6).max(500),
  phases: phasesSchema,
  approved: z.boolean(),
  /** Refused at boot (BootNotification Rejected), e.g. a stolen or misbehaving charger. */
  blocked: z.boolean(),
  securityProfile: z.number().int().min(0).max(2),
  /** Sets the per-charger Basic-auth password (stored hashed); null on update removes it. */
  password: z.string().min(16).max(40).nullish(),
};

const stationInput = z
  .object({
    ...stationFields,
    identity: chargerIdentitySchema,
    maxCurrentA: stationFields.maxCurrentA.default(32),
    phases: stationFields.phases.default('three'),
    approved: stationFields.approved.default(true),
    blocked: stationFields.blocked.default(false),
    securityProfile: stationFields.securityProfile.default(0),
    connectorCount: z.number().int().min(1).max(8).default(1),
  })
  .strict();

const userInput = z
  .object({
    email: emailSchema,
    name: nameSchema,
    role: roleSchema,
    siteIds: z.array(idSchema).max(LIMITS.list).default([]),
    password: newPasswordSchema,
  })
  .strict();

/** The backup schedule as the settings page shows it: `hour` is local time in `timeZone`. */
const backupSettingsView = z.object({
  enabled: z.boolean(),
  hour: z.number(),
  keep: z.number(),
  timeZone: z.string(),
});

export const foundationMethods = {
  // ── First-run setup ────────────────────────────────────────────────────────────────────
  'setup-status': method({
    summary: 'Whether first-run setup is needed, and the machine time zone for its default.',
    access: 'public',
    audit: false,
    input: empty,
    output: z.object({ needsSetup: z.boolean(), defaultTimeZone: z.string() }),
  }),
  'setup-complete': method({
    summary: 'Creates the first administrator, the organisation and the first site; logs in.',
    access: 'public',
    audit: true,
    input: z
      .object({
        admin: z
          .object({ email: emailSchema, name: nameSchema, password: newPasswordSchema })
          .strict(),
        organisation: organisationInput,
        site: siteInput,
      })
      .strict(),
    output: z.object({ token: z.string(), expiresAt: z.number() }),
  }),

  // ── Sessions ───────────────────────────────────────────────────────────────────────────
  'session-login': method({
    summary: 'Logs in; the transport remembers the session for later calls.',
    access: 'public',
    audit: false,
    input: z
      .object({
        email: z.string().trim().max(LIMITS.email).toLowerCase(),
        password: z.string().max(LIMITS.password),
      })
      .strict(),
    output: z.object({ token: z.string(), expiresAt: z.number() }),
  }),
  'session-resume': method({
    summary: 'Attaches an existing session token to this connection (after a page reload).',
    access: 'public',
    audit: false,
    input: z.object({ token: z.string().min(1).max(LIMITS.token) }).strict(),
    output: z.object({ expiresAt: z.number() }),
  }),
  'session-logout': method({
    summary: 'Ends the current session.',
    access: 'authenticated',
    audit: false,
    input: empty,
    output: done,
  }),
  'session-current': method({
    summary: 'The logged-in user, or null.',
    access: 'public',
    audit: false,
    input: empty,
    output: z.object({ user: userSchema.nullable(), expiresAt: z.number().nullable() }),
  }),
  'password-change': method({
    summary: 'Changes the current user’s password (ends their other sessions).',
    access: 'authenticated',
    audit: true,
    input: z
      .object({
        currentPassword: z.string().max(LIMITS.password),
        newPassword: newPasswordSchema,
      })
      .strict(),
    output: done,
  }),

  // ── Users ──────────────────────────────────────────────────────────────────────────────
  'user-list': method({
    summary: 'All users.',
    access: ['admin'],
    audit: false,
    input: empty,
    output: z.array(userSchema),
  }),
  'user-create': method({
    summary: 'Creates a user with a role (and sites, for site administrators and EV users).',
    access: ['admin'],
    audit: true,
    input: userInput,
    output: userSchema,
  }),
  'user-update': method({
    summary: 'Changes a user’s name, role, sites, disabled flag, or resets their password.',
    access: ['admin'],
    audit: true,
    input: z
      .object({
        id: idSchema,
        name: nameSchema.optional(),
        role: roleSchema.optional(),
        siteIds: z.array(idSchema).max(LIMITS.list).optional(),
        disabled: z.boolean().optional(),
        password: newPasswordSchema.optional(),
      })
      .strict(),
    output: userSchema,
  }),
  'user-password-reset': method({
    summary:
      'Gives a user a one-time password, shown once, that they must change at their next login; ends their sessions.',
    access: ['admin'],
    audit: true,
    input: byId,
    output: z.object({ user: userSchema, oneTimePassword: z.string() }),
  }),
  'user-delete': method({
    summary: 'Deletes a user (not yourself, not the last administrator).',
    access: ['admin'],
    audit: true,
    input: byId,
    output: done,
  }),

  // ── Organisation tree ──────────────────────────────────────────────────────────────────
  'organisation-get': method({
    summary: 'The strata company.',
    access: 'authenticated',
    audit: false,
    input: empty,
    output: organisationSchema.nullable(),
  }),
  'organisation-update': method({
    summary: 'Changes the strata company’s details.',
    access: ['admin'],
    audit: true,
    input: organisationInput,
    output: organisationSchema,
  }),
  'tree-get': method({
    summary: 'The navigator tree, limited to the sites the caller may see.',
    access: STAFF_ROLES,
    audit: false,
    input: empty,
    output: treeSchema,
  }),
  'site-list': method({
    summary: 'Sites the caller may see.',
    access: 'authenticated',
    audit: false,
    input: empty,
    output: z.array(siteSchema),
  }),
  'site-get': method({
    summary: 'One site.',
    access: STAFF_ROLES,
    audit: false,
    input: byId,
    output: siteSchema,
  }),
  'site-create': method({
    summary: 'Adds a building.',
    access: ['admin'],
    audit: true,
    input: siteInput,
    output: siteSchema,
  }),
  'site-update': method({
    summary: 'Changes a building.',
    access: ['admin', 'site_admin'],
    audit: true,
    input: siteInput.extend({ id: idSchema }),
    output: siteSchema,
  }),
  'site-delete': method({
    summary: 'Deletes a building with no floors or stations.',
    access: ['admin'],
    audit: true,
    input: byId,
    output: done,
  }),
  'floor-list': method({
    summary: 'Floors of a site.',
    access: STAFF_ROLES,
    audit: false,
    input: z.object({ siteId: idSchema }).strict(),
    output: z.array(floorSchema),
  }),
  'floor-create': method({
    summary: 'Adds a floor (car-park level) to a site.',
    access: ['admin', 'site_admin'],
    audit: true,
    input: floorInput,
    output: floorSchema,
  }),
  'floor-update': method({
    summary: 'Renames or reorders a floor.',
    access: ['admin', 'site_admin'],
    audit: true,
    input: z
      .object({ id: idSchema, name: nameSchema, level: z.number().int().min(-20).max(200) })
      .strict(),
    output: floorSchema,
  }),
  'floor-delete': method({
    summary: 'Deletes a floor with no stations on it.',
    access: ['admin', 'site_admin'],
    audit: true,
    input: byId,
    output: done,
  }),
  'station-list': method({
    summary: 'Stations, optionally of one site or floor.',
    access: STAFF_ROLES,
    audit: false,
    input: z.object({ siteId: idSchema.optional(), floorId: idSchema.optional() }).strict(),
    output: z.array(stationSchema),
  }),
  'station-get': method({
    summary: 'One station with its connectors and live connection state.',
    access: STAFF_ROLES,
    audit: false,
    input: byId,
    output: stationSchema,
  }),
  'station-create': method({
    summary: 'Registers a charging station (and its connectors) on a site/floor.',
    access: ['admin', 'site_admin'],
    audit: true,
    input: stationInput,
    output: stationSchema,
  }),
  'station-update': method({
    summary: 'Changes a station’s name, place, ratings, approval or credentials.',
    access: ['admin', 'site_admin', 'support'],
    audit: true,
    input: z.object(stationFields).partial().extend({ id: idSchema }).strict(),
    output: stationSchema,
  }),
  'station-delete': method({
    summary: 'Deletes a station that has no transactions (else decommission it).',
    access: ['admin', 'site_admin'],
    audit: true,
    input: byId,
    output: done,
  }),
  'connector-update': method({
    summary: 'Changes a connector’s name, plug type or rating (omitted fields stay; null clears).',
    access: ['admin', 'site_admin', 'support'],
    audit: true,
    input: z
      .object({
        id: idSchema,
        name: optionalText(LIMITS.name).optional(),
        type: optionalText(60).optional(),
        maxCurrentA: z.number().min(6).max(500).nullish(),
      })
      .strict(),
    output: stationSchema,
  }),

  // ── Audit ──────────────────────────────────────────────────────────────────────────────
  'audit-list': method({
    summary: 'Audit log entries, newest first, filtered.',
    access: ['admin'],
    audit: false,
    input: z
      .object({
        from: z.number().optional(),
        to: z.number().optional(),
        userId: idSchema.optional(),
        method: filterText(),
        text: filterText(),
        ...pageInput(200),
      })
      .strict(),
    output: z.object({ ...pageOutput, entries: z.array(auditEntrySchema) }),
  }),
  // The CSV export streams: download-ticket-create { kind: 'audit-csv' } (methods/downloads.ts).

  // ── System: backups, integrity ─────────────────────────────────────────────────────────
  'backup-list': method({
    summary: 'Backups in the data directory, newest first.',
    access: ['admin'],
    audit: false,
    input: empty,
    output: z.array(backupSchema),
  }),
  'backup-create': method({
    summary: 'Takes an online backup now.',
    access: ['admin'],
    audit: true,
    input: empty,
    output: backupSchema,
  }),
  'backup-restore': method({
    summary:
      'Restores a backup (a pre-restore backup of the current data is taken first); the service reloads its data.',
    access: ['admin'],
    audit: true,
    input: z.object({ fileName: z.string().min(1).max(LIMITS.fileName) }).strict(),
    output: done,
  }),
  'backup-settings-get': method({
    summary:
      'Daily backup time (an hour in `timeZone`, the first site’s time zone) and how many to keep.',
    access: ['admin'],
    audit: false,
    input: empty,
    output: backupSettingsView,
  }),
  'backup-settings-update': method({
    summary: 'Changes the daily backup time and retention.',
    access: ['admin'],
    audit: true,
    input: z
      .object({
        enabled: z.boolean(),
        hour: z.number().int().min(0).max(23),
        keep: z.number().int().min(1).max(365),
      })
      .strict(),
    output: backupSettingsView,
  }),
  'system-integrity-check': method({
    summary: 'Runs SQLite’s full integrity check.',
    access: ['admin'],
    audit: false,
    input: empty,
    output: z.object({ ok: z.boolean(), messages: z.array(z.string()) }),
  }),
  'system-info': method({
    summary: 'Version, data directory, listening addresses.',
    access: STAFF_ROLES,
    audit: false,
    input: empty,
    output: z.object({
      version: z.string(),
      dataDir: z.string(),
      /** The listener as seen from this machine (127.0.0.1 for a wildcard bind). */
      ocppUrl: z.string(),
      ocppTlsUrl: z.string().nullable(),
      /** What chargers on the LAN are given (ready banner, New chargers, Settings → System). */
      chargerUrls: chargerUrlsSchema,
      httpUrl: z.string().nullable(),
      startedAt: z.number(),
    }),
  }),
} as const;
