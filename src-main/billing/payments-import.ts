// Marking invoices paid from a payments CSV (a bank or BPAY statement reduced to four columns:
// invoice number, amount, date, reference). Every row is checked first; the import writes only
// when every row is good, in one transaction, so a bad file changes nothing.
import { and, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { formatMoney } from '../../src-shared/billing/invoice-document';
import type { Db } from '../db/open';
import { invoices } from '../db/schema';
import { parseCsvRecords } from '../platform/csv-records';

export interface PaymentProblem {
  row: number;
  column: string | null;
  reason: string;
}

const COLUMN: Record<string, 'invoice' | 'amount' | 'date' | 'reference'> = {
  invoice: 'invoice',
  invoicenumber: 'invoice',
  invoiceno: 'invoice',
  number: 'invoice',
  amount: 'amount',
  amountpaid: 'amount',
  paid: 'amount',
  date: 'date',
  paidon: 'date',
  datepaid: 'date',
  reference: 'reference',
  ref: 'reference',
};

/** "$1,234.56" / "1234.5" → cents, or null. */
function parseCents(v: string): number | null {
  const clean = v.replace(/[$,\s]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(clean)) return null;
  const [d, c = ''] = clean.split('.');
  return Number(d) * 100 + Number(c.padEnd(2, '0'));
}

/** DD/MM/YYYY or YYYY-MM-DD → local midnight in the zone, or null. */
function parseDate(v: string, zone: string): number | null {
  const t = v.trim();
  const d = /^\d{4}-\d{2}-\d{2}$/.test(t)
    ? DateTime.fromISO(t, { zone })
    : DateTime.fromFormat(t, 'd/M/yyyy', { zone });
  return d.isValid ? d.startOf('day').toMillis() : null;
}

export function importPayments(
  db: Db,
  siteId: number,
  zone: string,
  csv: string,
  mode: 'preview' | 'import',
): { rows: number; problems: PaymentProblem[]; paid: number | null } {
  const { fields, records } = parseCsvRecords(
    csv,
    (hdr) => COLUMN[hdr.toLowerCase().replace(/[^a-z]/g, '')] ?? hdr,
  );
  const problems: PaymentProblem[] = [];
  for (const need of ['invoice', 'amount', 'date'] as const) {
    if (!fields.includes(need))
      problems.push({
        row: 1,
        column: need,
        reason: `The file has no "${need}" column. The first line must name the columns: invoice, amount, date, reference.`,
      });
  }
  if (problems.length > 0) return { rows: records.length, problems, paid: null };
  const updates: { id: number; paidAt: number; reference: string | null }[] = [];
  const seen = new Map<string, number>();
  records.forEach(({ row, values: r, errors }) => {
    // e.g. "$1,234.56" unquoted: the columns after it shift; say so rather than misread them.
    if (errors.length > 0) {
      for (const reason of errors) problems.push({ row, column: null, reason });
      return;
    }
    const number = (r.invoice ?? '').trim();
    const inv = number
      ? db
          .select()
          .from(invoices)
          .where(and(eq(invoices.siteId, siteId), eq(invoices.number, number)))
          .get()
      : undefined;
    const problem = (column: string | null, reason: string) =>
      problems.push({ row, column, reason });
    if (!number) return problem('invoice', 'The invoice number is empty.');
    if (!inv) return problem('invoice', `No invoice ${number} was issued for this site.`);
    if (inv.kind === 'credit-note')
      return problem('invoice', `${number} is a credit note; it is not paid.`);
    if (inv.status === 'void') return problem('invoice', `Invoice ${number} is void.`);
    if (inv.status === 'paid') return problem('invoice', `Invoice ${number} is already paid.`);
    const earlier = seen.get(number);
    if (earlier !== undefined)
      return problem('invoice', `Invoice ${number} is already paid by row ${earlier}.`);
    seen.set(number, row);
    const cents = parseCents(r.amount ?? '');
    if (cents === null)
      return problem('amount', `"${r.amount ?? ''}" is not an amount (e.g. 123.45).`);
    if (cents !== inv.incGstCents)
      return problem(
        'amount',
        `Paid ${formatMoney(cents)} but invoice ${number} is for ${formatMoney(inv.incGstCents)}; part payments are recorded by hand.`,
      );
    const paidAt = parseDate(r.date ?? '', zone);
    if (paidAt === null)
      return problem('date', `"${r.date ?? ''}" is not a date (DD/MM/YYYY or YYYY-MM-DD).`);
    const reference = (r.reference ?? '').trim().slice(0, 60) || null;
    updates.push({ id: inv.id, paidAt, reference });
  });
  if (mode === 'preview' || problems.length > 0)
    return { rows: records.length, problems, paid: null };
  db.transaction((tx) => {
    for (const u of updates)
      tx.update(invoices)
        .set({ status: 'paid', paidAt: u.paidAt, paidReference: u.reference })
        .where(eq(invoices.id, u.id))
        .run();
  });
  return { rows: records.length, problems, paid: updates.length };
}
