// Billing (src-main/billing): versioned tariffs and where they apply, public holidays, a site's
// billing settings and logo, issued runs, invoices (immutable documents), the sessions each
// invoice bills and the gap-free number sequence per issuer. Money integer cents, energy Wh,
// timestamps UTC epoch ms, local dates 'YYYY-MM-DD' in the site's zone.
import { sql } from 'drizzle-orm';
import {
  blob,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';
import { sites } from './core';
import { accounts } from './residents';
import { transactions } from './ocpp';

export const tariffs = sqliteTable(
  'tariffs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('tariffs_site_idx').on(t.siteId)],
);

/** A tariff's prices from a local date on. Versions are only ever added, never edited. */
export const tariffVersions = sqliteTable(
  'tariff_versions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tariffId: integer('tariff_id')
      .notNull()
      .references(() => tariffs.id, { onDelete: 'cascade' }),
    /** Local date in the site's zone; in effect from its 00:00. */
    effectiveFrom: text('effective_from').notNull(),
    /** UTC instant of that local midnight (what rating compares with). */
    effectiveFromMs: integer('effective_from_ms').notNull(),
    /** JSON Tariff (src-shared/billing/tariff.ts), validated. */
    definition: text('definition').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('tariff_versions_unique').on(t.tariffId, t.effectiveFrom)],
);

/** Which tariff applies where: site, station, connector; overrides per bay or account. Versioned
 *  like tariffs: each row is in force from a local date until the target's next row, and a
 *  change adds a row (tariffId null: the assignment ends there), so a run over a past period
 *  uses what was in force when each session started (docs/billing.md "Which tariff applies"). */
export const tariffAssignments = sqliteTable(
  'tariff_assignments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    target: text('target', {
      enum: ['site', 'station', 'connector', 'bay', 'account'],
    }).notNull(),
    targetId: integer('target_id').notNull(),
    /** null: from this date on, nothing is assigned here (the next level down applies). */
    tariffId: integer('tariff_id').references(() => tariffs.id, { onDelete: 'cascade' }),
    /** Local date in the site's zone; in force from its 00:00. null: since always (a change
     *  made before anything was invoiced, with no date). */
    effectiveFrom: text('effective_from'),
    /** UTC instant of that local midnight (0 for null). */
    effectiveFromMs: integer('effective_from_ms').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('tariff_assign_unique').on(t.target, t.targetId, t.effectiveFrom),
    index('tariff_assign_site').on(t.siteId),
  ],
);

export const siteHolidays = sqliteTable(
  'site_holidays',
  {
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    date: text('date').notNull(),
    name: text('name').notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.date] })],
);

