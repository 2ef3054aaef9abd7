// An invoice document (src-shared/billing/invoice-document.ts) as an A4 PDF, rendered in the
// main process with @react-pdf/renderer (the renderer's CSP blocks what it needs there). Text
// stays text (searchable, accessible, read back by the tests); the font is Liberation Sans
// (SIL OFL, ./fonts), embedded, so the invoice looks the same on every reader. The page header
// (issuer, title, number, page x of y) and footer repeat on every page; an invoice with many
// sessions shows a summary by charge and the full session list as an attachment at the end. The
// attachment is paged here, not by react-pdf (./paginate.ts says why), and checked afterwards.
import { createElement as h } from 'react';
import {
  Document,
  Font,
  Image,
  Page,
  StyleSheet,
  Text,
  View,
  renderToBuffer,
  type Element as ReactElement,
} from '@react-pdf/renderer';
import regularFont from './fonts/LiberationSans-Regular.ttf?inline';
import boldFont from './fonts/LiberationSans-Bold.ttf?inline';
import {
  formatAbn,
  formatKwh,
  formatLocalDate,
  formatMoney,
  type InvoiceDocument,
  type InvoiceSessionLine,
} from '../../../src-shared/billing/invoice-document';
import { logoUrlOf } from './logo-url';
import { fontMetrics, linesOf, pdfPageCount, splitRows, type Metrics } from './paginate';

const FAMILY = 'Liberation Sans';
let registered = false;
function registerFonts(): void {
  if (registered) return;
  Font.register({
    family: FAMILY,
    fonts: [
      { src: regularFont, fontWeight: 'normal' },
      { src: boldFont, fontWeight: 'bold' },
    ],
  });
  // Words are not hyphenated: owner names and addresses must print as written.
  Font.registerHyphenationCallback((word) => [word]);
  registered = true;
}

/** More sessions than this: a summary on the invoice and the full list attached after it. */
export const SESSION_LIST_LIMIT = 25;

const s = StyleSheet.create({
  page: {
    fontFamily: FAMILY,
    fontSize: 8.5,
    paddingTop: 112,
    paddingBottom: 56,
    paddingHorizontal: 36,
    color: '#222',
  },
  header: {
    position: 'absolute',
    top: 24,
    left: 36,
    right: 36,
    flexDirection: 'row',
    justifyContent: 'space-between',
    paddingBottom: 8,
    borderBottomWidth: 2,
  },
  logo: { maxWidth: 120, maxHeight: 56, objectFit: 'contain', marginRight: 10 },
  issuerName: { fontSize: 12, fontWeight: 'bold' },
  title: { fontSize: 18, fontWeight: 'bold', textAlign: 'right' },
  right: { textAlign: 'right' },
  muted: { color: '#555' },
  small: { fontSize: 7.5 },
  row: { flexDirection: 'row' },
  blocks: { flexDirection: 'row', justifyContent: 'space-between', marginBottom: 12 },
  block: { width: '48%' },
  blockTitle: { fontWeight: 'bold', marginBottom: 2, fontSize: 9 },
  section: { fontSize: 10, fontWeight: 'bold', marginTop: 10, marginBottom: 4 },
  th: { fontWeight: 'bold', color: '#fff', paddingVertical: 3, paddingHorizontal: 2 },
  td: { paddingVertical: 2, paddingHorizontal: 2 },
  line: { flexDirection: 'row', borderBottomWidth: 0.5, borderBottomColor: '#ccc' },
  totals: { marginTop: 8, marginLeft: 'auto', width: 220 },
  totalRow: { flexDirection: 'row', justifyContent: 'space-between', paddingVertical: 2 },
  grand: { fontSize: 11, fontWeight: 'bold', borderTopWidth: 1, paddingTop: 3 },
  pay: { marginTop: 12, padding: 8, borderWidth: 1 },
  footer: {
    position: 'absolute',
    bottom: 20,
    left: 36,
    right: 36,
    flexDirection: 'row',
    justifyContent: 'space-between',
    fontSize: 7.5,
    color: '#555',
    borderTopWidth: 0.5,
    borderTopColor: '#999',
    paddingTop: 4,
  },
});

