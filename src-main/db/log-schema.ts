// The OCPP message log's own database file (ocpp-log.db beside stratacharge.db), written by a
// worker thread (src-main/ocpp/message-log.ts). It is a diagnostic log with a retention
// setting, not a record: it is not in backups, a restore leaves it alone, and a damaged log
// file is set aside and started afresh rather than stopping the app. Keeping it out of the main
// database means its writes never contend with charger transactions for SQLite's one write lock.
import { sqliteTable, integer, text, index } from 'drizzle-orm/sqlite-core';

/**
 * One row per exchange (a CALL in either direction, its answer and when it came), written when
 * the exchange completes or is given up. Pruned by the retention setting.
 */
export const ocppLog = sqliteTable(
  'ocpp_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** When the CALL was sent / received. */
    at: integer('at').notNull(),
    stationId: integer('station_id'),
    identity: text('identity').notNull(),
    /** Who initiated the exchange: in = the charger, out = us. */
    direction: text('direction', { enum: ['in', 'out'] }).notNull(),
    /** result / error = how it was answered; call = never answered; a stray frame's own type. */
    kind: text('kind', { enum: ['call', 'result', 'error'] }).notNull(),
    action: text('action'),
    messageId: text('message_id'),
    /** The CALL frame as sent / received (a stray frame: that frame). */
    payload: text('payload').notNull(),
    /** The CALLRESULT / CALLERROR frame, as sent / received. */
    response: text('response'),
    respondedAt: integer('responded_at'),
  },
  // Only the time index, on purpose. A per-station index ((identity, at) or (station_id, at))
  // puts every row on the right edge of its station's segment: a batch from N chargers dirties
  // N index pages, and each commit and checkpoint writes them all. Measured (200-row batches
  // from 10,000 chargers): 8.5 µs per row with the time index alone, ~40 µs with a per-station
  // index (docs/benchmarks.md round 3). A station's log page reads the time index newest first
  // and filters (LIMIT 50 stops early for any station that talks).
  (t) => [index('ocpp_log_at_idx').on(t.at)],
);

/** The log file's schema version (PRAGMA user_version); a newer file is set aside, not read. */
export const LOG_DB_VERSION = 1;

/** Creates the log file's schema (idempotent). Matches `ocppLog` above, column for column. */
export const LOG_DB_SETUP = [
  'PRAGMA journal_mode = WAL',
  'PRAGMA synchronous = NORMAL',
  'PRAGMA busy_timeout = 5000',
  `CREATE TABLE IF NOT EXISTS ocpp_log (
    id integer PRIMARY KEY AUTOINCREMENT NOT NULL,
    at integer NOT NULL,
    station_id integer,
    identity text NOT NULL,
    direction text NOT NULL,
    kind text NOT NULL,
    action text,
    message_id text,
    payload text NOT NULL,
    response text,
    responded_at integer
  )`,
  'CREATE INDEX IF NOT EXISTS ocpp_log_at_idx ON ocpp_log (at)',
];

/** Column order of the rows the writer receives (flat: LOG_COLUMNS.length values per row). */
export const LOG_COLUMNS = [
  'at',
  'station_id',
  'identity',
  'direction',
  'kind',
  'action',
  'message_id',
  'payload',
  'response',
  'responded_at',
] as const;
