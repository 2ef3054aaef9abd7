// Issuing, voiding and re-issuing invoices. Each is one synchronous transaction that computes
// what it writes (run-builder.ts) and takes its numbers inside it, so a crash mid-issue rolls
// everything back, numbers included (no gap), and a second or racing issue of the same period
// finds the run already there (one set of numbers). Issued documents are never edited: a void
// writes a credit note that negates the invoice line for line, and releases its sessions.
import { and, asc, desc, eq, gte, lte, ne, or } from 'drizzle-orm';
import { ApiFailure } from '../../src-shared/api/result';
import { invoiceTotals } from '../../src-shared/billing/money';
import {
  formatLocalDate,
  ROUNDING_NOTE,
  type InvoiceDocument,
  type InvoiceKind,
  type PaymentOptions,
} from '../../src-shared/billing/invoice-document';
import { formatInvoiceNumber, type BillingSettings } from '../../src-shared/billing/settings';
import type { InvoiceSummary } from '../../src-shared/api/methods/billing';
import { strataPlanLabel } from '../../src-shared/validation';
import type { Db } from '../db/open';
import type { DomainEvents } from '../platform/domain-events';
import { accounts, invoiceRuns, invoiceSessions, invoices, sites } from '../db/schema';
import { addDays, localDate, periodContaining, type Period } from './periods';
import type { AccountBill, RunBuilder } from './run-builder';
import {
  invoiceListWhere,
  invoiceSummaries,
  periodLabelOf,
  type InvoiceListQuery,
} from './invoice-summaries';
import type { SettingsStore } from './settings-store';
import type { TariffStore } from './tariff-store';

export type InvoiceRow = typeof invoices.$inferSelect;
type RunRow = typeof invoiceRuns.$inferSelect;

/** Why `period` cannot be issued: it shares days with a run issued under another cycle. */
export function overlapMessage(period: Period, run: { periodStart: string; periodEnd: string }) {
  return `The period ${period.label} overlaps the run issued for ${periodLabelOf(run.periodStart, run.periodEnd)} (the billing cycle changed since); each day is invoiced once. Invoice the days after it with a cycle whose period starts on ${formatLocalDate(addDays(run.periodEnd, 1))} (e.g. monthly), then change the cycle.`;
}

export function issuerKeyOf(siteId: number, s: BillingSettings): string {
  return s.issuerAbn ? `abn:${s.issuerAbn}` : `site:${siteId}`;
}

