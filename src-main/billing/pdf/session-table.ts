// The attached session list (a long invoice's pages after the first), drawn with pdfkit's own
// text calls inside a react-pdf <Canvas>, not laid out by react-pdf. react-pdf's text layout
// (textkit: attributed strings, bidi, line breaking, a box per cell) cost about 2 ms per session
// row, nearly all of a 100-session invoice; here each cell is wrapped once with the font's
// advance widths (./paginate.ts) and every line written with one pdfkit `text` call, which keeps
// the text real (selectable, searchable, read back by pdfjs) in the same embedded Liberation Sans
// (pdfkit finds react-pdf's embedded face by name, so each face is embedded once). The look is
// react-pdf's table's: the same columns (./styles.ts COLS), padding, rule under each row and a
// heading row in the issuer's colour on every page.
import { createElement as h } from 'react';
import { Canvas, type Element as ReactElement, type Painter } from '@react-pdf/renderer';
import type { InvoiceDocument } from '../../../src-shared/billing/invoice-document';
import { splitRows, wrapLines, type Metrics } from './paginate';
import { drawFooter, drawHeader } from './page-frame';
import { rowCells } from './session-cells';
import { A4, COLS, s } from './styles';

const SIZE = Number(s.page.fontSize);
const PAD_X = 2; // s.td / s.th horizontal padding
const TD_PAD_Y = 2; // s.td
const TH_PAD_Y = 3; // s.th
const RULE = 0.5; // s.line: the rule under each row
const TEXT = String(s.page.color);
const RULE_COLOUR = '#ccc';

/** One row as drawn: each cell's lines, and the row's height in points. */
interface Row {
  cells: string[][];
  height: number;
}

/** The attachment's pages (rows planned and wrapped) and the document's page count. */
export interface AttachmentPlan {
  pages: Row[][];
  head: Row;
  total: number;
}

const ROW_WIDTH = A4.width - 2 * Number(s.page.paddingHorizontal);
// A line may run this far into its cell's 2 pt padding, as react-pdf's own line breaking lets
// it ("Meter start" in bold is 0.4 pt wider than its box and still printed on one line).
const OVERRUN = 1;
const colWidth = (i: number) => (parseFloat((COLS[i] ?? COLS[0]).w) / 100) * ROW_WIDTH;

function row(m: Metrics, texts: string[], bold: boolean, padY: number, rule: number): Row {
  const cells = texts.map((text, i) =>
    wrapLines(m, text, colWidth(i) - 2 * PAD_X + OVERRUN, SIZE, bold),
  );
  const lines = Math.max(...cells.map((c) => c.length));
  return { cells, height: lines * m.lineHeight(SIZE) + 2 * padY + rule };
}

// The first page's title above the table (s.section: 10 pt bold, margins 10 + 4).
const TITLE_SIZE = Number(s.section.fontSize);
const TITLE_MARGIN_TOP = Number(s.section.marginTop);
const titleHeight = (m: Metrics, title: string) =>
  wrapLines(m, title, ROW_WIDTH, TITLE_SIZE, true).length * m.lineHeight(TITLE_SIZE) +
  TITLE_MARGIN_TOP +
  Number(s.section.marginBottom);

/** The heading above the attached list, on its first page. */
export const attachmentTitle = (doc: InvoiceDocument) =>
  `Attachment: session list for ${doc.number} (${doc.sessions.length} sessions)`;

/** Wraps every session's cells and splits the rows into A4 pages after the invoice's own. */
export function planAttachment(doc: InvoiceDocument, m: Metrics): AttachmentPlan {
  const rows = doc.sessions.map((l) => row(m, rowCells(l), false, TD_PAD_Y, RULE));
  const head = row(
    m,
    COLS.map((c) => c.label),
    true,
    TH_PAD_Y,
    0,
  );
  const area =
    A4.height - Number(s.page.paddingTop) - Number(s.page.paddingBottom) - head.height - 4; // 4 pt spare
  const title = titleHeight(m, attachmentTitle(doc));
  const pages = splitRows(
    rows.map((r) => r.height),
    area - title,
    area,
  ).map((indexes) => indexes.map((i) => rows[i] as Row));
  return { pages, head, total: 1 + pages.length };
}