const COLS = [
  { key: 'date', label: 'Date', w: '11%' },
  { key: 'charger', label: 'Charger / bay', w: '25%' },
  { key: 'start', label: 'Meter start', w: '9%', right: true },
  { key: 'end', label: 'Meter end', w: '9%', right: true },
  { key: 'kwh', label: 'kWh', w: '7%', right: true },
  { key: 'rate', label: 'Rate', w: '27%' },
  { key: 'amount', label: 'Amount ex GST', w: '12%', right: true },
] as const;

const t = (style: object, text: string, extra: object = {}) => h(Text, { style, ...extra }, text);

function cell(i: number, text: string, props: object = {}) {
  const c = COLS[i] ?? COLS[0];
  return t([s.td, { width: c.w }, 'right' in c ? s.right : {}], text, props);
}

const meter = (wh: number) => (wh / 1000).toFixed(3);

/** Each priced part of a session: "Peak: 3.120 kWh × 45 c/kWh", "Idle time: 12 min × 10 c/min". */
function rateOf(l: InvoiceSessionLine): string {
  return l.parts
    .map((p) => {
      const name = p.description.replace(/^Energy — /, '');
      if (!p.rate) return name;
      const qty = p.wh !== null ? formatKwh(p.wh) : `${p.minutes ?? 0} min`;
      return `${name}: ${qty} × ${p.rate}`;
    })
    .join('\n');
}

/** A session line's cells, in COLS order. */
function rowCells(l: InvoiceSessionLine): string[] {
  return [
    `${formatLocalDate(l.ended.slice(0, 10))}\n${l.started.slice(11)}–${l.ended.slice(11)}`,
    `${l.charger}${l.bay ? `\nBay ${l.bay}` : ''}\nSession ${l.sessionId}`,
    meter(l.meterStartWh),
    meter(l.meterStopWh),
    (l.wh / 1000).toFixed(3),
    rateOf(l),
    formatMoney(l.amountExGstCents),
  ];
}

function sessionRows(lines: InvoiceSessionLine[]): ReactElement[] {
  return lines.map((l) =>
    h(
      View,
      { key: l.sessionId, style: s.line, wrap: false },
      ...rowCells(l).map((text, i) => cell(i, text, { key: i })),
    ),
  );
}

function tableHead(colour: string): ReactElement {
  return h(
    View,
    { style: [s.row, { backgroundColor: colour }], fixed: false },
    ...COLS.map((c, i) =>
      t([s.th, { width: c.w }, 'right' in c ? s.right : {}], c.label, { key: i }),
    ),
  );
}

