// Alarms (src-main/alarms): what went wrong, raised by rules from domain events, folded by key
// (a repeat counts up instead of flooding), closed by itself or by a person with a reason.
// Times are UTC epoch ms. Site, station and user ids are plain integers (no foreign keys): an
// alarm outlives a removed station or user, as history should.
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';

export const alarms = sqliteTable(
  'alarms',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The rule that raised it (src-shared/alarms.ts ALARM_RULES). */
    rule: text('rule').notNull(),
    /** Severity when raised (the rule's at the time): 'critical' | 'warning' | 'info'. */
    severity: text('severity').notNull(),
    /** What folds repeats into this alarm, e.g. 'connector-fault:12:1:GroundFailure'. */
    foldKey: text('fold_key').notNull(),
    /** null: organisation-wide (an unknown charger, the mail server, backups). */
    siteId: integer('site_id'),
    stationId: integer('station_id'),
    connectorNumber: integer('connector_number'),
    title: text('title').notNull(),
    /** The latest occurrence's detail (the charger's info text, the SMTP answer, ...). */
    detail: text('detail'),
    count: integer('count').notNull().default(1),
    firstAt: integer('first_at').notNull(),
    lastAt: integer('last_at').notNull(),
    /** 'active' until cleared (by itself or by a person), then 'cleared'. */
    state: text('state').notNull(),
    acknowledgedAt: integer('acknowledged_at'),
    acknowledgedBy: integer('acknowledged_by'),
    acknowledgedByName: text('acknowledged_by_name'),
    clearedAt: integer('cleared_at'),
    /** null with clearedAt set: it cleared itself (the fault went away). */
    clearedBy: integer('cleared_by'),
    clearedByName: text('cleared_by_name'),
    clearReason: text('clear_reason'),
  },
  (t) => [
    // At most one active alarm per fold key: a repeat counts up on it.
    uniqueIndex('alarms_active_key')
      .on(t.foldKey)
      .where(sql`state = 'active'`),
    index('alarms_state_last').on(t.state, t.lastAt, t.id),
    index('alarms_site').on(t.siteId, t.state),
    index('alarms_station').on(t.stationId, t.state),
  ],
);

/** The event log: every raise, repeat, acknowledgement and clear, in order. */
export const alarmEvents = sqliteTable(
  'alarm_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    alarmId: integer('alarm_id').notNull(),
    at: integer('at').notNull(),
    /** 'raised' | 'repeated' | 'acknowledged' | 'cleared' | 'auto-cleared' */
    kind: text('kind').notNull(),
    rule: text('rule').notNull(),
    severity: text('severity').notNull(),
    siteId: integer('site_id'),
    stationId: integer('station_id'),
    title: text('title').notNull(),
    detail: text('detail'),
    userId: integer('user_id'),
    userName: text('user_name'),
  },
  (t) => [
    index('alarm_events_at').on(t.at, t.id),
    index('alarm_events_site').on(t.siteId, t.at),
    index('alarm_events_alarm').on(t.alarmId),
  ],
);

/** A rule's settings changed from its defaults (no row: the default). */
export const alarmRules = sqliteTable('alarm_rules', {
  rule: text('rule').primaryKey(),
  severity: text('severity').notNull(),
  /** Seconds a rule waits before raising (offline grace, meter silence); null: the default. */
  delaySeconds: integer('delay_seconds'),
  updatedAt: integer('updated_at').notNull(),
});

/** Each user's alarm notifications (no row: the defaults, src-shared/alarms.ts). */
export const alarmPrefs = sqliteTable('alarm_prefs', {
  userId: integer('user_id').primaryKey(),
  /** JSON array of severities emailed at once, e.g. ["critical"]. */
  emailSeverities: text('email_severities').notNull(),
  /** JSON array of site ids, or null: every site the user may see. */
  siteIds: text('site_ids'),
  /** Quiet hours, 'HH:MM' in the alarm's site's time zone; both null: none. */
  quietFrom: text('quiet_from'),
  quietTo: text('quiet_to'),
  digest: integer('digest', { mode: 'boolean' }).notNull(),
  /** 'HH:MM' in each site's time zone. */
  digestAt: text('digest_at').notNull(),
  /** JSON array of severities shown as toasts and desktop notifications, e.g. ["critical"]. */
  popupSeverities: text('popup_severities').notNull(),
  updatedAt: integer('updated_at').notNull(),
});
