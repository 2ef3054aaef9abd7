// The invoice lists' rows (the run's invoices, an EV user's own): an InvoiceSummary per invoice
// without reading whole documents into JS. A quarter's 500 documents are ~38 MB of JSON; SQLite
// picks out the few fields a summary shows (json_extract parses each document once, in C: ~50 ms
// for those 500, JSON.parse ~300 ms) and each invoice's credit note in the same query. Same
// summaries as invoicing.summaryOf of each row (tested in billing-run.test.ts).
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { InvoiceSummary } from '../../src-shared/api/methods/billing';
import { formatLocalDate } from '../../src-shared/billing/invoice-document';
import type { Db } from '../db/open';
import { invoices } from '../db/schema';

export interface InvoiceListQuery {
  siteId?: number;
  runId?: number;
  status?: string;
  accountIds?: number[];
  limit: number;
}

export const invoiceListWhere = (q: InvoiceListQuery) =>
  and(
    q.siteId === undefined ? undefined : eq(invoices.siteId, q.siteId),
    q.runId === undefined ? undefined : eq(invoices.runId, q.runId),
    q.status === undefined || q.status === 'draft'
      ? undefined
      : eq(invoices.status, q.status as (typeof invoices.$inferSelect)['status']),
    q.accountIds === undefined ? undefined : inArray(invoices.accountId, q.accountIds),
  );

export const periodLabelOf = (start: string, end: string) =>
  `${formatLocalDate(start)}–${formatLocalDate(end)}`;

/** The summaries of the invoices `q` selects, newest first (as invoicing.list orders them). */
export function invoiceSummaries(db: Db, q: InvoiceListQuery): InvoiceSummary[] {
  const doc = (path: string) => sql`json_extract(${invoices.document}, ${path})`;
  const rows = db
    .select({
      id: invoices.id,
      runId: invoices.runId,
      siteId: invoices.siteId,
      accountId: invoices.accountId,
      kind: invoices.kind,
      number: invoices.number,
      status: invoices.status,
      lotNumber: doc('$.buyer.lotNumber').mapWith(String),
      ownerNames: doc('$.buyer.ownerNames').mapWith(String),
      issueDate: doc('$.issueDate').mapWith(String),
      dueDate: sql<string | null>`${doc('$.dueDate')}`,
      periodStart: doc('$.period.start').mapWith(String),
      periodEnd: doc('$.period.end').mapWith(String),
      exGstCents: invoices.exGstCents,
      gstCents: invoices.gstCents,
      incGstCents: invoices.incGstCents,
      sessions: sql`json_array_length(${invoices.document}, '$.sessions')`.mapWith(Number),
      paidAt: invoices.paidAt,
      paidReference: invoices.paidReference,
      sentAt: invoices.sentAt,
      sentTo: invoices.sentTo,
      // Spelled out: drizzle writes a one-table select's columns unqualified, which inside the
      // subquery would name the credit note's own id.
      creditNoteId: sql<number | null>`CASE WHEN "invoices"."kind" = 'invoice' THEN
        (SELECT c.id FROM invoices c WHERE c.credits_invoice_id = "invoices"."id" LIMIT 1) END`,
      creditsInvoiceId: invoices.creditsInvoiceId,
      reissuedAsId: invoices.reissuedAsId,
    })
    .from(invoices)
    .where(invoiceListWhere(q))
    .orderBy(desc(invoices.issuedAt), desc(invoices.seq))
    .limit(q.limit)
    .all();
  return rows.map((r) => ({
    id: r.id,
    runId: r.runId,
    siteId: r.siteId,
    accountId: r.accountId,
    kind: r.kind,
    number: r.number,
    status: r.status,
    lotNumber: r.lotNumber,
    ownerNames: r.ownerNames,
    issueDate: r.issueDate,
    dueDate: r.dueDate,
    periodLabel: periodLabelOf(r.periodStart, r.periodEnd),
    totals: { exGstCents: r.exGstCents, gstCents: r.gstCents, incGstCents: r.incGstCents },
    sessions: r.sessions,
    paidAt: r.paidAt,
    paidReference: r.paidReference,
    sentAt: r.sentAt,
    sentTo: r.sentTo ? (JSON.parse(r.sentTo) as string[]) : [],
    creditNoteId: r.creditNoteId,
    creditsInvoiceId: r.creditsInvoiceId,
    reissuedAsId: r.reissuedAsId,
  }));
}