/** A site's billing settings: JSON BillingSettings (src-shared/billing/settings.ts). */
export const billingSettings = sqliteTable('billing_settings', {
  siteId: integer('site_id')
    .primaryKey()
    .references(() => sites.id, { onDelete: 'cascade' }),
  settings: text('settings').notNull(),
  logoSha: text('logo_sha'),
  /** When billing was first set up here: runs for periods that ended before are not prepared
   *  by the scheduler (a manager runs them by hand). */
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** Logos by content hash: an issued invoice names its logo, so a new logo never changes it. */
export const billingLogos = sqliteTable('billing_logos', {
  sha: text('sha').primaryKey(),
  contentType: text('content_type').notNull(),
  content: blob('content', { mode: 'buffer' }).notNull(),
  createdAt: integer('created_at').notNull(),
});

/** The last number handed out per issuer (ABN, or the site when it has none). */
export const invoiceSequences = sqliteTable('invoice_sequences', {
  issuerKey: text('issuer_key').primaryKey(),
  lastSeq: integer('last_seq').notNull(),
});

/** An issued run: one per site and period. */
export const invoiceRuns = sqliteTable(
  'invoice_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'restrict' }),
    periodStart: text('period_start').notNull(),
    periodEnd: text('period_end').notNull(),
    periodStartMs: integer('period_start_ms').notNull(),
    periodEndMs: integer('period_end_ms').notNull(),
    held: integer('held').notNull(),
    issuedAt: integer('issued_at').notNull(),
    issuedBy: integer('issued_by'),
  },
  (t) => [uniqueIndex('invoice_runs_period').on(t.siteId, t.periodStart)],
);

export const invoices = sqliteTable(
  'invoices',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    runId: integer('run_id')
      .notNull()
      .references(() => invoiceRuns.id, { onDelete: 'restrict' }),
    siteId: integer('site_id').notNull(),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'restrict' }),
    kind: text('kind', { enum: ['invoice', 'credit-note'] }).notNull(),
    issuerKey: text('issuer_key').notNull(),
    seq: integer('seq').notNull(),
    number: text('number').notNull(),
    status: text('status', { enum: ['issued', 'sent', 'paid', 'void'] }).notNull(),
    issuedAt: integer('issued_at').notNull(),
    exGstCents: integer('ex_gst_cents').notNull(),
    gstCents: integer('gst_cents').notNull(),
    incGstCents: integer('inc_gst_cents').notNull(),
    /** JSON InvoiceDocument (src-shared/billing/invoice-document.ts): what it says, frozen. */
    document: text('document').notNull(),
    /** Credit note: the invoice it voids. */
    creditsInvoiceId: integer('credits_invoice_id'),
    /** A voided invoice: the invoice issued in its place. */
    reissuedAsId: integer('reissued_as_id'),
    voidReason: text('void_reason'),
    sentAt: integer('sent_at'),
    /** JSON array of addresses it was sent to. */
    sentTo: text('sent_to'),
    /** The outbox message that carries it to the owner (set when queued: a run is emailed once). */
    mailOutboxId: integer('mail_outbox_id'),
    paidAt: integer('paid_at'),
    paidReference: text('paid_reference'),
  },
  (t) => [
    uniqueIndex('invoices_issuer_seq').on(t.issuerKey, t.seq),
    // A number names one document at its site (payments CSVs, exports and owners quote it),
    // even across a change of issuer (invoicing.ts takeNumber refuses a repeat in words).
    uniqueIndex('invoices_site_number').on(t.siteId, t.number),
    index('invoices_site_idx').on(t.siteId, t.issuedAt),
    index('invoices_run_idx').on(t.runId),
    index('invoices_account_idx').on(t.accountId),
  ],
);

/** The sessions an invoice bills. `live` is 1 until the invoice is voided; a session is on at
 *  most one live invoice (the partial unique index), so two racing issues cannot bill it twice. */
export const invoiceSessions = sqliteTable(
  'invoice_sessions',
  {
    invoiceId: integer('invoice_id')
      .notNull()
      .references(() => invoices.id, { onDelete: 'restrict' }),
    transactionId: integer('transaction_id')
      .notNull()
      .references(() => transactions.id, { onDelete: 'restrict' }),
    live: integer('live'),
  },
  (t) => [
    primaryKey({ columns: [t.invoiceId, t.transactionId] }),
    uniqueIndex('invoice_sessions_live')
      .on(t.transactionId)
      .where(sql`${t.live} = 1`),
  ],
);

/** A run the scheduler prepared at a period's end (docs/billing.md "Prepared at period end"):
 *  one per site and period (never two), so a re-run of the job, a restart or a catch-up finds
 *  it and does nothing. A draft: issuing stays a person's decision (invoice-run-issue). */
export const invoiceRunDrafts = sqliteTable(
  'invoice_run_drafts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    periodStart: text('period_start').notNull(),
    periodEnd: text('period_end').notNull(),
    periodLabel: text('period_label').notNull(),
    preparedAt: integer('prepared_at').notNull(),
    /** The scheduler slot it was prepared for (06:00 local the day after the period). */
    slotAt: integer('slot_at').notNull(),
    accounts: integer('accounts').notNull(),
    held: integer('held').notNull(),
    exGstCents: integer('ex_gst_cents').notNull(),
    gstCents: integer('gst_cents').notNull(),
    incGstCents: integer('inc_gst_cents').notNull(),
    /** Managers emailed through the outbox. */
    notified: integer('notified').notNull(),
  },
  (t) => [uniqueIndex('invoice_run_drafts_period').on(t.siteId, t.periodStart)],
);