/** Writes a row's cells at `top`: left-aligned, or right-aligned in the columns marked so. */
function drawCells(p: Painter, m: Metrics, r: Row, top: number, padY: number, bold: boolean) {
  const lh = m.lineHeight(SIZE);
  let left = 0;
  r.cells.forEach((lines, i) => {
    const w = colWidth(i);
    const right = 'right' in (COLS[i] ?? COLS[0]);
    lines.forEach((line, k) => {
      if (line === '') return;
      const x = right ? left + w - PAD_X - m.width(line, SIZE, bold) : left + PAD_X;
      p.text(line, x, top + padY + k * lh, { lineBreak: false });
    });
    left += w;
  });
}

/** What an attached page prints around its table: the title (first page), header, footer. */
export interface PageFrame {
  doc: InvoiceDocument;
  /** "Page x of y"; null when react-pdf draws the header (it holds a logo). */
  page: string | null;
  title: string | null;
}

/**
 * One attachment page's content as a single Canvas the size of the title and table: the title,
 * the table (heading row, then `rows`) and, outside the Canvas's box in page coordinates, the
 * page's header and footer (./page-frame.ts), so react-pdf lays out one box for the page.
 */
export function attachedPage(
  m: Metrics,
  head: Row,
  rows: Row[],
  colour: string,
  frame: PageFrame,
): ReactElement {
  const top = frame.title === null ? 0 : titleHeight(m, frame.title);
  const height = top + head.height + rows.reduce((a, r) => a + r.height, 0);
  // Back to page coordinates for the header and footer (the Canvas sits at the page's padding).
  const page = (p: Painter, draw: () => void) => {
    p.save().translate(-Number(s.page.paddingHorizontal), -Number(s.page.paddingTop));
    draw();
    p.restore();
  };
  // In reading order (header, title, table, footer): pdfjs and screen readers read the
  // content stream in the order it was written.
  const paint = (p: Painter, width: number) => {
    const pageText = frame.page;
    if (pageText !== null) page(p, () => drawHeader(p, m, frame.doc, pageText));
    if (frame.title !== null) {
      p.font(m.faces.bold, `${m.faces.bold.postscriptName}`, TITLE_SIZE).fillColor(TEXT);
      wrapLines(m, frame.title, width, TITLE_SIZE, true).forEach((line, k) =>
        p.text(line, 0, TITLE_MARGIN_TOP + k * m.lineHeight(TITLE_SIZE), { lineBreak: false }),
      );
    }
    p.save().translate(0, top);
    paintTable(p, m, head, rows, colour, width);
    p.restore();
    page(p, () => drawFooter(p, m, frame.doc));
  };
  return h(Canvas, { style: { width: ROW_WIDTH, height }, paint });
}

/** The table: heading row in the issuer's colour, then the rows, each with its rule. */
function paintTable(p: Painter, m: Metrics, head: Row, rows: Row[], colour: string, width: number) {
  p.rect(0, 0, width, head.height).fill(colour);
  p.font(m.faces.bold, `${m.faces.bold.postscriptName}`, SIZE).fillColor('#fff');
  drawCells(p, m, head, 0, TH_PAD_Y, true);
  let top = head.height;
  for (const r of rows) {
    p.rect(0, top + r.height - RULE, width, RULE).fill(RULE_COLOUR);
    top += r.height;
  }
  p.font(m.faces.regular, `${m.faces.regular.postscriptName}`, SIZE).fillColor(TEXT);
  top = head.height;
  for (const r of rows) {
    drawCells(p, m, r, top, TD_PAD_Y, false);
    top += r.height;
  }
}
