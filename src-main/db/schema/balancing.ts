// Load balancing (src-main/balancing, issue 11): each site's electrical model (supply, circuit
// tree, station wiring, policy, measured-load sources, account priorities), and the controller's
// ledger and allocation log. Currents in amps per phase (real: limits go out in tenths).
import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { sites, stations } from './core';
import { accounts } from './residents';
import type { RegisterMap } from '../../../src-shared/balancing/register-maps';

const PRIORITY = ['high', 'normal', 'low'] as const;

/** One row per site with a model: the supply and the policy. */
export const balancingSites = sqliteTable('balancing_sites', {
  siteId: integer('site_id')
    .primaryKey()
    .references(() => sites.id, { onDelete: 'cascade' }),
  /** Off: the model is kept but nothing is sent to the chargers. */
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(false),
  phaseLimitA: real('phase_limit_a').notNull(),
  nominalVoltageV: real('nominal_voltage_v').notNull(),
  phases: integer('phases').notNull(),
  usablePercent: real('usable_percent').notNull(),
  reserveA: real('reserve_a').notNull(),
  assumedOtherLoadA: real('assumed_other_load_a').notNull(),
  minCurrentA: real('min_current_a').notNull(),
  rotationPeriodS: integer('rotation_period_s').notNull(),
  hysteresisA: real('hysteresis_a').notNull(),
  drawMarginA: real('draw_margin_a').notNull(),
  updatedAt: integer('updated_at').notNull(),
  updatedBy: integer('updated_by'),
});

export const balancingCircuits = sqliteTable(
  'balancing_circuits',
  {
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    /** The installer's label for the board (e.g. "DB-2"), unique within the site. */
    circuitId: text('circuit_id').notNull(),
    name: text('name').notNull(),
    parentId: text('parent_id'),
    limitA: real('limit_a').notNull(),
    /** Building phases carried, comma-separated ("L1,L2,L3"). */
    phases: text('phases').notNull(),
    assumedOtherLoadA: real('assumed_other_load_a').notNull(),
    /** Order in the editor. */
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.circuitId] })],
);

export const balancingStations = sqliteTable('balancing_stations', {
  stationId: integer('station_id')
    .primaryKey()
    .references(() => stations.id, { onDelete: 'cascade' }),
  siteId: integer('site_id').notNull(),
  circuitId: text('circuit_id').notNull(),
  // Its wiring (phases, rotation) is the station row's: stored once, in stations.
  priority: text('priority', { enum: PRIORITY }).notNull(),
  capA: real('cap_a'),
});

/** The rest of the building's draw on the supply or a circuit: typed in, or a Modbus meter. */
export const balancingLoadSources = sqliteTable(
  'balancing_load_sources',
  {
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    /** 'supply' or a circuit id. */
    target: text('target').notNull(),
    kind: text('kind', { enum: ['typed', 'modbus'] }).notNull(),
    typedL1: real('typed_l1'),
    typedL2: real('typed_l2'),
    typedL3: real('typed_l3'),
    modbusHost: text('modbus_host'),
    modbusPort: integer('modbus_port'),
    modbusUnitId: integer('modbus_unit_id'),
    modbusModel: text('modbus_model'),
    /** For modbus_model 'custom': the installer's register map (JSON, validated on save). */
    modbusMap: text('modbus_map', { mode: 'json' }).$type<RegisterMap>(),
    pollSeconds: integer('poll_seconds'),
    timeoutSeconds: integer('timeout_seconds'),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.target] })],
);

/** A site's own Modbus register maps (meters not shipped), selectable for any of its meters. */
export const balancingRegisterMaps = sqliteTable(
  'balancing_register_maps',
  {
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    /** The installer's name for the map, unique within the site; meters refer to it. */
    label: text('label').notNull(),
    map: text('map', { mode: 'json' }).$type<RegisterMap>().notNull(),
    /** Order in the editor. */
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.label] })],
);

export const balancingAccountPolicies = sqliteTable('balancing_account_policies', {
  accountId: integer('account_id')
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  siteId: integer('site_id').notNull(),
  priority: text('priority', { enum: PRIORITY }).notNull(),
  capA: real('cap_a'),
});

/**
 * The controller's ledger, written BEFORE a profile is sent: per connector (0 = the station's
 * fallback, ChargePointMaxProfile) the limit confirmed and the limit in flight, so that after a
 * restart or a lost answer the most a charger may draw is still known (docs/load-balancing.md).
 */
export const balancingLedger = sqliteTable(
  'balancing_ledger',
  {
    stationId: integer('station_id')
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    connectorNumber: integer('connector_number').notNull(),
    /** The transaction the TxProfile belongs to (null: the fallback / TxDefault). */
    transactionId: integer('transaction_id'),
    confirmedA: real('confirmed_a').notNull(),
    inFlightA: real('in_flight_a'),
    /** Refused or unanswered after the retries: counted at its full rating until it accepts. */
    uncontrolled: integer('uncontrolled', { mode: 'boolean' }).notNull().default(false),
    failures: integer('failures').notNull().default(0),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.stationId, t.connectorNumber] })],
);

/** What each charger accepts (from its configuration keys) and its safe fallback. */
export const balancingChargers = sqliteTable('balancing_chargers', {
  stationId: integer('station_id')
    .primaryKey()
    .references(() => stations.id, { onDelete: 'cascade' }),
  /** ChargingScheduleAllowedChargingRateUnit: 'A' unless the charger accepts only W. */
  unit: text('unit', { enum: ['A', 'W'] }).notNull(),
  /** ChargeProfileMaxStackLevel. */
  maxStackLevel: integer('max_stack_level').notNull(),
  /** The fallback installed at boot (A per phase), null until confirmed. */
  fallbackA: real('fallback_a'),
  fallbackAt: integer('fallback_at'),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * Per minute, per node (the supply or a circuit id) and phase: the peak current (the rest of the
 * building plus the chargers' draw), the peak of what the chargers were allowed on top of the
 * building, and the limit (balancing/history.ts; kept 14 days). For the live view's chart.
 */
export const balancingHistory = sqliteTable(
  'balancing_history',
  {
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    nodeId: text('node_id').notNull(),
    /** Start of the minute, UTC ms. */
    minute: integer('minute').notNull(),
    phase: text('phase', { enum: ['L1', 'L2', 'L3'] }).notNull(),
    limitA: real('limit_a').notNull(),
    currentA: real('current_a').notNull(),
    allowedA: real('allowed_a').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.nodeId, t.minute, t.phase] }),
    index('balancing_history_minute_idx').on(t.minute),
  ],
);

/** Every decision the controller sent or held, with its reason in words (kept 30 days). */
export const balancingLog = sqliteTable(
  'balancing_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    siteId: integer('site_id').notNull(),
    at: integer('at').notNull(),
    stationId: integer('station_id').notNull(),
    connectorNumber: integer('connector_number').notNull(),
    fromA: real('from_a'),
    toA: real('to_a').notNull(),
    /** reduction | increase | fallback | rejected | timeout | uncontrolled */
    action: text('action').notNull(),
    reason: text('reason').notNull(),
  },
  (t) => [index('balancing_log_site_at_idx').on(t.siteId, t.at)],
);
