// The billing domain: stored tariffs, a site's billing settings, invoice runs (preview → issue),
// invoices (void by credit note, re-issue, paid, payments import) and their PDFs. Rating is the
// pure rateSession (rating.ts); method and rules in docs/billing.md.
import { ApiFailure } from '../../src-shared/api/result';
import type { RunPreview } from '../../src-shared/api/methods/billing';
import {
  DEFAULT_BILLING_SETTINGS,
  formatInvoiceNumber,
  type BillingSettings,
} from '../../src-shared/billing/settings';
import {
  formatLocalDate,
  ROUNDING_NOTE,
  type InvoiceDocument,
} from '../../src-shared/billing/invoice-document';
import { invoiceTotals } from '../../src-shared/billing/money';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/open';
import { invoices } from '../db/schema';
import type { Outbox } from '../mail/outbox';
import type { DomainEvents } from '../platform/domain-events';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { Scheduler } from '../platform/scheduler';
import { createInvoiceEmailing } from './emailing';
import { createPeriodEndJobs } from './period-end';
import { createBillingReports } from './reports/billing-report';
import { createInvoicing, overlapMessage } from './invoicing';
import { importPayments } from './payments-import';
import { addDays, localDate, periodContaining } from './periods';
import { invoiceFileName } from './pdf/invoice-pdf';
import { createPdfPool } from './pdf/pool';
import { createRunBuilder } from './run-builder';
import { createSettingsStore } from './settings-store';
import { createTariffStore } from './tariff-store';

