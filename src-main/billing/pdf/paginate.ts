// The attached session list split into pages here, not by @react-pdf. Left to itself, react-pdf
// lays the whole list out, cuts a page off, lays out the rest again, and so on (each page costs
// a layout of everything after it), then lays every page out once more to print "Page x of y".
// Measured here instead (the font's own advance widths, the same line height react-pdf uses),
// each attachment page is its own <Page> holding the rows that fit, and the page numbers are
// plain text: one layout per page. The estimate errs on the side of fewer rows (space-only word
// breaks, 3 % narrower lines, a few points spare); invoice-pdf.ts checks the page count of the
// result and, should a page still have overflowed, renders again the old way.
import { Font, type FontkitFont } from '@react-pdf/renderer';

export interface Metrics {
  /** Width of `text` in points at `size`. */
  width(text: string, size: number, bold: boolean): number;
  /** Height of one line in points at `size` (ascent - descent + line gap, as react-pdf). */
  lineHeight(size: number): number;
}

const cache = new Map<string, Metrics>();

/** The metrics of a registered family's regular and bold faces (loaded once). */
export async function fontMetrics(family: string): Promise<Metrics> {
  const known = cache.get(family);
  if (known) return known;
  const face = async (fontWeight: 'normal' | 'bold'): Promise<FontkitFont> => {
    await Font.load({ fontFamily: family, fontWeight });
    const data = Font.getFont({ fontFamily: family, fontWeight }).data;
    if (!data) throw new Error(`font ${family} ${fontWeight} did not load`);
    return data;
  };
  const regular = await face('normal');
  const bold = await face('bold');
  const widths = new Map<string, number>();
  const advance = (f: FontkitFont, ch: string, key: string) => {
    let w = widths.get(key);
    if (w === undefined) {
      w = f.glyphForCodePoint(ch.codePointAt(0) ?? 32).advanceWidth / f.unitsPerEm;
      widths.set(key, w);
    }
    return w;
  };
  const m: Metrics = {
    width(text, size, isBold) {
      const f = isBold ? bold : regular;
      let em = 0;
      for (const ch of text) em += advance(f, ch, isBold ? `b${ch}` : ch);
      return em * size;
    },
    lineHeight: (size) =>
      ((regular.ascent - regular.descent + regular.lineGap) / regular.unitsPerEm) * size,
  };
  cache.set(family, m);
  return m;
}

/** Lines `text` takes in a box `width` points wide (breaking only at spaces and newlines). */
export function linesOf(m: Metrics, text: string, width: number, size: number, bold: boolean) {
  const max = width * 0.97;
  const space = m.width(' ', size, bold);
  let lines = 0;
  for (const paragraph of text.split('\n')) {
    let n = 1;
    let used = 0;
    for (const word of paragraph.split(' ')) {
      const w = m.width(word, size, bold);
      if (used === 0) used = w;
      else if (used + space + w <= max) used += space + w;
      else {
        n += 1;
        used = w;
      }
      // A word longer than the line is broken inside it.
      while (used > max) {
        n += 1;
        used -= max;
      }
    }
    lines += n;
  }
  return lines;
}

/** Splits row heights into pages: the first page has `first` points, the others `rest`. */
export function splitRows(heights: number[], first: number, rest: number): number[][] {
  const pages: number[][] = [];
  let page: number[] = [];
  let left = first;
  heights.forEach((h, i) => {
    if (page.length > 0 && h > left) {
      pages.push(page);
      page = [];
      left = rest;
    }
    page.push(i);
    left -= h;
  });
  if (page.length > 0) pages.push(page);
  return pages;
}

/** The page count a PDF declares (pdfkit writes the page tree uncompressed). */
export function pdfPageCount(pdf: Buffer): number | null {
  const m = /\/Type \/Pages\s*\/Count (\d+)/.exec(pdf.toString('latin1'));
  return m ? Number(m[1]) : null;
}
