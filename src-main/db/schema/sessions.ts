// Sessions (src-main/sessions): what the review of a charging session decided, and how long the
// car stayed plugged in after charging stopped. The charging session itself is the OCPP
// `transactions` row (ocpp.ts), never changed by a review: a review is an overlay, so the
// readings the charger sent stay as sent (docs/sessions.md). Timestamps UTC epoch ms, energy Wh.
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './core';
import { transactions } from './ocpp';
import { accounts } from './residents';
import { REVIEW_ACTIONS } from '../../../src-shared/api/methods/sessions';

/**
 * Every review decision, never updated or deleted (the history). Each row carries the whole
 * billable state after it (copied forward from the previous one, one thing changed), so the
 * newest row alone says how billing treats the session; `session_review_state` points at it.
 */
export const sessionReviews = sqliteTable(
  'session_reviews',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    transactionId: integer('transaction_id')
      .notNull()
      .references(() => transactions.id, { onDelete: 'cascade' }),
    action: text('action', { enum: REVIEW_ACTIONS }).notNull(),
    /** Why (mandatory, in the manager's words). */
    reason: text('reason').notNull(),
    /** The flag this decision resolved, as it was then (null: the session was not flagged). */
    flag: text('flag', { enum: ['suspect', 'review'] }),
    flagReason: text('flag_reason'),
    /** The state after this decision: */
    excluded: integer('excluded', { mode: 'boolean' }).notNull(),
    /** Stop register to bill from instead of the charger's, Wh (null: the charger's). */
    meterStopWh: integer('meter_stop_wh'),
    /** Stop time to bill to instead of the charger's (a session whose stop never came). */
    stoppedAt: integer('stopped_at'),
    /** The meter sample the stop reading was taken from. */
    sampleId: integer('sample_id'),
    /** Account to bill instead of the one fixed at start (null: that one). */
    accountId: integer('account_id').references(() => accounts.id, { onDelete: 'set null' }),
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    at: integer('at').notNull(),
  },
  (t) => [index('session_reviews_tx_idx').on(t.transactionId, t.id)],
);

/** One row per reviewed session: its newest decision, denormalised for the list and billing. */
export const sessionReviewState = sqliteTable(
  'session_review_state',
  {
    transactionId: integer('transaction_id')
      .primaryKey()
      .references(() => transactions.id, { onDelete: 'cascade' }),
    reviewId: integer('review_id')
      .notNull()
      .references(() => sessionReviews.id, { onDelete: 'cascade' }),
    action: text('action', { enum: REVIEW_ACTIONS }).notNull(),
    flag: text('flag', { enum: ['suspect', 'review'] }),
    flagReason: text('flag_reason'),
    excluded: integer('excluded', { mode: 'boolean' }).notNull(),
    meterStopWh: integer('meter_stop_wh'),
    stoppedAt: integer('stopped_at'),
    accountId: integer('account_id').references(() => accounts.id, { onDelete: 'set null' }),
    at: integer('at').notNull(),
  },
  (t) => [index('session_review_state_account_idx').on(t.accountId)],
);

/**
 * How long the car occupied the bay after charging stopped, from the connector's status
 * notifications (docs/sessions.md "Occupied after charging"): `chargingEndedAt` is the first
 * SuspendedEV / Finishing after the last Charging (or the stop, if earlier), `vacatedAt` the
 * connector's next Available. Null while not known.
 */
export const sessionOccupancy = sqliteTable(
  'session_occupancy',
  {
    transactionId: integer('transaction_id')
      .primaryKey()
      .references(() => transactions.id, { onDelete: 'cascade' }),
    chargingEndedAt: integer('charging_ended_at'),
    vacatedAt: integer('vacated_at'),
    /** vacatedAt − chargingEndedAt, ms (for sorting and filtering). */
    idleMs: integer('idle_ms'),
  },
  (t) => [index('session_occupancy_idle_idx').on(t.idleMs)],
);
