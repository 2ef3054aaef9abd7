// Residents (src-main/residents): a billing account per lot, the residents of an account, bays
// (what a connector is for) and RFID cards. A lot changes hands by closing one account and opening
// another, so an account has the dates it was open; sessions record the account they belong to
// when they start (session_accounts), so a later change of owner never moves an old session.
// Timestamps UTC epoch ms.
import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';
import { connectors, sites, stations, users } from './core';
import { transactions } from './ocpp';

export const accounts = sqliteTable(
  'accounts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    lotNumber: text('lot_number').notNull(),
    unitNumber: text('unit_number'),
    ownerNames: text('owner_names').notNull(),
    postalAddress: text('postal_address'),
    /** JSON array of addresses invoices go to. */
    invoiceEmails: text('invoice_emails').notNull().default('[]'),
    /** The strata accounting package's account code for the lot. */
    accountCode: text('account_code'),
    bpayReference: text('bpay_reference'),
    deftReference: text('deft_reference'),
    strataPayReference: text('stratapay_reference'),
    notes: text('notes'),
    /** From when the account owns the lot (inclusive). */
    openedAt: integer('opened_at').notNull(),
    /** Until when (exclusive); null while open. */
    closedAt: integer('closed_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('accounts_lot_idx').on(t.siteId, t.lotNumber, t.openedAt)],
);

export const residents = sqliteTable(
  'residents',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    email: text('email'),
    phone: text('phone'),
    /** The resident's EV-user login, when they have one. */
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('residents_account_idx').on(t.accountId), index('residents_user_idx').on(t.userId)],
);

/** What a connector is for. A connector without a row is a shared bay. */
export const bays = sqliteTable('bays', {
  connectorId: integer('connector_id')
    .primaryKey()
    .references(() => connectors.id, { onDelete: 'cascade' }),
  kind: text('kind', { enum: ['private', 'shared', 'visitor'] }).notNull(),
  /** Private: the account it is locked to. Visitor: the account billed, or null (nobody). */
  accountId: integer('account_id').references(() => accounts.id, { onDelete: 'set null' }),
  label: text('label'),
  updatedAt: integer('updated_at').notNull(),
});

export const cards = sqliteTable(
  'cards',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    /** Exactly what the site's chargers send (OCPP idTag, at most 20 characters). */
    idTag: text('id_tag').notNull(),
    /** As typed or printed, when it differs from idTag. */
    printed: text('printed'),
    label: text('label'),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    residentId: integer('resident_id').references(() => residents.id, { onDelete: 'set null' }),
    /** 'replaced' cards are refused like blocked ones and point at their replacement. */
    status: text('status', { enum: ['active', 'blocked', 'replaced'] }).notNull(),
    /** Refused from this time on (Expired). */
    expiresAt: integer('expires_at'),
    replacedById: integer('replaced_by_id'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('cards_site_tag_unique').on(t.siteId, t.idTag),
    index('cards_account_idx').on(t.accountId),
  ],
);

/** Cards presented at a site's chargers that no card matched ("recent unknown cards"). */
export const unknownCards = sqliteTable(
  'unknown_cards',
  {
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    idTag: text('id_tag').notNull(),
    stationId: integer('station_id').references(() => stations.id, { onDelete: 'set null' }),
    count: integer('count').notNull().default(1),
    firstAt: integer('first_at').notNull(),
    lastAt: integer('last_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.idTag] }), index('unknown_cards_last').on(t.lastAt)],
);

/** Per site: the form its chargers send card numbers in, and the learn-mode window. */
export const siteCardSettings = sqliteTable('site_card_settings', {
  siteId: integer('site_id')
    .primaryKey()
    .references(() => sites.id, { onDelete: 'cascade' }),
  /** JSON CardForm (src-shared/card-number.ts); null until learnt or set. */
  form: text('form'),
  learnUntil: integer('learn_until'),
  /** The printed number the manager typed before tapping, to learn the byte order. */
  learnPrinted: text('learn_printed'),
  learntIdTag: text('learnt_id_tag'),
  learntAt: integer('learnt_at'),
  learntStationId: integer('learnt_station_id'),
});

/** Who a session belongs to, fixed when it starts. */
export const sessionAccounts = sqliteTable(
  'session_accounts',
  {
    transactionId: integer('transaction_id')
      .primaryKey()
      .references(() => transactions.id, { onDelete: 'cascade' }),
    accountId: integer('account_id').references(() => accounts.id, { onDelete: 'set null' }),
    cardId: integer('card_id').references(() => cards.id, { onDelete: 'set null' }),
    /** How it was attributed: the card, a private bay, a visitor bay (free). */
    via: text('via', { enum: ['card', 'private-bay', 'visitor-bay'] }).notNull(),
    free: integer('free', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [index('session_accounts_account_idx').on(t.accountId)],
);

/** Per charger: the local authorisation list it last accepted from us (local-list-sync.ts). */
export const localListSnapshots = sqliteTable('local_list_snapshots', {
  stationId: integer('station_id')
    .primaryKey()
    .references(() => stations.id, { onDelete: 'cascade' }),
  version: integer('version').notNull(),
  /** JSON: idTag → the idTagInfo sent (status, expiryDate). */
  entries: text('entries').notNull(),
  syncedAt: integer('synced_at'),
  /** The charger's last answer: Accepted, Failed, VersionMismatch, NotSupported, or why not sent. */
  result: text('result'),
});
