// OCPP tables (owned by src-main/ocpp): refused connection attempts, id tags, transactions,
// raw meter values, per-station OCPP state and configuration keys,
// diagnostics uploads. Timestamps UTC epoch ms; energy integer Wh. (The message log has its own
// file: ../log-schema.ts.)
import {
  sqliteTable,
  integer,
  text,
  real,
  index,
  uniqueIndex,
  primaryKey,
} from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';
import { stations } from './core';

/** Chargers that tried to connect and were refused, one row per identity. */
export const ocppAttempts = sqliteTable('ocpp_attempts', {
  identity: text('identity').primaryKey(),
  ip: text('ip'),
  count: integer('count').notNull().default(1),
  reason: text('reason').notNull(),
  firstAt: integer('first_at').notNull(),
  lastAt: integer('last_at').notNull(),
});

/** RFID cards / id tokens the central system authorizes (OCPP 1.6 IdTagInfo). */
export const idTags = sqliteTable('id_tags', {
  idTag: text('id_tag').primaryKey(),
  status: text('status', { enum: ['Accepted', 'Blocked', 'Expired'] })
    .notNull()
    .default('Accepted'),
  expiryDate: integer('expiry_date'),
  parentIdTag: text('parent_id_tag'),
  label: text('label'),
  /** The resident owning the card (a later issue links users). */
  userId: integer('user_id'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * Charging transactions. `id` is the OCPP transactionId we give the charger. A StopTransaction
 * for an id we never issued creates a row with `charger_transaction_id` set and flag 'review'.
 */
export const transactions = sqliteTable(
  'transactions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    stationId: integer('station_id').references(() => stations.id, { onDelete: 'restrict' }),
    identity: text('identity').notNull(),
    connectorNumber: integer('connector_number').notNull(),
    idTag: text('id_tag').notNull(),
    chargerTransactionId: integer('charger_transaction_id'),
    /** Retransmission key: identity|connector|idTag|meterStart|timestamp (OCPP 1.6 §4.8 + ocpp.md). */
    startKey: text('start_key'),
    status: text('status', { enum: ['active', 'completed'] }).notNull(),
    flag: text('flag', { enum: ['suspect', 'review'] }),
    flagReason: text('flag_reason'),
    startedAt: integer('started_at').notNull(),
    stoppedAt: integer('stopped_at'),
    meterStartWh: integer('meter_start_wh').notNull(),
    meterStopWh: integer('meter_stop_wh'),
    /** Latest Energy.Active.Import.Register reading while active, Wh. */
    meterLastWh: integer('meter_last_wh'),
    powerW: real('power_w'),
    stopReason: text('stop_reason'),
    stopIdTag: text('stop_id_tag'),
    reservationId: integer('reservation_id'),
    lastMessageAt: integer('last_message_at').notNull(),
  },
  (t) => [
    uniqueIndex('transactions_start_key_unique').on(t.startKey),
    index('transactions_station_idx').on(t.stationId, t.status),
    // Leads with started_at for every period filter; the other columns make it covering for
    // the reports' scans (src-main/reports/totals.ts), which then never read the table's pages
    // (interleaved with meter_values: 80 ms vs 3 ms for a quarter's sum). They change only at
    // the stop, never on the MeterValues hot path (meter_last_wh is left out on purpose).
    index('transactions_started_idx').on(
      t.startedAt,
      t.stationId,
      t.connectorNumber,
      t.status,
      t.meterStartWh,
      t.meterStopWh,
      t.stoppedAt,
      t.idTag,
    ),
    // A station's sessions newest first (station page, sessions list filtered to a station).
    index('transactions_station_started_idx').on(t.stationId, t.startedAt),
    index('transactions_id_tag_idx').on(t.idTag, t.status),
    // The reports' totals per outlet: one range scan per outlet, already in GROUP BY order (no
    // sort of a quarter's sessions: 26 ms instead of ~220 ms over 1,000,000). Covering; changes
    // only at the stop.
    index('transactions_outlet_report_idx').on(
      t.stationId,
      t.connectorNumber,
      t.startedAt,
      t.status,
      t.meterStartWh,
      t.meterStopWh,
      t.stoppedAt,
    ),
    // The sessions list's sort keys (src-main/sessions/sort.ts must use these exact
    // expressions). Each changes only at the stop, never on the MeterValues hot path. CASE, not
    // ifnull(): drizzle-kit splits an index expression at its commas.
    index('transactions_stopped_key_idx').on(
      sql`(CASE WHEN ${t.stoppedAt} IS NULL THEN 8640000000000000 ELSE ${t.stoppedAt} END)`,
    ),
    index('transactions_duration_key_idx').on(
      sql`(CASE WHEN ${t.stoppedAt} IS NULL THEN -1 ELSE ${t.stoppedAt} - ${t.startedAt} END)`,
    ),
    index('transactions_energy_key_idx').on(
      sql`(CASE WHEN ${t.meterStopWh} IS NULL THEN -1 ELSE ${t.meterStopWh} - ${t.meterStartWh} END)`,
    ),
    index('transactions_power_key_idx').on(
      sql`(CASE WHEN ${t.meterStopWh} IS NULL OR ${t.stoppedAt} <= ${t.startedAt} THEN -1 ELSE (${t.meterStopWh} - ${t.meterStartWh}) * 3600000.0 / (${t.stoppedAt} - ${t.startedAt}) END)`,
    ),
    // The reports' totals read the sessions their daily rollup leaves out (still charging, or
    // completed without a stop time: schema/rollups.ts) through this; the query's WHERE must
    // carry this exact expression (reports/totals-sources.ts UNROLLED).
    index('transactions_unrolled_idx')
      .on(t.startedAt)
      .where(sql`${t.status} = 'active' OR ${t.stoppedAt} IS NULL`),
    // The quiet-transaction sweep (every second) reads active transactions only.
    index('transactions_active_idx')
      .on(t.lastMessageAt)
      .where(sql`${t.status} = 'active'`),
  ],
);

/**
 * One row per meter sample: a MeterValue element (station, connector, transaction, timestamp)
 * of a MeterValues or StopTransaction.transactionData, with every sampledValue it carried kept
 * as received (JSON: invoices trace back to the raw readings) and the quantities the product
 * reads extracted into columns. Real chargers send 5-12 measurands per sample: one row per
 * sample instead of one per value is one B-tree insert per message instead of ten.
 */
export const meterValues = sqliteTable(
  'meter_values',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    stationId: integer('station_id').references(() => stations.id, { onDelete: 'restrict' }),
    transactionId: integer('transaction_id'),
    connectorNumber: integer('connector_number').notNull(),
    timestamp: integer('timestamp').notNull(),
    /** The sampledValue array as received (after lenient validation's repairs), JSON. */
    sampledValues: text('sampled_values').notNull(),
    /** Energy.Active.Import.Register (no phase, outlet), integer Wh (kWh converted). */
    energyWh: integer('energy_wh'),
    /** Power.Active.Import, W: the total, or the sum of the phases when only those are sent. */
    powerW: real('power_w'),
    /** Current.Import per phase, A (a single-phase charger's unphased value is L1's). */
    currentL1A: real('current_l1_a'),
    currentL2A: real('current_l2_a'),
    currentL3A: real('current_l3_a'),
    /** SoC, %. */
    socPercent: real('soc_percent'),
    /** Dedupe key: a retransmitted MeterValues / StopTransaction.transactionData is stored once. */
    dedupeKey: text('dedupe_key').notNull(),
  },
  // The dedupe key already hashes the timestamp; leading the unique index with the timestamp
  // makes live inserts append at the right edge of the B-tree (a few dirty pages per group
  // commit) instead of landing on a random page per sample (docs/benchmarks.md).
  (t) => [
    uniqueIndex('meter_values_dedupe_unique').on(t.timestamp, t.dedupeKey),
    // Partial: readings outside a transaction (clock-aligned, or a charger that sends them
    // between sessions) are never looked up by transaction, so they skip this index's insert.
    index('meter_values_tx_idx')
      .on(t.transactionId, t.timestamp)
      .where(sql`${t.transactionId} IS NOT NULL`),
  ],
);

/** OCPP state of a station that does not belong in the organisation tree. */
export const stationOcpp = sqliteTable('station_ocpp', {
  stationId: integer('station_id')
    .primaryKey()
    .references(() => stations.id, { onDelete: 'cascade' }),
  /** StatusNotification for connector 0 (the charge point itself). */
  status: text('status'),
  errorCode: text('error_code'),
  vendorErrorCode: text('vendor_error_code'),
  info: text('info'),
  statusAt: integer('status_at'),
  firmwareStatus: text('firmware_status'),
  firmwareStatusAt: integer('firmware_status_at'),
  diagnosticsStatus: text('diagnostics_status'),
  diagnosticsStatusAt: integer('diagnostics_status_at'),
  bootStatus: text('boot_status'),
  localListVersion: integer('local_list_version'),
  configFetchedAt: integer('config_fetched_at'),
  unknownConfigKeys: text('unknown_config_keys'),
  /**
   * What the last post-boot setup could not set (JSON ConfigRefusal[]: key, value asked,
   * the charger's answer or why it was not asked); shown on the configuration tab.
   */
  setupRefused: text('setup_refused'),
});

/** Configuration keys as reported by GetConfiguration. */
export const stationConfig = sqliteTable(
  'station_config',
  {
    stationId: integer('station_id')
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    value: text('value'),
    readonly: integer('readonly', { mode: 'boolean' }).notNull().default(false),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.stationId, t.key] })],
);

