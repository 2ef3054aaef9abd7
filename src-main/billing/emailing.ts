// Emailing a run's invoices to the owners through the mail outbox. Each invoice's message is
// queued in the same transaction that records it as queued (invoices.mail_outbox_id, sent_to),
// so a crash leaves either both or neither, and emailing the run again skips it: an owner never
// gets a second copy of a bill by a second click. The PDFs are rendered before that transaction
// (rendering is async; better-sqlite3 transactions are synchronous). When the outbox reports the
// message sent (mail.sent) the invoice becomes 'sent' with the time; a message the outbox gave
// up on is listed as failed with its reason, and `retry` queues it again.
import { and, eq, inArray } from 'drizzle-orm';
import { ApiFailure } from '../../src-shared/api/result';
import type { RunMailStatus } from '../../src-shared/api/methods/billing';
import type { InvoiceDocument } from '../../src-shared/billing/invoice-document';
import { formatCents } from '../../src-shared/billing/money';
import type { Db } from '../db/open';
import { accounts, invoiceRuns, invoices, mailOutbox } from '../db/schema';
import type { DomainEvents } from '../platform/domain-events';
import type { Outbox } from '../mail/outbox';

type InvoiceMailRow = RunMailStatus['invoices'][number];
type InvoiceMailState = InvoiceMailRow['state'];

const OUTBOX_STATES = ['queued', 'sending', 'sent', 'failed'] as const;
const outboxState = (s: string): InvoiceMailState => OUTBOX_STATES.find((x) => x === s) ?? 'queued';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A short message in the issuer's livery: the PDF is the invoice, the email only points at it. */
export function invoiceMessage(doc: InvoiceDocument): {
  subject: string;
  text: string;
  html: string;
} {
  const what = doc.kind === 'credit-note' ? 'Credit note' : doc.title;
  const subject = `${what} ${doc.number} from ${doc.issuer.name}`;
  const lines = [
    `Dear ${doc.buyer.ownerNames},`,
    '',
    `Attached is ${what.toLowerCase()} ${doc.number} for EV charging at lot ${doc.buyer.lotNumber}, ` +
      `${doc.period.start} to ${doc.period.end}: ${formatCents(doc.totals.incGstCents)}` +
      (doc.dueDate ? `, due ${doc.dueDate}.` : '.'),
    'How to pay is on the invoice.',
    '',
    doc.issuer.name,
    ...[doc.issuer.email, doc.issuer.phone].filter((x): x is string => !!x),
    ...(doc.issuer.footer ? ['', doc.issuer.footer] : []),
  ];
  const primary = /^#[0-9a-f]{6}$/i.test(doc.issuer.colours.primary)
    ? doc.issuer.colours.primary
    : '#1c4e80';
  const body = lines
    .slice(0, lines.indexOf(doc.issuer.name))
    .filter((l) => l !== '')
    .map((l) => `<p>${escapeHtml(l)}</p>`)
    .join('');
  const contact = [doc.issuer.email, doc.issuer.phone].filter((x): x is string => !!x);
  const html =
    `<div style="font-family:Arial,Helvetica,sans-serif;max-width:600px">` +
    `<div style="background:${primary};color:#fff;padding:16px 20px;font-size:18px">${escapeHtml(doc.issuer.name)}</div>` +
    `<div style="padding:16px 20px;color:#222">${body}` +
    `<p style="color:#555">${escapeHtml(doc.issuer.name)}${contact.map((c) => `<br>${escapeHtml(c)}`).join('')}</p></div>` +
    (doc.issuer.footer
      ? `<div style="border-top:3px solid ${primary};padding:8px 20px;color:#666;font-size:12px">${escapeHtml(doc.issuer.footer)}</div>`
      : '') +
    `</div>`;
  return { subject, text: lines.join('\n'), html };
}

