// The invoice PDF on its own: a long invoice spreads over pages with the header on each and the
// session list attached; an issuer not registered for GST issues an "Invoice" with no GST line;
// the font is embedded. With SAMPLE_PNG=1 it also writes the sample invoice shown in the docs
// (docs/sample-invoice.png, via pdftoppm from poppler-utils; not needed otherwise).
import { describe, expect, it, vi } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { renderInvoicePdf } from '../../../src-main/billing/pdf/invoice-pdf';
import { rowCells } from '../../../src-main/billing/pdf/session-cells';
import { sampleInvoiceDocument } from '../../../src-main/billing/pdf/sample-document';
import { pdfText } from '../../support/pdf-text';

/** Each text item of a page with the name of the embedded font it is set in. */
async function itemsWithFonts(bytes: Uint8Array, pageNumber: number) {
  const doc = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
  try {
    const page = await doc.getPage(pageNumber);
    const content = await page.getTextContent();
    await page.getOperatorList(); // loads the page's fonts into commonObjs
    return content.items.flatMap((it) =>
      'str' in it && it.str.trim() !== ''
        ? [
            {
              str: it.str,
              font: String((page.commonObjs.get(it.fontName) as { name: string }).name),
            },
          ]
        : [],
    );
  } finally {
    await doc.destroy();
  }
}
const words = (text: string) => text.replace(/\s+/g, ' ');

