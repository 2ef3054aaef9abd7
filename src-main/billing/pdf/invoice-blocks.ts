// The invoice's parts as react-pdf elements: the page header and footer (on every page), the
// buyer and invoice details, the summary by charge, a short invoice's session table, the
// totals and how to pay. ./invoice-pdf.ts puts them on pages.
import { createElement as h } from 'react';
import { Image, Text, View, type Element as ReactElement } from '@react-pdf/renderer';
import {
  formatAbn,
  formatKwh,
  formatLocalDate,
  formatMoney,
  type InvoiceDocument,
  type InvoiceSessionLine,
} from '../../../src-shared/billing/invoice-document';
import { rowCells } from './session-cells';
import { COLS, s } from './styles';

export const t = (style: object, text: string, extra: object = {}) =>
  h(Text, { style, ...extra }, text);

function cell(i: number, text: string, props: object = {}) {
  const c = COLS[i] ?? COLS[0];
  return t([s.td, { width: c.w }, 'right' in c ? s.right : {}], text, props);
}

export function sessionRows(lines: InvoiceSessionLine[]): ReactElement[] {
  return lines.map((l) =>
    h(
      View,
      { key: l.sessionId, style: s.line, wrap: false },
      ...rowCells(l).map((text, i) => cell(i, text, { key: i })),
    ),
  );
}

export function tableHead(colour: string): ReactElement {
  return h(
    View,
    { style: [s.row, { backgroundColor: colour }], fixed: false },
    ...COLS.map((c, i) =>
      t([s.th, { width: c.w }, 'right' in c ? s.right : {}], c.label, { key: i }),
    ),
  );
}

/** Sessions summed by charge (band, idle time, ...), for a long invoice's first pages. */
export function summaryRows(doc: InvoiceDocument): ReactElement[] {
  const by = new Map<string, { wh: number; minutes: number; cents: number; n: number }>();
  for (const l of doc.sessions)
    for (const p of l.parts) {
      const key = p.rate ? `${p.description} (${p.rate})` : p.description;
      const e = by.get(key) ?? { wh: 0, minutes: 0, cents: 0, n: 0 };
      e.wh += p.wh ?? 0;
      e.minutes += p.minutes ?? 0;
      e.cents += p.amountExGstCents;
      e.n++;
      by.set(key, e);
    }
  return [...by.entries()].map(([k, e]) =>
    h(
      View,
      { key: k, style: s.line },
      t([s.td, { width: '52%' }], k),
      t([s.td, { width: '12%' }, s.right], `${e.n} sessions`),
      t([s.td, { width: '22%' }, s.right], e.minutes > 0 ? `${e.minutes} min` : formatKwh(e.wh)),
      t([s.td, { width: '14%' }, s.right], formatMoney(e.cents)),
    ),
  );
}

/** The page header; `page` prints "Page x of y" as plain text, or (null) has react-pdf number it. */
export function header(
  doc: InvoiceDocument,
  logo: string | null,
  page: string | null,
): ReactElement {
  const i = doc.issuer;
  return h(
    View,
    { style: [s.header, { borderBottomColor: i.colours.primary }], fixed: true },
    h(
      View,
      { style: { width: '60%', flexDirection: 'row' } },
      // Beside the issuer, not above it: the header's height stays within the page's top margin.
      logo ? h(Image, { src: logo, style: s.logo }) : null,
      h(
        View,
        { style: { flexShrink: 1 } },
        t([s.issuerName, { color: i.colours.primary }], i.name),
        i.abn ? t({}, `ABN ${formatAbn(i.abn)}`) : null,
        i.address ? t(s.muted, i.address) : null,
        t(s.muted, [i.phone, i.email].filter(Boolean).join(' · ')),
      ),
    ),
    h(
      View,
      { style: { width: '40%' } },
      t(
        [s.title, { color: i.colours.primary }, doc.title.length > 14 ? { fontSize: 13 } : {}],
        doc.title,
      ),
      t(s.right, `No. ${doc.number}`),
      page !== null
        ? t([s.right, s.muted], page)
        : h(Text, {
            style: [s.right, s.muted],
            render: ({ pageNumber, totalPages }: { pageNumber: number; totalPages: number }) =>
              `Page ${pageNumber} of ${totalPages}`,
          }),
    ),
  );
}