export function createInvoiceEmailing(deps: {
  db: Db;
  outbox: Outbox;
  events: Pick<DomainEvents, 'subscribe'>;
  documentOf: (row: typeof invoices.$inferSelect) => InvoiceDocument;
  renderPdf: (doc: InvoiceDocument) => Promise<{ fileName: string; content: Buffer }>;
}) {
  const { db, outbox } = deps;

  function requireRun(siteId: number, runId: number) {
    const run = db.select().from(invoiceRuns).where(eq(invoiceRuns.id, runId)).get();
    if (!run || run.siteId !== siteId)
      throw new ApiFailure('not-found', 'That invoice run does not exist at this site.', {
        field: 'runId',
      });
    return run;
  }

  /** The run's invoices that go to owners: everything issued or already sent, not void. */
  function rowsOf(runId: number) {
    return db
      .select({ inv: invoices, emails: accounts.invoiceEmails })
      .from(invoices)
      .innerJoin(accounts, eq(accounts.id, invoices.accountId))
      .where(and(eq(invoices.runId, runId), inArray(invoices.status, ['issued', 'sent', 'paid'])))
      .orderBy(invoices.seq)
      .all();
  }

  const addressesOf = (json: string) => (JSON.parse(json) as string[]).filter((a) => a.trim());

  /** Queues every invoice of the run that has an address and was never queued. */
  async function emailRun(siteId: number, runId: number) {
    requireRun(siteId, runId);
    const todo = rowsOf(runId).filter(
      (r) =>
        r.inv.mailOutboxId === null && r.inv.status === 'issued' && addressesOf(r.emails).length,
    );
    const prepared: { id: number; to: string[]; mail: Parameters<Outbox['enqueue']>[1] }[] = [];
    // All at once: the PDF pool renders them in parallel on its workers (pdf/pool.ts).
    const rendered = await Promise.all(
      todo.map(async (r) => {
        const doc = deps.documentOf(r.inv);
        return { r, doc, pdf: await deps.renderPdf(doc) };
      }),
    );
    for (const { r, doc, pdf } of rendered) {
      const to = addressesOf(r.emails);
      prepared.push({
        id: r.inv.id,
        to,
        mail: {
          kind: 'invoice',
          to,
          ...invoiceMessage(doc),
          attachments: [
            { fileName: pdf.fileName, contentType: 'application/pdf', content: pdf.content },
          ],
        },
      });
    }
    let queued = 0;
    db.transaction((tx) => {
      for (const p of prepared) {
        // Checked again inside: a second click while the PDFs rendered queues nothing twice,
        // and an invoice voided meanwhile is not sent (its credit note goes next time).
        const still = tx
          .select({ id: invoices.mailOutboxId, status: invoices.status })
          .from(invoices)
          .where(eq(invoices.id, p.id))
          .get();
        if (!still || still.id !== null || still.status !== 'issued') continue;
        const outboxId = outbox.enqueue(tx, p.mail);
        tx.update(invoices)
          .set({ mailOutboxId: outboxId, sentTo: JSON.stringify(p.to) })
          .where(eq(invoices.id, p.id))
          .run();
        queued++;
      }
    });
    return { queued, status: status(siteId, runId) };
  }

  function status(siteId: number, runId: number): RunMailStatus {
    requireRun(siteId, runId);
    const rows = rowsOf(runId);
    const ids = rows.map((r) => r.inv.mailOutboxId).filter((x): x is number => x !== null);
    const mails = new Map(
      (ids.length
        ? db
            .select({ id: mailOutbox.id, state: mailOutbox.state, error: mailOutbox.lastError })
            .from(mailOutbox)
            .where(inArray(mailOutbox.id, ids))
            .all()
        : []
      ).map((m) => [m.id, m]),
    );
    const list = rows.map((r): InvoiceMailRow => {
      const doc = deps.documentOf(r.inv);
      const mail = r.inv.mailOutboxId === null ? undefined : mails.get(r.inv.mailOutboxId);
      const to = r.inv.sentTo ? (JSON.parse(r.inv.sentTo) as string[]) : addressesOf(r.emails);
      const state: InvoiceMailState =
        r.inv.sentAt !== null
          ? 'sent'
          : mail
            ? outboxState(mail.state)
            : to.length === 0
              ? 'to-print'
              : 'not-queued';
      return {
        invoiceId: r.inv.id,
        number: r.inv.number,
        lotNumber: doc.buyer.lotNumber,
        ownerNames: doc.buyer.ownerNames,
        state,
        to,
        sentAt: r.inv.sentAt,
        error: state === 'failed' || state === 'queued' ? (mail?.error ?? null) : null,
      };
    });
    const count = (s: InvoiceMailState) => list.filter((r) => r.state === s).length;
    return {
      runId,
      total: list.filter((r) => r.state !== 'to-print').length,
      sent: count('sent'),
      queued: count('queued') + count('sending'),
      failed: count('failed'),
      toPrint: count('to-print'),
      invoices: list,
    };
  }

  /** Queues the run's failed messages again (the outbox counts their attempts afresh). */
  function retry(siteId: number, runId: number): { retried: number } {
    let retried = 0;
    for (const r of status(siteId, runId).invoices) {
      if (r.state !== 'failed') continue;
      const id = rowsOf(runId).find((x) => x.inv.id === r.invoiceId)?.inv.mailOutboxId;
      if (id != null && outbox.retry(id) === 'ok') retried++;
    }
    return { retried };
  }

  /** Issued → sent when the outbox has handed the message to the mail server. */
  function start(): () => void {
    return deps.events.subscribe('mail.sent', (e) => {
      if (e.kind !== 'invoice') return;
      db.transaction((tx) => {
        tx.update(invoices)
          .set({ sentAt: e.at })
          .where(eq(invoices.mailOutboxId, e.outboxId))
          .run();
        tx.update(invoices)
          .set({ status: 'sent' })
          .where(and(eq(invoices.mailOutboxId, e.outboxId), eq(invoices.status, 'issued')))
          .run();
      });
    });
  }

  return { emailRun, status, retry, start };
}

export type InvoiceEmailing = ReturnType<typeof createInvoiceEmailing>;
