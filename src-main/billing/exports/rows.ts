// The rows of an accounting export, from issued invoice documents alone (the frozen
// InvoiceDocument: the PDF, the email and the export can never disagree). Pure: no I/O.
//
// - Invoice lines, one row per invoice: the invoice's totals as issued.
// - Invoice lines, one row per line: each session and fee line ex GST; the invoice's GST (computed
//   once per invoice, docs/billing.md) is shared out over its lines by the largest remainder, so
//   the lines' GST adds up to the invoice's GST exactly and each line's inc GST = ex + its GST.
// - Meter readings: one row per lot and charger for the period (live invoices only): the
//   opening reading (the first session's start), the closing reading (the last session's stop)
//   and the energy billed, for a package's utility-billing module that prices readings itself.
// - The cells: text (owner names, references, descriptions, fixed values) is escaped like every
//   other CSV export, so an owner named "=HYPERLINK(...)" is never run as a formula by a
//   spreadsheet; amounts, energies and dates are literals we formatted (a credit's "-12.30"
//   stays a number for the accounting package).
import type { InvoiceDocument } from '../../../src-shared/billing/invoice-document';
import {
  SOURCE_FIELDS,
  formatCents,
  formatDate,
  formatKwhValue,
  type ExportProfile,
  type SourceField,
} from '../../../src-shared/billing/export-profile';
import { csvLiteral, type CsvCell } from '../../downloads/csv-writer';

/** A row's raw values: money in cents, energy in Wh, dates 'YYYY-MM-DD', text as is. */
export type RowValues = Partial<Record<SourceField, string | number | null>>;

/** What the check adds up: the rows' money (cents) and energy (Wh). */
export interface RowSums {
  exGstCents: number;
  gstCents: number;
  incGstCents: number;
  wh: number;
}

export interface ExportRow {
  values: RowValues;
  sums: RowSums;
}

const isCredit = (d: InvoiceDocument) => d.kind === 'credit-note';
const chargerOf = (l: { charger: string; bay: string | null }) =>
  l.bay ? `${l.charger} (bay ${l.bay})` : l.charger;

function invoiceValues(d: InvoiceDocument): RowValues {
  const sign = isCredit(d) ? -1 : 1;
  return {
    strataPlan: d.buyer.strataPlan,
    siteName: d.buyer.siteName,
    lotNumber: d.buyer.lotNumber,
    unitNumber: d.buyer.unitNumber,
    accountCode: d.buyer.accountCode,
    ownerName: d.buyer.ownerNames,
    ownerEmail: d.buyer.emails[0] ?? null,
    invoiceNumber: d.number,
    documentType: isCredit(d) ? 'Credit note' : 'Invoice',
    issueDate: d.issueDate,
    dueDate: d.dueDate,
    periodStart: d.period.start,
    periodEnd: d.period.end,
    description: isCredit(d)
      ? `Credit for ${d.credits?.number ?? ''}`
      : `EV charging ${formatDate(d.period.start, 'dd/MM/yyyy')}-${formatDate(d.period.end, 'dd/MM/yyyy')}`,
    charger: [...new Set(d.sessions.map(chargerOf))].join('; '),
    kwh: sign * d.sessions.reduce((s, l) => s + l.wh, 0),
    amountExGst: d.totals.exGstCents,
    gst: d.totals.gstCents,
    amountIncGst: d.totals.incGstCents,
    gstFlag: d.issuer.gstRegistered ? 'Y' : 'N',
    bpayReference: d.payment.bpay?.reference ?? null,
    deftReference: d.payment.deft?.reference ?? null,
    strataPayReference: d.payment.strataPay?.reference ?? null,
  };
}

