// An attached page's header and footer drawn with pdfkit's own calls (inside the page's Canvas,
// ./session-table.ts), not laid out by react-pdf: the text boxes of a header and footer cost
// react-pdf a third of a 100-session invoice (textkit per text box, on every attached page).
// Placed and wrapped as react-pdf places ./invoice-blocks.ts `header` and `footer` with the
// styles of ./styles.ts (s.header, s.footer): same text, fonts, colours, columns and rules. The
// logo needs react-pdf's Image (the painter draws no images): with a logo the header stays
// react-pdf's and only the footer is drawn here.
import type { Painter } from '@react-pdf/renderer';
import { formatAbn, type InvoiceDocument } from '../../../src-shared/billing/invoice-document';
import { wrapLines, type Metrics } from './paginate';
import { A4, s } from './styles';

const LEFT = Number(s.header.left);
const WIDTH = A4.width - LEFT - Number(s.header.right);
const HEADER_TOP = Number(s.header.top);
const FOOTER_BOTTOM = Number(s.footer.bottom);
const BODY = Number(s.page.fontSize);
const SMALL = Number(s.footer.fontSize);
const TEXT = String(s.page.color);
const MUTED = String(s.muted.color);

/** A line of text as drawn: its face, size, colour and the lines it wraps to. */
interface Block {
  lines: string[];
  size: number;
  bold: boolean;
  colour: string;
}

function block(
  m: Metrics,
  text: string,
  width: number,
  size: number,
  bold: boolean,
  colour: string,
): Block {
  // An empty Text box takes no height in react-pdf.
  return { lines: text === '' ? [] : wrapLines(m, text, width, size, bold), size, bold, colour };
}

const heightOf = (m: Metrics, blocks: Block[]) =>
  blocks.reduce((a, b) => a + b.lines.length * m.lineHeight(b.size), 0);

/** Writes blocks one under the other from `top`, left-aligned at `x` or right-aligned to it. */
function drawBlocks(
  p: Painter,
  m: Metrics,
  blocks: Block[],
  x: number,
  top: number,
  right: boolean,
) {
  let y = top;
  for (const b of blocks) {
    const face = b.bold ? m.faces.bold : m.faces.regular;
    p.font(face, `${face.postscriptName}`, b.size).fillColor(b.colour);
    for (const line of b.lines) {
      if (line !== '') {
        const at = right ? x - m.width(line, b.size, b.bold) : x;
        p.text(line, at, y, { lineBreak: false });
      }
      y += m.lineHeight(b.size);
    }
  }
}

/** The page header without a logo (invoice-blocks.ts `header`), in page coordinates. */
export function drawHeader(p: Painter, m: Metrics, doc: InvoiceDocument, page: string) {
  const i = doc.issuer;
  const colour = i.colours.primary;
  const leftW = WIDTH * 0.6;
  const rightW = WIDTH * 0.4;
  const left = [
    block(m, i.name, leftW, Number(s.issuerName.fontSize), true, colour),
    i.abn ? block(m, `ABN ${formatAbn(i.abn)}`, leftW, BODY, false, TEXT) : null,
    i.address ? block(m, i.address, leftW, BODY, false, MUTED) : null,
    block(m, [i.phone, i.email].filter(Boolean).join(' · '), leftW, BODY, false, MUTED),
  ].filter((b): b is Block => b !== null);
  const titleSize = doc.title.length > 14 ? 13 : Number(s.title.fontSize);
  const right = [
    block(m, doc.title, rightW, titleSize, true, colour),
    block(m, `No. ${doc.number}`, rightW, BODY, false, TEXT),
    block(m, page, rightW, BODY, false, MUTED),
  ];
  drawBlocks(p, m, left, LEFT, HEADER_TOP, false);
  drawBlocks(p, m, right, LEFT + WIDTH, HEADER_TOP, true);
  const height = Math.max(heightOf(m, left), heightOf(m, right));
  const rule = Number(s.header.borderBottomWidth);
  p.rect(LEFT, HEADER_TOP + height + Number(s.header.paddingBottom), WIDTH, rule).fill(colour);
}

/** The page footer (invoice-blocks.ts `footer`), in page coordinates. */
export function drawFooter(p: Painter, m: Metrics, doc: InvoiceDocument) {
  const i = doc.issuer;
  const text = i.footer ?? `${i.name}${i.abn ? ` · ABN ${formatAbn(i.abn)}` : ''}`;
  const left = block(m, text, WIDTH * 0.8, SMALL, false, MUTED);
  const number = block(m, doc.number, WIDTH, SMALL, false, MUTED);
  const rule = Number(s.footer.borderTopWidth);
  const pad = Number(s.footer.paddingTop);
  const lines = Math.max(left.lines.length, number.lines.length);
  const top = A4.height - FOOTER_BOTTOM - (rule + pad + lines * m.lineHeight(SMALL));
  p.rect(LEFT, top, WIDTH, rule).fill(String(s.footer.borderTopColor));
  drawBlocks(p, m, [left], LEFT, top + rule + pad, false);
  drawBlocks(p, m, [number], LEFT + WIDTH, top + rule + pad, true);
}
