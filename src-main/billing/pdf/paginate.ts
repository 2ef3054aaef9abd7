// The attached session list split into pages here, not by @react-pdf. Left to itself, react-pdf
// lays the whole list out, cuts a page off, lays out the rest again, and so on (each page costs
// a layout of everything after it), then lays every page out once more to print "Page x of y".
// Measured here instead (the font's own advance widths, the same line height react-pdf uses),
// each attachment page is its own <Page> holding the rows that fit, and the page numbers are
// plain text. The rows themselves are wrapped here too (wrapLines) and drawn as they were
// measured (./session-table.ts), so what is planned is what is printed; invoice-pdf.ts still
// checks the page count of the result and, should a page have overflowed (a first page with
// dozens of fees), renders again the old way.
import { Font, type FontkitFont } from '@react-pdf/renderer';

export interface Metrics {
  /** Width of `text` in points at `size`. */
  width(text: string, size: number, bold: boolean): number;
  /** Height of one line in points at `size` (ascent - descent + line gap, as react-pdf). */
  lineHeight(size: number): number;
  /** The fontkit faces themselves (pdfkit draws the session table with them). */
  faces: { regular: FontkitFont; bold: FontkitFont };
}

const cache = new Map<string, Metrics>();

/** The metrics of a registered family's regular and bold faces (loaded once). */
export async function fontMetrics(family: string): Promise<Metrics> {
  const known = cache.get(family);
  if (known) return known;
  // Numeric weights: react-pdf resolves a named one ('bold') by comparing it with the numbers
  // registered, finds no exact match, and falls back to the regular face.
  const face = async (fontWeight: 400 | 700): Promise<FontkitFont> => {
    await Font.load({ fontFamily: family, fontWeight });
    const data = Font.getFont({ fontFamily: family, fontWeight }).data;
    if (!data) throw new Error(`font ${family} ${fontWeight} did not load`);
    return data;
  };
  const regular = await face(400);
  const bold = await face(700);
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
    faces: { regular, bold },
  };
  cache.set(family, m);
  return m;
}

/**
 * `text` broken into lines no wider than `width` points: at newlines, then at spaces; a word
 * longer than a line is broken inside it (as react-pdf does: no hyphenation is registered).
 */
export function wrapLines(m: Metrics, text: string, width: number, size: number, bold: boolean) {
  const lines: string[] = [];
  const space = m.width(' ', size, bold);
  for (const paragraph of text.split('\n')) {
    let line = '';
    let used = 0;
    for (const word of paragraph.split(' ')) {
      const w = m.width(word, size, bold);
      if (line !== '' && used + space + w <= width) {
        line += ` ${word}`;
        used += space + w;
        continue;
      }
      if (line !== '') lines.push(line);
      line = word;
      used = w;
      while (used > width && line.length > 1) {
        // The longest head of the word that fits (at least one character).
        let cut = 1;
        while (cut < line.length && m.width(line.slice(0, cut + 1), size, bold) <= width) cut++;
        lines.push(line.slice(0, cut));
        line = line.slice(cut);
        used = m.width(line, size, bold);
      }
    }
    lines.push(line);
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