/** Shares `total` over `weights` in proportion, whole cents, adding up to `total` exactly. */
export function shareOut(total: number, weights: number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (weights.length === 0) return [];
  if (sum === 0) return weights.map((_, i) => (i === 0 ? total : 0));
  const sign = total < 0 ? -1 : 1;
  const abs = Math.abs(total);
  const exact = weights.map((w) => (abs * w) / sum);
  const parts = exact.map((x) => Math.floor(x));
  let left = abs - parts.reduce((s, p) => s + p, 0);
  const order = exact
    .map((x, i) => ({ i, r: x - Math.floor(x) }))
    .sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    parts[i] = (parts[i] ?? 0) + 1;
    left -= 1;
  }
  return parts.map((p) => sign * p);
}

/** The rows one document contributes to an invoice-lines export. */
export function invoiceRows(d: InvoiceDocument, rowPer: 'invoice' | 'line'): ExportRow[] {
  const base = invoiceValues(d);
  if (rowPer === 'invoice') {
    return [
      {
        values: base,
        sums: { ...d.totals, wh: Number(base.kwh) },
      },
    ];
  }
  const sign = isCredit(d) ? -1 : 1;
  const lines: { values: RowValues; ex: number; wh: number }[] = [
    ...d.sessions.map((l) => ({
      values: {
        lineDate: l.started.slice(0, 10),
        charger: chargerOf(l),
        description: `EV charging ${l.started.slice(0, 10).split('-').reverse().join('/')} ${chargerOf(l)}`,
        rate: l.parts
          .map((p) => p.rate)
          .filter((r): r is string => r !== null)
          .join('; '),
      },
      ex: l.amountExGstCents,
      wh: sign * l.wh,
    })),
    ...d.fees.map((f) => ({
      values: { lineDate: null, charger: null, description: f.description, rate: null },
      ex: f.amountExGstCents,
      wh: 0,
    })),
  ];
  const gst = shareOut(
    d.totals.gstCents,
    lines.map((l) => Math.abs(l.ex)),
  );
  return lines.map((l, i) => {
    const g = gst[i] ?? 0;
    return {
      values: {
        ...base,
        ...l.values,
        kwh: l.wh,
        amountExGst: l.ex,
        gst: g,
        amountIncGst: l.ex + g,
      },
      sums: { exGstCents: l.ex, gstCents: g, incGstCents: l.ex + g, wh: l.wh },
    };
  });
}

/** Meter readings: per live invoice, one row per charger the lot used in the period. */
export function readingRows(d: InvoiceDocument): ExportRow[] {
  if (isCredit(d)) return [];
  const base = invoiceValues(d);
  const byCharger = new Map<string, InvoiceDocument['sessions']>();
  for (const l of d.sessions) {
    const key = chargerOf(l);
    byCharger.set(key, [...(byCharger.get(key) ?? []), l]);
  }
  return [...byCharger].map(([charger, ls]) => {
    const sorted = [...ls].sort((a, b) => a.started.localeCompare(b.started));
    const wh = sorted.reduce((s, l) => s + l.wh, 0);
    return {
      values: {
        ...base,
        charger,
        openingDate: d.period.start,
        closingDate: d.period.end,
        openingKwh: sorted[0]?.meterStartWh ?? 0,
        closingKwh: sorted.at(-1)?.meterStopWh ?? 0,
        kwh: wh,
        estimated: 'N',
      },
      sums: { exGstCents: 0, gstCents: 0, incGstCents: 0, wh },
    };
  });
}

/** One row as the profile writes it: each column's value formatted (text cut to its longest). */
export function formatRow(p: ExportProfile, values: RowValues): CsvCell[] {
  return p.columns.map((c) => {
    const cut = (text: string) => (c.maxLength !== undefined ? text.slice(0, c.maxLength) : text);
    if (c.source === 'fixed') return cut(c.value ?? '');
    const source = c.source as SourceField;
    const v = values[source];
    if (v === null || v === undefined) return '';
    switch (SOURCE_FIELDS[source].type) {
      case 'money':
        return csvLiteral(cut(formatCents(Number(v), c.money)));
      case 'energy':
        return csvLiteral(cut(formatKwhValue(Number(v))));
      case 'date':
        return csvLiteral(cut(formatDate(String(v), p.dateFormat)));
      case 'text':
        return cut(String(v));
    }
  });
}
