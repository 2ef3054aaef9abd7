// An invoice document (src-shared/billing/invoice-document.ts) as an A4 PDF, rendered in the
// main process with @react-pdf/renderer (the renderer's CSP blocks what it needs there). Text
// stays text (searchable, accessible, read back by the tests); the font is Liberation Sans
// (SIL OFL, ./fonts), embedded, so the invoice looks the same on every reader. The page header
// (issuer, title, number, page x of y) and footer repeat on every page; an invoice with many
// sessions shows a summary by charge and the full session list as an attachment at the end. The
// attachment is paged here, not by react-pdf (./paginate.ts says why), drawn with pdfkit
// (./session-table.ts), and checked afterwards.
import { createElement as h } from 'react';
import {
  Document,
  Font,
  Page,
  renderToBuffer,
  type Element as ReactElement,
} from '@react-pdf/renderer';
import regularFont from './fonts/LiberationSans-Regular.ttf?inline';
import boldFont from './fonts/LiberationSans-Bold.ttf?inline';
import {
  formatKwh,
  formatLocalDate,
  type InvoiceDocument,
} from '../../../src-shared/billing/invoice-document';
import {
  detailsBlocks,
  feeRows,
  footer,
  header,
  paymentBlock,
  sessionRows,
  summaryRows,
  t,
  tableHead,
  totalsBlock,
} from './invoice-blocks';
import { logoUrlOf } from './logo-url';
import { fontMetrics, pdfPageCount, type Metrics } from './paginate';
import {
  attachmentTitle,
  planAttachment,
  attachedPage,
  type AttachmentPlan,
} from './session-table';
import { FAMILY, s } from './styles';

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

/** The attachment as planned (./session-table.ts) with the metrics it was measured with. */
interface Plan extends AttachmentPlan {
  metrics: Metrics;
}

function invoicePage(doc: InvoiceDocument, logo: string | null, plan: Plan | null): ReactElement {
  const long = doc.sessions.length > SESSION_LIST_LIMIT;
  const colour = doc.issuer.colours.primary;
  const totalWh = doc.sessions.reduce((a, l) => a + l.wh, 0);
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
  if (doc.fees.length > 0) body.push(t(s.section, 'Fixed fees'), ...feeRows(doc));
  body.push(totalsBlock(doc), paymentBlock(doc), footer(doc));
  const pages = [h(Page, { key: 'invoice', size: 'A4', style: s.page }, ...body)];
  if (long && plan) {
    plan.pages.forEach((rows, k) => {
      const page = `Page ${k + 2} of ${plan.total}`;
      const frame = {
        doc,
        // The logo needs react-pdf's Image: then react-pdf draws the header, else pdfkit does.
        page: logo ? null : page,
        title: k === 0 ? attachmentTitle(doc) : null,
      };
      pages.push(
        h(
          Page,
          // Paged by react-pdf like any page, which is cheap now that the page is one box (the
          // Canvas) and at most a header: the rows were planned to fit, with points to spare.
          // (With wrap false react-pdf skipped that pass but made the page as high as its
          // content, not A4.)
          { key: `attachment${k}`, size: 'A4', style: s.page },
          logo ? header(doc, logo, page) : null,
          attachedPage(plan.metrics, plan.head, rows, colour, frame),
        ),
      );
    });
  } else if (long) {
    // Paged by react-pdf, numbered by it (the plan did not fit): the slow way, rarely taken.
    pages.push(
      h(
        Page,
        { key: 'attachment', size: 'A4', style: s.page },
        header(doc, logo, null),
        t(s.section, attachmentTitle(doc)),
        tableHead(colour),
        ...sessionRows(doc.sessions),
        footer(doc),
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
    const metrics = await fontMetrics(FAMILY);
    const plan = { ...planAttachment(doc, metrics), metrics };
    const pdf = await renderToBuffer(invoicePage(doc, logoUrl, plan));
    if (pdfPageCount(pdf) === plan.total) return pdf;
  }
  return renderToBuffer(invoicePage(doc, logoUrl, null));
}

export const invoiceFileName = (doc: InvoiceDocument) =>
  `${doc.kind === 'credit-note' ? 'credit-note' : 'invoice'}-${doc.number.replace(/[^A-Za-z0-9._-]/g, '_')}.pdf`;
