// Reads a PDF back as text, page by page, with pdfjs (as a screen reader or a search would):
// proves an invoice's fields are real text, not pixels.
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PdfText {
  pages: string[];
  text: string;
  /** The document's info dictionary (Title, Author, ...). */
  info: Record<string, unknown>;
  /** Names of the fonts embedded in the file. */
  fonts: string[];
}

export async function pdfText(bytes: Uint8Array): Promise<PdfText> {
  const doc = await getDocument({
    data: new Uint8Array(bytes),
    useSystemFonts: false,
    verbosity: 0,
  }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    pages.push(
      content.items
        .map((it) => ('str' in it ? it.str + (it.hasEOL ? '\n' : ' ') : ''))
        .join('')
        .replace(/[ \t]+/g, ' '),
    );
  }
  const meta = await doc.getMetadata();
  await doc.destroy();
  const raw = Buffer.from(bytes).toString('latin1');
  const fonts = [...raw.matchAll(/\/FontName\s*\/([A-Za-z0-9+_-]+)/g)].map((m) => m[1] ?? '');
  return { pages, text: pages.join('\n'), info: meta.info as Record<string, unknown>, fonts };
}
