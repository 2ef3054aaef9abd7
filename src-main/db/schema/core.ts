// Foundation tables: the organisation tree, users and sessions, audit log, settings.
// snake_case columns mapped to camelCase fields. Timestamps are UTC epoch milliseconds.
import { sql } from 'drizzle-orm';
import {
  sqliteTable,
  integer,
  text,
  real,
  index,
  uniqueIndex,
  primaryKey,
} from 'drizzle-orm/sqlite-core';

const timestamps = {
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
};

/** The strata company. One row (id = 1): a StrataCharge install serves one organisation. */
export const organisation = sqliteTable('organisation', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  abn: text('abn'),
  email: text('email'),
  phone: text('phone'),
  address: text('address'),
  ...timestamps,
});

/** A building (strata scheme). Billing rules are evaluated in its IANA time zone. */
export const sites = sqliteTable(
  'sites',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    strataPlan: text('strata_plan'),
    address: text('address'),
    timeZone: text('time_zone').notNull(),
    latitude: real('latitude'),
    longitude: real('longitude'),
    ...timestamps,
  },
  (t) => [uniqueIndex('sites_name_unique').on(t.name)],
);

export const floors = sqliteTable(
  'floors',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    /** Sort order in the navigator (e.g. B2 = -2, ground = 0). */
    level: integer('level').notNull().default(0),
    ...timestamps,
  },
  (t) => [uniqueIndex('floors_site_name_unique').on(t.siteId, t.name)],
);

/**
 * A charging station (OCPP charge point). `identity` is the chargeBoxId in the connection URL.
 * OCPP-specific state (boot info, credentials, connection) lives in columns owned by src-main/ocpp.
 */
export const stations = sqliteTable(
  'stations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'restrict' }),
    floorId: integer('floor_id').references(() => floors.id, { onDelete: 'restrict' }),
    identity: text('identity').notNull(),
    name: text('name').notNull(),
    /** Rated current per phase, A. The load balancer assumes this when the charger is offline. */
    maxCurrentA: real('max_current_a').notNull().default(32),
    /** 'three' or the single phase it is wired to (installers rotate phases). */
    phases: text('phases', { enum: ['three', 'L1', 'L2', 'L3'] })
      .notNull()
      .default('three'),
    /**
     * How its own L1-L2-L3 land on the building's (src-shared/balancing/model.ts); null: the
     * natural one for `phases`. With `phases` the station's whole wiring, stored only here (the
     * load-balancing model reads and writes it through these two columns).
     */
    rotation: text('rotation', {
      enum: ['L1-L2-L3', 'L2-L3-L1', 'L3-L1-L2', 'L1-L3-L2', 'L3-L2-L1', 'L2-L1-L3'],
    }),
    /** Approved chargers get BootNotification Accepted; others Pending. */
    approved: integer('approved', { mode: 'boolean' }).notNull().default(true),
    /** Blocked chargers get BootNotification Rejected and are disconnected (OCPP 1.6 §4.2). */
    blocked: integer('blocked', { mode: 'boolean' }).notNull().default(false),
    /** OCPP security profile the charger must use: 0 none (trusted LAN), 1 Basic, 2 TLS + Basic. */
    securityProfile: integer('security_profile').notNull().default(0),
    /** scrypt hash of the per-charger AuthorizationKey (Basic auth password); null = none set. */
    passwordHash: text('password_hash'),
    vendor: text('vendor'),
    model: text('model'),
    serialNumber: text('serial_number'),
    firmwareVersion: text('firmware_version'),
    iccid: text('iccid'),
    imsi: text('imsi'),
    meterType: text('meter_type'),
    meterSerialNumber: text('meter_serial_number'),
    ocppVersion: text('ocpp_version'),
    lastBootAt: integer('last_boot_at'),
    lastSeenAt: integer('last_seen_at'),
    lastHeartbeatAt: integer('last_heartbeat_at'),
    lastIp: text('last_ip'),
    /** Position on the floor plan (map units of the floor-plan image), set later by drag-and-drop. */
    planX: real('plan_x'),
    planY: real('plan_y'),
    /** The parking bay shown beside the station on the floor plan (e.g. "B2-14"). */
    bayLabel: text('bay_label'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('stations_identity_unique').on(t.identity),
    index('stations_site_idx').on(t.siteId),
    index('stations_floor_idx').on(t.floorId),
  ],
);

export const connectors = sqliteTable(
  'connectors',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    stationId: integer('station_id')
      .notNull()
      .references(() => stations.id, { onDelete: 'restrict' }),
    /** OCPP connectorId, 1-based (0 is the station itself and has no row here). */
    connectorNumber: integer('connector_number').notNull(),
    name: text('name'),
    /** Plug type, e.g. Type2, CCS2, CHAdeMO. */
    type: text('type'),
    maxCurrentA: real('max_current_a'),
    /** Last StatusNotification from the charger (OCPP 1.6 ChargePointStatus). */
    status: text('status').notNull().default('Unknown'),
    errorCode: text('error_code'),
    vendorErrorCode: text('vendor_error_code'),
    info: text('info'),
    statusAt: integer('status_at'),
    ...timestamps,
  },
  (t) => [uniqueIndex('connectors_station_number_unique').on(t.stationId, t.connectorNumber)],
);

export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Login name, stored lower-case. */
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role', { enum: ['admin', 'site_admin', 'support', 'ev_user'] }).notNull(),
    /** `scrypt$N$r$p$salt$hash` (see src-main/auth/password.ts). */
    passwordHash: text('password_hash').notNull(),
    disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
    /** Set by a password reset: every call but choosing a new password is refused until then. */
    mustChangePassword: integer('must_change_password', { mode: 'boolean' })
      .notNull()
      .default(false),
    lastLoginAt: integer('last_login_at'),
    ...timestamps,
  },
  (t) => [uniqueIndex('users_email_unique').on(t.email)],
);

/** Sites a site administrator (or EV user) belongs to. */
export const userSites = sqliteTable(
  'user_sites',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.siteId] })],
);

/** Login sessions. Only a SHA-256 of the bearer token is stored. */
export const authSessions = sqliteTable(
  'auth_sessions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tokenHash: text('token_hash').notNull(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull(),
    lastUsedAt: integer('last_used_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [uniqueIndex('auth_sessions_token_unique').on(t.tokenHash)],
);

/** Login attempts per account (key 'account:<email>' or 'unknown:<email>'), for throttling. */
export const loginFailures = sqliteTable(
  'login_failures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    key: text('key').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('login_failures_key_idx').on(t.key, t.at)],
);

/** Every change made through the API: who, when, what, before/after (JSON). */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    userId: integer('user_id'),
    userEmail: text('user_email'),
    method: text('method').notNull(),
    entity: text('entity'),
    entityId: text('entity_id'),
    siteId: integer('site_id'),
    input: text('input'),
    before: text('before'),
    after: text('after'),
    outcome: text('outcome').notNull().default('ok'),
  },
  (t) => [index('audit_log_at_idx').on(t.at), index('audit_log_method_idx').on(t.method)],
);

/** Key/value settings (JSON values), e.g. backup schedule, session lifetime, commissioning. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at')
    .notNull()
    .default(sql`(unixepoch() * 1000)`),
});