/** Diagnostics files uploaded by chargers (stored in <dataDir>/diagnostics). */
export const diagnosticsFiles = sqliteTable(
  'diagnostics_files',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    stationId: integer('station_id')
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    fileName: text('file_name').notNull(),
    storedPath: text('stored_path').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    receivedAt: integer('received_at').notNull(),
  },
  (t) => [index('diagnostics_files_station_idx').on(t.stationId, t.receivedAt)],
);

/** Upload / download tokens for the OCPP port's file endpoint. */
export const ocppFileTokens = sqliteTable('ocpp_file_tokens', {
  token: text('token').primaryKey(),
  kind: text('kind', { enum: ['firmware', 'diagnostics'] }).notNull(),
  stationId: integer('station_id')
    .notNull()
    .references(() => stations.id, { onDelete: 'cascade' }),
  /** firmware: the stored file; diagnostics: null until uploaded. */
  storedPath: text('stored_path'),
  fileName: text('file_name'),
  createdAt: integer('created_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
});

/**
 * Reservations we asked chargers for (OCPP 1.6 §5.13 ReserveNow). `id` is the reservationId
 * sent to the charger: an autoincrement sequence, so two reservations never share an id (a
 * clock-derived id collides for two reservations in the same second, and after a restore).
 */
export const ocppReservations = sqliteTable(
  'ocpp_reservations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    stationId: integer('station_id')
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    connectorNumber: integer('connector_number').notNull(),
    idTag: text('id_tag').notNull(),
    expiresAt: integer('expires_at').notNull(),
    /** The charger's ReserveNow answer (Accepted, Occupied, ...); null until it answers. */
    status: text('status'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('ocpp_reservations_station_idx').on(t.stationId, t.createdAt)],
);