export function createInvoicing(deps: {
  db: Db;
  tariffs: TariffStore;
  settings: SettingsStore;
  builder: RunBuilder;
  events: DomainEvents;
}) {
  const { db, tariffs, builder } = deps;
  const nextSeqStmt = db.$client.prepare(`
    INSERT INTO invoice_sequences (issuer_key, last_seq) VALUES (?, 1)
    ON CONFLICT (issuer_key) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq AS seq`);
  // A run writes 500 invoices and 50,000 session links: prepared once, not built by drizzle per
  // row (that was ~20 % of a quarterly run's CPU).
  const insertInvoiceStmt = db.$client.prepare(`
    INSERT INTO invoices (run_id, site_id, account_id, kind, issuer_key, seq, number, status,
      issued_at, ex_gst_cents, gst_cents, inc_gst_cents, document, credits_invoice_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, 'issued', ?, ?, ?, ?, ?, ?) RETURNING id`);
  const insertSessionStmt = db.$client.prepare(
    `INSERT INTO invoice_sessions (invoice_id, transaction_id, live) VALUES (?, ?, 1)`,
  );

  function requireSettings(siteId: number) {
    const s = deps.settings.get(siteId);
    if (!s) {
      throw new ApiFailure(
        'conflict',
        'Set up billing for this site first (Billing → Settings): the issuer, its ABN and the cycle.',
        { field: 'siteId' },
      );
    }
    return s;
  }

  function siteRow(siteId: number) {
    const s = db.select().from(sites).where(eq(sites.id, siteId)).get();
    if (!s) throw new ApiFailure('not-found', 'That site no longer exists.', { field: 'siteId' });
    return s;
  }

  function paymentOptions(s: BillingSettings, a: typeof accounts.$inferSelect): PaymentOptions {
    const ref = a.accountCode ?? `LOT${a.lotNumber}`;
    return {
      bank:
        s.bsb && s.bankAccountNumber && s.bankAccountName
          ? {
              bsb: `${s.bsb.slice(0, 3)}-${s.bsb.slice(3)}`,
              accountNumber: s.bankAccountNumber,
              accountName: s.bankAccountName,
              reference: ref,
            }
          : null,
      bpay:
        s.bpayBillerCode && a.bpayReference
          ? { billerCode: s.bpayBillerCode, reference: a.bpayReference }
          : null,
      deft: s.deftEnabled && a.deftReference ? { reference: a.deftReference } : null,
      strataPay:
        s.strataPayEnabled && a.strataPayReference ? { reference: a.strataPayReference } : null,
    };
  }

  /** The document for a bill, frozen at issue. */
  function documentOf(args: {
    kind: InvoiceKind;
    bill: AccountBill;
    number: string;
    issueDate: string;
    period: { start: string; end: string };
    siteId: number;
    settings: BillingSettings;
    logoSha: string | null;
    credits: InvoiceDocument['credits'];
    /** Already read by the caller (a run reads the site and its accounts once). */
    site?: typeof sites.$inferSelect;
    account?: typeof accounts.$inferSelect;
  }): InvoiceDocument {
    const { settings: s, bill } = args;
    const site = args.site ?? siteRow(args.siteId);
    const a =
      args.account ?? db.select().from(accounts).where(eq(accounts.id, bill.accountId)).get();
    if (!a) throw new Error(`account ${bill.accountId} vanished during issue`);
    return {
      kind: args.kind,
      title:
        args.kind === 'credit-note'
          ? s.gstRegistered
            ? 'Adjustment note (credit note)'
            : 'Credit note'
          : s.gstRegistered
            ? 'Tax invoice'
            : 'Invoice',
      number: args.number,
      issueDate: args.issueDate,
      dueDate: args.kind === 'invoice' ? addDays(args.issueDate, s.dueDays) : null,
      period: args.period,
      issuer: {
        name: s.issuerName,
        abn: s.issuerAbn,
        address: s.issuerAddress,
        gstRegistered: s.gstRegistered,
        email: s.contactEmail,
        phone: s.contactPhone,
        footer: s.footerText,
        colours: { primary: s.primaryColour, accent: s.accentColour },
        logoSha: args.logoSha,
      },
      buyer: {
        accountId: a.id,
        strataPlan: strataPlanLabel(site.strataPlan),
        siteName: site.name,
        lotNumber: a.lotNumber,
        unitNumber: a.unitNumber,
        ownerNames: a.ownerNames,
        postalAddress: a.postalAddress,
        emails: JSON.parse(a.invoiceEmails) as string[],
        accountCode: a.accountCode,
      },
      sessions: bill.sessions,
      fees: bill.fees,
      totals: bill.totals,
      roundingNote: ROUNDING_NOTE,
      payment: paymentOptions(s, a),
      credits: args.credits,
      timeZone: site.timeZone,
    };
  }

  const numberTakenStmt = db.$client
    .prepare('SELECT 1 FROM invoices WHERE site_id = ? AND number = ?')
    .pluck();

  /** Takes the next number of the issuer (inside the caller's transaction). A new issuer (an
   *  ABN added or corrected) starts its own sequence; where its numbers would repeat one the
   *  site already issued, the whole issue is refused (rolled back: no gap) until the format
   *  differs, so a number always names one document (payments CSVs, exports). */
  function takeNumber(siteId: number, issuerKey: string, s: BillingSettings, issueDate: string) {
    const { seq } = nextSeqStmt.get(issuerKey) as { seq: number };
    const number = formatInvoiceNumber(s.numberFormat, seq, Number(issueDate.slice(0, 4)));
    if (numberTakenStmt.get(siteId, number) !== undefined) {
      throw new ApiFailure(
        'conflict',
        `Invoice number ${number} was already issued at this site (before the issuer or its ABN changed). Change the invoice number format in Billing → Settings (e.g. "${s.numberFormat.replace('{seq', 'B{seq')}") so new numbers differ from the earlier ones.`,
        { field: 'numberFormat' },
      );
    }
    return { seq, number };
  }

  function insertInvoice(args: {
    runId: number;
    siteId: number;
    doc: InvoiceDocument;
    issuerKey: string;
    seq: number;
    now: number;
    creditsInvoiceId?: number;
    sessionIds: number[];
  }): number {
    const { doc } = args;
    const row = insertInvoiceStmt.get(
      args.runId,
      args.siteId,
      doc.buyer.accountId,
      doc.kind,
      args.issuerKey,
      args.seq,
      doc.number,
      args.now,
      doc.totals.exGstCents,
      doc.totals.gstCents,
      doc.totals.incGstCents,
      JSON.stringify(doc),
      args.creditsInvoiceId ?? null,
    ) as { id: number };
    for (const transactionId of args.sessionIds) insertSessionStmt.run(row.id, transactionId);
    return row.id;
  }

  function periodFor(siteId: number, date: string): Period {
    const { settings } = requireSettings(siteId);
    return periodContaining(settings, tariffs.zoneOf(siteId), date);
  }

  function issuedRun(siteId: number, periodStart: string): RunRow | null {
    return (
      db
        .select()
        .from(invoiceRuns)
        .where(and(eq(invoiceRuns.siteId, siteId), eq(invoiceRuns.periodStart, periodStart)))
        .get() ?? null
    );
  }

  /** An issued run that shares days with `period` without being that period (the cycle or its
   *  end day changed since it was issued), or null. Issuing such a period would bill those
   *  days' monthly fees twice, or (same start) be taken for the issued run and skip the rest. */
  function overlappingRun(siteId: number, period: Period): RunRow | null {
    return (
      db
        .select()
        .from(invoiceRuns)
        .where(
          and(
            eq(invoiceRuns.siteId, siteId),
            lte(invoiceRuns.periodStart, period.end),
            gte(invoiceRuns.periodEnd, period.start),
            or(ne(invoiceRuns.periodStart, period.start), ne(invoiceRuns.periodEnd, period.end)),
          ),
        )
        .orderBy(asc(invoiceRuns.periodStart))
        .get() ?? null
    );
  }

  /** Issues the run of the period containing `date`: once. */
  function issueRun(
    siteId: number,
    date: string,
    userId: number | null,
    now: number,
  ): { run: RunRow; alreadyIssued: boolean } {
    const { settings: s, logoSha } = requireSettings(siteId);
    const zone = tariffs.zoneOf(siteId);
    const period = periodContaining(s, zone, date);
    if (now < period.endMs) {
      throw new ApiFailure(
        'conflict',
        `The period ${period.label} ends on ${formatLocalDate(period.end)}; issue its run after that, when every session in it has ended.`,
        { field: 'date' },
      );
    }
    // Its event (billing.run-issued) is delivered after COMMIT, never for a rolled-back issue.
    return deps.events.transaction(
      (run) => db.transaction(() => run()),
      () => {
        const clash = overlappingRun(siteId, period);
        if (clash)
          throw new ApiFailure('conflict', overlapMessage(period, clash), { field: 'date' });
        const existing = issuedRun(siteId, period.start);
        if (existing) return { run: existing, alreadyIssued: true };
        const content = builder.build(siteId, period, s);
        if (content.accounts.length === 0) {
          throw new ApiFailure(
            'conflict',
            `Nothing to invoice for ${period.label}: no account has sessions or fees in it.`,
            { field: 'date' },
          );
        }
        const run = db
          .insert(invoiceRuns)
          .values({
            siteId,
            periodStart: period.start,
            periodEnd: period.end,
            periodStartMs: period.startMs,
            periodEndMs: period.endMs,
            held: content.held.length,
            issuedAt: now,
            issuedBy: userId,
          })
          .returning()
          .get();
        const issueDate = localDate(now, zone);
        const issuerKey = issuerKeyOf(siteId, s);
        const site = siteRow(siteId);
        const siteAccounts = new Map(
          db
            .select()
            .from(accounts)
            .where(eq(accounts.siteId, siteId))
            .all()
            .map((a) => [a.id, a]),
        );
        for (const bill of content.accounts) {
          const { seq, number } = takeNumber(siteId, issuerKey, s, issueDate);
          const doc = documentOf({
            kind: 'invoice',
            bill,
            number,
            issueDate,
            period: { start: period.start, end: period.end },
            siteId,
            settings: s,
            logoSha,
            credits: null,
            site,
            account: siteAccounts.get(bill.accountId),
          });
          insertInvoice({
            runId: run.id,
            siteId,
            doc,
            issuerKey,
            seq,
            now,
            sessionIds: bill.sessions.map((x) => x.sessionId),
          });
        }
        deps.events.publish({
          type: 'billing.run-issued',
          siteId,
          runId: run.id,
          periodStart: period.start,
          periodEnd: period.end,
          invoices: content.accounts.length,
          at: now,
        });
        return { run, alreadyIssued: false };
      },
    );
  }

  function require(id: number): InvoiceRow {
    const row = db.select().from(invoices).where(eq(invoices.id, id)).get();
    if (!row) throw new ApiFailure('not-found', 'That invoice no longer exists.', { field: 'id' });
    return row;
  }

  const documentOfRow = (row: InvoiceRow) => JSON.parse(row.document) as InvoiceDocument;

  /** Voids an invoice with a credit note that negates it line for line. */
  function voidInvoice(id: number, reason: string, now: number): { creditNoteId: number } {
    return db.transaction(() => {
      const inv = require(id);
      if (inv.kind === 'credit-note')
        throw new ApiFailure('conflict', 'A credit note cannot be voided.', { field: 'id' });
      if (inv.status === 'void')
        throw new ApiFailure('conflict', `Invoice ${inv.number} is already void.`, { field: 'id' });
      const { settings: s, logoSha } = requireSettings(inv.siteId);
      const doc = documentOfRow(inv);
      const neg = <T extends { amountExGstCents: number }>(x: T): T => ({
        ...x,
        amountExGstCents: -x.amountExGstCents,
      });
      const sessions = doc.sessions.map((l) => ({ ...neg(l), parts: l.parts.map(neg) }));
      const fees = doc.fees.map(neg);
      const totals = invoiceTotals(
        [...sessions.flatMap((l) => l.parts), ...fees],
        doc.issuer.gstRegistered,
      );
      const zone = tariffs.zoneOf(inv.siteId);
      const issueDate = localDate(now, zone);
      const issuerKey = issuerKeyOf(inv.siteId, s);
      const { seq, number } = takeNumber(inv.siteId, issuerKey, s, issueDate);
      const credit: InvoiceDocument = {
        ...doc,
        kind: 'credit-note',
        title: doc.issuer.gstRegistered ? 'Adjustment note (credit note)' : 'Credit note',
        number,
        issueDate,
        dueDate: null,
        sessions,
        fees,
        totals,
        issuer: { ...doc.issuer, logoSha: logoSha ?? doc.issuer.logoSha },
        credits: { number: doc.number, issueDate: doc.issueDate },
      };
      const creditNoteId = insertInvoice({
        runId: inv.runId,
        siteId: inv.siteId,
        doc: credit,
        issuerKey,
        seq,
        now,
        creditsInvoiceId: inv.id,
        sessionIds: [],
      });
      db.update(invoices)
        .set({ status: 'void', voidReason: reason })
        .where(eq(invoices.id, id))
        .run();
      db.update(invoiceSessions).set({ live: null }).where(eq(invoiceSessions.invoiceId, id)).run();
      return { creditNoteId };
    });
  }

  /** A new invoice for a voided invoice's sessions (rated again) and fees. */
  function reissue(id: number, now: number): number {
    return db.transaction(() => {
      const inv = require(id);
      if (inv.status !== 'void')
        throw new ApiFailure('conflict', `Invoice ${inv.number} is not void; void it first.`, {
          field: 'id',
        });
      if (inv.reissuedAsId !== null)
        throw new ApiFailure('conflict', `Invoice ${inv.number} was already re-issued.`, {
          field: 'id',
        });
      const { settings: s, logoSha } = requireSettings(inv.siteId);
      const doc = documentOfRow(inv);
      const sessionIds = db
        .select({ id: invoiceSessions.transactionId })
        .from(invoiceSessions)
        .where(eq(invoiceSessions.invoiceId, id))
        .all()
        .map((r) => r.id);
      const { bill } = builder.rebill(inv.siteId, inv.accountId, sessionIds, doc.fees, s);
      if (bill.sessions.length === 0 && bill.fees.length === 0)
        throw new ApiFailure('conflict', 'Nothing left to invoice: every session is held.', {
          field: 'id',
        });
      const zone = tariffs.zoneOf(inv.siteId);
      const issueDate = localDate(now, zone);
      const issuerKey = issuerKeyOf(inv.siteId, s);
      const { seq, number } = takeNumber(inv.siteId, issuerKey, s, issueDate);
      const fresh = documentOf({
        kind: 'invoice',
        bill,
        number,
        issueDate,
        period: doc.period,
        siteId: inv.siteId,
        settings: s,
        logoSha,
        credits: null,
      });
      const newId = insertInvoice({
        runId: inv.runId,
        siteId: inv.siteId,
        doc: fresh,
        issuerKey,
        seq,
        now,
        sessionIds: bill.sessions.map((x) => x.sessionId),
      });
      db.update(invoices).set({ reissuedAsId: newId }).where(eq(invoices.id, id)).run();
      return newId;
    });
  }

  function markPaid(id: number, paidAt: number, reference: string | null): void {
    const inv = require(id);
    if (inv.kind === 'credit-note')
      throw new ApiFailure('conflict', 'A credit note is not paid.', { field: 'id' });
    if (inv.status === 'void')
      throw new ApiFailure('conflict', `Invoice ${inv.number} is void.`, { field: 'id' });
    if (inv.status === 'paid')
      throw new ApiFailure('conflict', `Invoice ${inv.number} is already paid.`, { field: 'id' });
    db.update(invoices)
      .set({ status: 'paid', paidAt, paidReference: reference })
      .where(eq(invoices.id, id))
      .run();
  }

  function summaryOf(row: InvoiceRow): InvoiceSummary {
    const doc = documentOfRow(row);
    const credit =
      row.kind === 'invoice'
        ? db
            .select({ id: invoices.id })
            .from(invoices)
            .where(eq(invoices.creditsInvoiceId, row.id))
            .get()
        : undefined;
    return {
      id: row.id,
      runId: row.runId,
      siteId: row.siteId,
      accountId: row.accountId,
      kind: row.kind,
      number: row.number,
      status: row.status,
      lotNumber: doc.buyer.lotNumber,
      ownerNames: doc.buyer.ownerNames,
      issueDate: doc.issueDate,
      dueDate: doc.dueDate,
      periodLabel: periodLabelOf(doc.period.start, doc.period.end),
      totals: { exGstCents: row.exGstCents, gstCents: row.gstCents, incGstCents: row.incGstCents },
      sessions: doc.sessions.length,
      paidAt: row.paidAt,
      paidReference: row.paidReference,
      sentAt: row.sentAt,
      sentTo: row.sentTo ? (JSON.parse(row.sentTo) as string[]) : [],
      creditNoteId: credit?.id ?? null,
      creditsInvoiceId: row.creditsInvoiceId,
      reissuedAsId: row.reissuedAsId,
    };
  }

  function list(q: InvoiceListQuery): InvoiceRow[] {
    return db
      .select()
      .from(invoices)
      .where(invoiceListWhere(q))
      .orderBy(desc(invoices.issuedAt), desc(invoices.seq))
      .limit(q.limit)
      .all();
  }

  function runs(siteId: number) {
    return db
      .select()
      .from(invoiceRuns)
      .where(eq(invoiceRuns.siteId, siteId))
      .orderBy(desc(invoiceRuns.periodStartMs))
      .all();
  }

  function runTotals(runId: number) {
    // Only the amounts: a quarter's documents are tens of MB.
    const rows = db
      .select({
        kind: invoices.kind,
        exGstCents: invoices.exGstCents,
        gstCents: invoices.gstCents,
        incGstCents: invoices.incGstCents,
      })
      .from(invoices)
      .where(eq(invoices.runId, runId))
      .all();
    const t = { exGstCents: 0, gstCents: 0, incGstCents: 0 };
    for (const r of rows) {
      t.exGstCents += r.exGstCents;
      t.gstCents += r.gstCents;
      t.incGstCents += r.incGstCents;
    }
    return { totals: t, invoices: rows.filter((r) => r.kind === 'invoice').length };
  }

  return {
    requireSettings,
    periodFor,
    issuedRun,
    overlappingRun,
    issueRun,
    voidInvoice,
    reissue,
    markPaid,
    require,
    documentOfRow,
    summaryOf,
    list,
    /** list(q).map(summaryOf), without parsing whole documents (invoice-summaries.ts). */
    summaries: (q: InvoiceListQuery) => invoiceSummaries(db, q),
    runs,
    runTotals,
    documentOf,
  };
}

export type Invoicing = ReturnType<typeof createInvoicing>;