describe('invoice PDF', () => {
  it('spreads a long invoice over pages, the header on each, the session list attached', async () => {
    const bytes = await renderInvoicePdf(sampleInvoiceDocument(60), null);
    const pdf = await pdfText(bytes);
    expect(pdf.pages.length).toBeGreaterThanOrEqual(3);
    pdf.pages.forEach((p, i) => {
      const text = p.replace(/\s+/g, ' ');
      expect(text).toContain('Tax invoice');
      expect(text).toContain('No. EV-00042');
      expect(text).toContain('ABN 51 824 753 556');
      expect(text).toContain(`Page ${i + 1} of ${pdf.pages.length}`);
    });
    // Every page of the attached list starts with the column headings.
    pdf.pages.slice(1).forEach((p) => expect(p).toContain('Meter start'));
    const all = pdf.text.replace(/\s+/g, ' ');
    expect(all).toContain('Summary by charge');
    expect(all).toContain('Attachment: session list for EV-00042 (60 sessions)');
    for (let i = 0; i < 60; i++) expect(all).toContain(`Session ${1000 + i}`);
    // The font is embedded (a subset of Liberation Sans), not left to the reader.
    expect(pdf.fonts.some((f) => f.includes('LiberationSans'))).toBe(true);
    expect(pdf.info.Title).toBe('Tax invoice EV-00042');
  });

  it('lists every session in the attached list, each row cell by cell, headings in bold, names as written', async () => {
    const doc = sampleInvoiceDocument(100);
    // Names as residents and installers type them: accents, a long unbroken word.
    Object.assign(doc.sessions[7] ?? {}, { charger: 'Garage Ø — Zoë’s charger', bay: 'Ü-7' });
    Object.assign(doc.sessions[42] ?? {}, { charger: 'WallboxPulsarPlusCommercial-0042-B1-east' });
    const bytes = await renderInvoicePdf(doc, null);
    const pdf = await pdfText(bytes);
    expect(pdf.pages.length).toBe(7);
    pdf.pages.forEach((p, i) => expect(words(p)).toContain(`Page ${i + 1} of 7`));
    const all = words(pdf.text);
    for (const l of doc.sessions) {
      const cells = words(rowCells(l).join(' '));
      if (l.sessionId === 1042) {
        // Longer than its column: broken inside the word, every character still there.
        expect(all.replace(/ /g, '')).toContain(cells.replace(/ /g, ''));
      } else expect(all).toContain(cells);
    }
    expect(all).toContain('Garage Ø — Zoë’s charger Bay Ü-7 Session 1007');
    // Each face embedded once: the table's text uses the faces react-pdf embedded.
    expect(pdf.fonts.sort()).toEqual(['CZZZZZ+LiberationSans-Bold', 'DZZZZZ+LiberationSans']);
    const items = await itemsWithFonts(bytes, 3);
    const fontOf = (str: string) => items.find((it) => it.str === str)?.font;
    expect(fontOf('Meter start')).toMatch(/LiberationSans-Bold$/);
    expect(fontOf('Date')).toMatch(/LiberationSans-Bold$/);
    expect(items.find((it) => it.str.startsWith('Session 10'))?.font).toMatch(/LiberationSans$/);
  });

  it('prints every attached page on A4 with its header and footer once, with or without a logo', async () => {
    // The attached pages' header and footer are drawn with pdfkit (no logo) or the header by
    // react-pdf (logo): either way each page is A4 and carries them once, the footer at the
    // bottom of the sheet.
    const logo = {
      contentType: 'image/svg+xml',
      content: Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8" fill="#1c4e80"/></svg>',
      ),
    };
    for (const withLogo of [false, true]) {
      const bytes = await renderInvoicePdf(sampleInvoiceDocument(100), withLogo ? logo : null);
      const doc = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
      try {
        expect(doc.numPages).toBe(7);
        for (let n = 1; n <= doc.numPages; n++) {
          const page = await doc.getPage(n);
          const [, , width, height] = page.view;
          expect([width, height].map((v) => Math.round(v ?? 0))).toEqual([595, 842]);
          const items = (await page.getTextContent()).items.flatMap((it) =>
            'str' in it ? [{ str: it.str, y: it.transform[5] as number }] : [],
          );
          const text = words(items.map((it) => it.str).join(' '));
          const count = (needle: string) => text.split(needle).length - 1;
          expect(count('Harbour Strata Management ABN 51 824 753 556')).toBe(1);
          expect(count(`Page ${n} of 7`)).toBe(1);
          expect(count('Tax invoice')).toBe(1);
          const footer = items.find((it) => it.str.startsWith('Harbour Strata Management ·'));
          expect(footer?.str).toBe(
            'Harbour Strata Management · questions about this invoice: 02 9000 0000',
          );
          // Within 40 pt of the sheet's bottom edge (PDF y runs up from the bottom).
          expect(footer?.y).toBeLessThan(40);
        }
      } finally {
        await doc.destroy();
      }
    }
  });

  it('numbers every page right when the first page runs over (many fees)', async () => {
    // The attached list is paged before rendering; a first page that overflows onto a second
    // would put the page numbers out, so this invoice is numbered by react-pdf instead.
    const doc = sampleInvoiceDocument(40);
    doc.fees = Array.from({ length: 70 }, (_, i) => ({
      description: `Bay licence fee ${i + 1}`,
      amountExGstCents: 100,
      explanation: '',
    }));
    const pdf = await pdfText(await renderInvoicePdf(doc, null));
    expect(pdf.pages.length).toBeGreaterThanOrEqual(4);
    pdf.pages.forEach((p, i) => {
      expect(p.replace(/\s+/g, ' ')).toContain(`Page ${i + 1} of ${pdf.pages.length}`);
    });
    const all = pdf.text.replace(/\s+/g, ' ');
    for (let i = 0; i < 40; i++) expect(all).toContain(`Session ${1000 + i}`);
    expect(all).toContain('Bay licence fee 70');
  });

  it('issues an "Invoice" without a GST line for an issuer not registered for GST', async () => {
    const pdf = await pdfText(await renderInvoicePdf(sampleInvoiceDocument(2, false), null));
    const text = pdf.text.replace(/\s+/g, ' ');
    expect(text).not.toContain('Tax invoice');
    expect(text).toContain('Invoice');
    expect(text).not.toContain('GST (10 %)');
    expect(text).toContain('No GST is charged: the issuer is not registered for GST.');
  });

  it('renders every kind of invoice without a React warning (keys, props)', async () => {
    // vitest runs React's development build, which checks every element (the worker's
    // production build would not say).
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const credit = sampleInvoiceDocument(3);
      credit.kind = 'credit-note';
      credit.credits = { number: 'EV-00041', issueDate: '2026-03-01' };
      const manyFees = sampleInvoiceDocument(30);
      manyFees.fees = Array.from({ length: 70 }, (_, i) => ({
        description: `Bay licence fee ${i + 1}`,
        amountExGstCents: 100,
        explanation: '',
      }));
      const logo = {
        contentType: 'image/svg+xml',
        content: Buffer.from(
          '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8" fill="#1c4e80"/></svg>',
        ),
      };
      for (const doc of [
        sampleInvoiceDocument(0),
        sampleInvoiceDocument(4),
        sampleInvoiceDocument(2, false),
        sampleInvoiceDocument(40),
        credit,
        manyFees,
      ])
        await renderInvoicePdf(doc, logo);
      expect(errors.mock.calls.map((c) => String(c[0]))).toEqual([]);
    } finally {
      errors.mockRestore();
    }
  });

  it.runIf(process.env.SAMPLE_PNG === '1')('writes the sample invoice for the docs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sample-invoice-'));
    const pdf = join(dir, 'sample.pdf');
    // In a livery: the issuer's SVG logo (a mark and the company's initials as shapes).
    const logo = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">' +
        '<rect width="64" height="64" rx="10" fill="#1c4e80"/>' +
        '<path d="M10 46 L24 18 L32 34 L40 24 L54 46 Z" fill="#0091d5"/>' +
        '<circle cx="46" cy="17" r="6" fill="#f5b700"/></svg>',
    );
    writeFileSync(
      pdf,
      await renderInvoicePdf(sampleInvoiceDocument(4), {
        contentType: 'image/svg+xml',
        content: logo,
      }),
    );
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '80',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      pdf,
      'docs/sample-invoice',
    ]);
  });
});