export function createBillingService(deps: {
  db: Db;
  outbox: Outbox;
  events: DomainEvents;
  scheduler: Scheduler;
  logger: Logger;
  clock: Clock;
}) {
  const { db } = deps;
  const tariffs = createTariffStore(db);
  const settings = createSettingsStore(db);
  const builder = createRunBuilder(db, tariffs);
  const invoicing = createInvoicing({ db, tariffs, settings, builder, events: deps.events });
  // PDFs are rendered on worker threads (pdf/pool.ts): a run's worth no longer holds the thread
  // that answers the chargers.
  const pdfPool = createPdfPool();
  const renderInvoicePdf = (doc: InvoiceDocument) => pdfPool.render(doc, logoOf(doc));

  /** What the run of the period containing `date` would invoice (nothing is written). */
  function preview(siteId: number, date: string, now: number): RunPreview {
    const stored = settings.get(siteId);
    const s: BillingSettings = stored?.settings ?? DEFAULT_BILLING_SETTINGS;
    const zone = tariffs.zoneOf(siteId);
    const period = periodContaining(s, zone, date);
    const content = builder.build(siteId, period, s);
    const blockers: string[] = [];
    if (!stored)
      blockers.push(
        'Set up billing for this site first (Settings tab): the issuer, its ABN and the cycle.',
      );
    if (now < period.endMs)
      blockers.push(
        `The period ends on ${formatLocalDate(period.end)}: issue its run after that, when every session in it has ended.`,
      );
    const issued = invoicing.issuedRun(siteId, period.start);
    // An issued period has nothing left to invoice: saying so would read as "nobody was billed".
    if (content.accounts.length === 0 && !issued)
      blockers.push('Nothing to invoice: no account has sessions or fees in this period.');
    const clash = stored ? invoicing.overlappingRun(siteId, period) : null;
    if (clash) blockers.push(overlapMessage(period, clash));
    else if (issued)
      blockers.push(
        `This period was issued on ${formatLocalDate(localDate(issued.issuedAt, zone))}: its invoices are under Invoices.`,
      );
    const totals = { exGstCents: 0, gstCents: 0, incGstCents: 0 };
    for (const a of content.accounts) {
      totals.exGstCents += a.totals.exGstCents;
      totals.gstCents += a.totals.gstCents;
      totals.incGstCents += a.totals.incGstCents;
    }
    return {
      siteId,
      period,
      accounts: content.accounts,
      held: content.held,
      totals,
      blockers,
      issuedRunId: issued?.id ?? null,
    };
  }

  function logoOf(doc: InvoiceDocument) {
    return doc.issuer.logoSha ? settings.logo(doc.issuer.logoSha) : null;
  }

  async function pdf(id: number): Promise<{ fileName: string; content: Buffer }> {
    const doc = invoicing.documentOfRow(invoicing.require(id));
    return { fileName: invoiceFileName(doc), content: await renderInvoicePdf(doc) };
  }

  /** Whose an invoice is, for the streamed download's checks (null: no such invoice). */
  function invoiceOwner(id: number) {
    const row = db.select().from(invoices).where(eq(invoices.id, id)).get();
    if (!row) return null;
    const doc = invoicing.documentOfRow(row);
    return { siteId: row.siteId, accountId: row.accountId, fileName: invoiceFileName(doc) };
  }

  /** A made-up invoice in the site's current livery (the settings page's live preview). */
  async function samplePdf(siteId: number, now: number) {
    const stored = settings.get(siteId);
    if (!stored)
      throw new ApiFailure('conflict', 'Save the billing settings first to see a sample.', {
        field: 'siteId',
      });
    const s = stored.settings;
    const zone = tariffs.zoneOf(siteId);
    const today = localDate(now, zone);
    const period = periodContaining(s, zone, addDays(today, -28));
    const parts = [
      {
        description: 'Energy — Peak',
        wh: 8_400,
        minutes: null,
        rate: '45 c/kWh',
        amountExGstCents: 378,
        explanation: '8.400 kWh × 45 c/kWh = $3.78 ex GST',
      },
      {
        description: 'Energy — Off-peak',
        wh: 21_650,
        minutes: null,
        rate: '22 c/kWh',
        amountExGstCents: 476,
        explanation: '21.650 kWh × 22 c/kWh = $4.76 ex GST',
      },
    ];
    const sessions = [
      {
        sessionId: 1001,
        started: `${period.start} 18:02`,
        ended: `${period.start} 23:40`,
        charger: 'Level B1 charger 3 / outlet 1',
        bay: 'B1-14',
        meterStartWh: 1_204_300,
        meterStopWh: 1_234_350,
        wh: 30_050,
        tariff: 'Residents time-of-use',
        parts,
        amountExGstCents: 854,
      },
    ];
    const fees = [
      {
        description: 'Monthly access fee (per account)',
        amountExGstCents: 1500,
        explanation: '1 × $15.00 = $15.00 ex GST',
      },
    ];
    const doc: InvoiceDocument = {
      kind: 'invoice',
      title: s.gstRegistered ? 'Tax invoice' : 'Invoice',
      number: formatInvoiceNumber(s.numberFormat, 42, Number(today.slice(0, 4))),
      issueDate: today,
      dueDate: addDays(today, s.dueDays),
      period: { start: period.start, end: period.end },
      issuer: {
        name: s.issuerName,
        abn: s.issuerAbn,
        address: s.issuerAddress,
        gstRegistered: s.gstRegistered,
        email: s.contactEmail,
        phone: s.contactPhone,
        footer: s.footerText,
        colours: { primary: s.primaryColour, accent: s.accentColour },
        logoSha: stored.logoSha,
      },
      buyer: {
        accountId: 0,
        strataPlan: 'SP 12345',
        siteName: 'Sample building',
        lotNumber: '14',
        unitNumber: '1402',
        ownerNames: 'Sample Owner',
        postalAddress: '1402/10 Sample Street, Sydney NSW 2000',
        emails: ['owner@example.com'],
        accountCode: 'EV014',
      },
      sessions,
      fees,
      totals: invoiceTotals([...parts, ...fees], s.gstRegistered),
      roundingNote: ROUNDING_NOTE,
      payment: {
        bank:
          s.bsb && s.bankAccountNumber && s.bankAccountName
            ? {
                bsb: `${s.bsb.slice(0, 3)}-${s.bsb.slice(3)}`,
                accountNumber: s.bankAccountNumber,
                accountName: s.bankAccountName,
                reference: 'EV014',
              }
            : null,
        bpay: s.bpayBillerCode ? { billerCode: s.bpayBillerCode, reference: '1234567' } : null,
        deft: s.deftEnabled ? { reference: '2001234567' } : null,
        strataPay: s.strataPayEnabled ? { reference: '40012345' } : null,
      },
      credits: null,
      timeZone: zone,
    };
    return {
      fileName: 'sample-invoice.pdf',
      content: await renderInvoicePdf(doc),
    };
  }

  const emailing = createInvoiceEmailing({
    db,
    outbox: deps.outbox,
    events: deps.events,
    documentOf: invoicing.documentOfRow,
    renderPdf: async (doc) => ({
      fileName: invoiceFileName(doc),
      content: await renderInvoicePdf(doc),
    }),
  });
  emailing.start();
  const periodEnd = createPeriodEndJobs({
    db,
    logger: deps.logger,
    scheduler: deps.scheduler,
    outbox: deps.outbox,
    domainEvents: deps.events,
    settings,
    builder,
    invoicing,
    now: () => deps.clock.now(),
  });

  return {
    tariffs,
    settings,
    invoicing,
    emailing,
    periodEnd,
    reports: createBillingReports(db, tariffs),
    /** Arms each billed site's period-end job (before the scheduler starts). */
    start: () => periodEnd.start(),
    stop: () => periodEnd.stop(),
    preview,
    pdf,
    invoiceOwner,
    samplePdf,
    /** A document as PDF on the pool (the benchmark writes a whole run with it). */
    renderPdf: (doc: InvoiceDocument) => renderInvoicePdf(doc),
    close: () => pdfPool.close(),
    importPayments: (siteId: number, csv: string, mode: 'preview' | 'import') =>
      importPayments(db, siteId, tariffs.zoneOf(siteId), csv, mode),
  };
}

export type BillingService = ReturnType<typeof createBillingService>;
