// Reports (src-main/reports): daily totals of the completed charging sessions, so a quarter's
// totals read a few thousand summed rows instead of sorting 100,000+ sessions. Kept by SQLite
// triggers in the same transaction as every write to `transactions` and `session_accounts`
// (src-main/reports/rollup.ts: a stop, a re-attribution, a change of owner, an import, a demo
// history, a restore's own rows), rebuilt for a site when its time zone or a station's site
// changes. Days are the site's local calendar days (local epoch ms ÷ a day, as
// reports/local-time.ts counts them); a session counts on the day and hour it STARTED, with
// its energy (stop − start reading, never below 0) and its time plugged in (stop − start).
// Sessions still charging (or completed without a stop time) are not in them: the totals read
// those few from `transactions`.
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Per outlet and local day. `last_stop` is the latest stop of the day's sessions (an upper
 *  bound once a session leaves): the totals clip a session's plugged-in time to the period's
 *  end, and only the days whose `last_stop` is past it need the sessions themselves. */
export const sessionRollupOutletDay = sqliteTable(
  'session_rollup_outlet_day',
  {
    stationId: integer('station_id').notNull(),
    connectorNumber: integer('connector_number').notNull(),
    day: integer('day').notNull(),
    sessions: integer('sessions').notNull(),
    energyWh: integer('energy_wh').notNull(),
    occupiedMs: integer('occupied_ms').notNull(),
    lastStop: integer('last_stop').notNull(),
  },
  (t) => [primaryKey({ columns: [t.stationId, t.day, t.connectorNumber] })],
);

/** Per site, local day and local hour of the start. */
export const sessionRollupHour = sqliteTable(
  'session_rollup_hour',
  {
    siteId: integer('site_id').notNull(),
    day: integer('day').notNull(),
    hour: integer('hour').notNull(),
    sessions: integer('sessions').notNull(),
    energyWh: integer('energy_wh').notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.day, t.hour] })],
);

/** Per site, local month ("YYYY-MM") and who it was billed to (session_accounts; 0: nobody,
 *  no card) and the id tag presented: a card charges about once a day, so a daily grain would
 *  hold nearly a row per session. Periods that are not whole months read their edges from
 *  `transactions`. */
export const sessionRollupCardMonth = sqliteTable(
  'session_rollup_card_month',
  {
    siteId: integer('site_id').notNull(),
    month: text('month').notNull(),
    accountId: integer('account_id').notNull(),
    cardId: integer('card_id').notNull(),
    idTag: text('id_tag').notNull(),
    sessions: integer('sessions').notNull(),
    energyWh: integer('energy_wh').notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.month, t.accountId, t.cardId, t.idTag] })],
);