/** Sessions summed by charge (band, idle time, ...), for a long invoice's first pages. */
function summaryRows(doc: InvoiceDocument): ReactElement[] {
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
function header(doc: InvoiceDocument, logo: string | null, page: string | null): ReactElement {
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

function detailsBlocks(doc: InvoiceDocument): ReactElement {
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

function totalsBlock(doc: InvoiceDocument): ReactElement {
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

function paymentBlock(doc: InvoiceDocument): ReactElement | null {
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

/** The attachment's pages as planned here (./paginate.ts), and the document's page count. */
interface Plan {
  pages: InvoiceSessionLine[][];
  total: number;
}

const A4 = { width: 595.28, height: 841.89 };

function planAttachment(doc: InvoiceDocument, m: Metrics): Plan {
  const size = Number(s.page.fontSize);
  const lh = m.lineHeight(size);
  const rowWidth = A4.width - 2 * Number(s.page.paddingHorizontal);
  // A cell's text box: its share of the row less 2 pt padding each side (s.td, s.th).
  const lines = (text: string, w: string, bold: boolean) =>
    linesOf(m, text, (parseFloat(w) / 100) * rowWidth - 4, size, bold);
  const heights = doc.sessions.map(
    (l) =>
      Math.max(...rowCells(l).map((text, i) => lines(text, (COLS[i] ?? COLS[0]).w, false))) * lh +
      4.5, // td padding 2 + 2, the row's 0.5 pt rule
  );
  const head = Math.max(...COLS.map((c) => lines(c.label, c.w, true))) * lh + 6;
  const area = A4.height - Number(s.page.paddingTop) - Number(s.page.paddingBottom) - head - 4; // 4 pt spare
  const title = m.lineHeight(10) + 14; // s.section: 10 pt, margins 10 + 4
  const pages = splitRows(heights, area - title, area).map((rows) =>
    rows.map((i) => doc.sessions[i] as InvoiceSessionLine),
  );
  return { pages, total: 1 + pages.length };
}

function invoicePage(doc: InvoiceDocument, logo: string | null, plan: Plan | null): ReactElement {
  const long = doc.sessions.length > SESSION_LIST_LIMIT;
  const colour = doc.issuer.colours.primary;
  const totalWh = doc.sessions.reduce((a, l) => a + l.wh, 0);
  const footer = h(
    View,
    { style: s.footer, fixed: true },
    t(
      { width: '80%' },
      doc.issuer.footer ??
        `${doc.issuer.name}${doc.issuer.abn ? ` · ABN ${formatAbn(doc.issuer.abn)}` : ''}`,
    ),
    t({}, doc.number),
  );
  const body: (ReactElement | null)[] = [
    header(doc, logo, plan ? `Page 1 of ${plan.total}` : null),
    detailsBlocks(doc),
    t(s.section, `Charging sessions (${doc.sessions.length}, ${formatKwh(totalWh)})`),
  ];
  if (doc.sessions.length === 0) body.push(t(s.muted, 'No charging sessions in this period.'));
  else if (long) {
    body.push(
      t(s.muted, `Summary by charge; every session is listed in the attached session list.`),
      ...summaryRows(doc),
    );
  } else body.push(tableHead(colour), ...sessionRows(doc.sessions));
  if (doc.fees.length > 0) {
    body.push(t(s.section, 'Fixed fees'));
    body.push(
      ...doc.fees.map((f, i) =>
        h(
          View,
          { key: `fee${i}`, style: s.line },
          t([s.td, { width: '86%' }], f.description),
          t([s.td, { width: '14%' }, s.right], formatMoney(f.amountExGstCents)),
        ),
      ),
    );
  }
  body.push(totalsBlock(doc), paymentBlock(doc), footer);
  const pages = [h(Page, { key: 'invoice', size: 'A4', style: s.page }, ...body)];
  const title = t(
    s.section,
    `Attachment: session list for ${doc.number} (${doc.sessions.length} sessions)`,
  );
  if (long && plan) {
    plan.pages.forEach((rows, k) =>
      pages.push(
        h(
          Page,
          { key: `attachment${k}`, size: 'A4', style: s.page },
          header(doc, logo, `Page ${k + 2} of ${plan.total}`),
          k === 0 ? title : null,
          tableHead(colour),
          ...sessionRows(rows),
          footer,
        ),
      ),
    );
  } else if (long) {
    pages.push(
      h(
        Page,
        { key: 'attachment', size: 'A4', style: s.page },
        header(doc, logo, null),
        title,
        tableHead(colour),
        ...sessionRows(doc.sessions),
        footer,
      ),
    );
  }
  return h(
    Document,
    {
      title: `${doc.title} ${doc.number}`,
      author: doc.issuer.name,
      subject: `${doc.buyer.siteName} lot ${doc.buyer.lotNumber}, ${formatLocalDate(doc.period.start)} to ${formatLocalDate(doc.period.end)}`,
      language: 'en-AU',
    },
    ...pages,
  );
}

/** The invoice as PDF bytes. `logo` is the issuer's logo named by the document, if any. */
export async function renderInvoicePdf(
  doc: InvoiceDocument,
  logo: { contentType: string; content: Buffer } | null,
): Promise<Buffer> {
  registerFonts();
  const logoUrl = logo ? logoUrlOf(doc, logo) : null;
  if (doc.sessions.length > SESSION_LIST_LIMIT) {
    // Paged here with plain page numbers; kept only if no page overflowed (then react-pdf
    // would have added a page and the numbers would be off): otherwise rendered the slow way.
    const plan = planAttachment(doc, await fontMetrics(FAMILY));
    const pdf = await renderToBuffer(invoicePage(doc, logoUrl, plan));
    if (pdfPageCount(pdf) === plan.total) return pdf;
  }
  return renderToBuffer(invoicePage(doc, logoUrl, null));
}

export const invoiceFileName = (doc: InvoiceDocument) =>
  `${doc.kind === 'credit-note' ? 'credit-note' : 'invoice'}-${doc.number.replace(/[^A-Za-z0-9._-]/g, '_')}.pdf`;