export function detailsBlocks(doc: InvoiceDocument): ReactElement {
  const b = doc.buyer;
  const lot = [`Lot ${b.lotNumber}`, b.unitNumber ? `Unit ${b.unitNumber}` : null]
    .filter(Boolean)
    .join(', ');
  return h(
    View,
    { style: s.blocks },
    h(
      View,
      { style: s.block },
      t(s.blockTitle, 'Bill to'),
      t({}, b.ownerNames),
      b.postalAddress ? t({}, b.postalAddress) : t(s.muted, 'No postal address on file'),
      t({}, `${b.strataPlan ? `Strata plan ${b.strataPlan} — ` : ''}${b.siteName}`),
      t({}, lot),
      b.accountCode ? t(s.muted, `Account code ${b.accountCode}`) : null,
    ),
    h(
      View,
      { style: s.block },
      t(s.blockTitle, doc.kind === 'credit-note' ? 'Credit note details' : 'Invoice details'),
      t({}, `Number: ${doc.number}`),
      t({}, `Issue date: ${formatLocalDate(doc.issueDate)}`),
      doc.dueDate ? t({ fontWeight: 'bold' }, `Due date: ${formatLocalDate(doc.dueDate)}`) : null,
      t(
        {},
        `Billing period: ${formatLocalDate(doc.period.start)} to ${formatLocalDate(doc.period.end)}`,
      ),
      doc.credits
        ? t(
            {},
            `Credits invoice ${doc.credits.number} of ${formatLocalDate(doc.credits.issueDate)} in full.`,
          )
        : null,
      t(s.muted, `Times in ${doc.timeZone}`),
    ),
  );
}

export function totalsBlock(doc: InvoiceDocument): ReactElement {
  const x = doc.totals;
  const row = (label: string, cents: number, style: object = {}) =>
    h(View, { style: [s.totalRow, style] }, t({}, label), t({}, formatMoney(cents)));
  return h(
    View,
    { style: s.totals, wrap: false },
    // Spread, not nested: children in an array would need React keys.
    ...(doc.issuer.gstRegistered
      ? [
          row('Total ex GST', x.exGstCents),
          row('GST (10 %)', x.gstCents),
          row('Total inc GST', x.incGstCents, s.grand),
        ]
      : [
          row('Total', x.incGstCents, s.grand),
          t([s.small, s.muted], 'No GST is charged: the issuer is not registered for GST.'),
        ]),
    t([s.small, s.muted, { marginTop: 3 }], doc.roundingNote),
  );
}

export function paymentBlock(doc: InvoiceDocument): ReactElement | null {
  if (doc.kind === 'credit-note') return null;
  const p = doc.payment;
  const lines: string[] = [];
  if (p.bpay) lines.push(`BPAY — Biller code ${p.bpay.billerCode}, Ref ${p.bpay.reference}`);
  if (p.bank)
    lines.push(
      `Bank transfer — BSB ${p.bank.bsb}, Account ${p.bank.accountNumber} (${p.bank.accountName}), Reference ${p.bank.reference}`,
    );
  if (p.deft) lines.push(`DEFT — Reference ${p.deft.reference}`);
  if (p.strataPay) lines.push(`StrataPay — Reference ${p.strataPay.reference}`);
  if (lines.length === 0) lines.push('Contact the issuer for payment details.');
  return h(
    View,
    { style: [s.pay, { borderColor: doc.issuer.colours.accent }], wrap: false },
    t(s.blockTitle, `How to pay${doc.dueDate ? ` (by ${formatLocalDate(doc.dueDate)})` : ''}`),
    ...lines.map((l, i) => t({}, l, { key: i })),
  );
}

/** The fixed fees, one line each. */
export function feeRows(doc: InvoiceDocument): ReactElement[] {
  return doc.fees.map((f, i) =>
    h(
      View,
      { key: `fee${i}`, style: s.line },
      t([s.td, { width: '86%' }], f.description),
      t([s.td, { width: '14%' }, s.right], formatMoney(f.amountExGstCents)),
    ),
  );
}

/** The page footer: the issuer's footer text (or name and ABN) and the invoice number. */
export function footer(doc: InvoiceDocument): ReactElement {
  return h(
    View,
    { style: s.footer, fixed: true },
    t(
      { width: '80%' },
      doc.issuer.footer ??
        `${doc.issuer.name}${doc.issuer.abn ? ` · ABN ${formatAbn(doc.issuer.abn)}` : ''}`,
    ),
    t({}, doc.number),
  );
}
