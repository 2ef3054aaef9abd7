// The invoice PDF on its own: a long invoice spreads over pages with the header on each and the
// session list attached; an issuer not registered for GST issues an "Invoice" with no GST line;
// the font is embedded. With SAMPLE_PNG=1 it also writes the sample invoice shown in the docs
// (docs/sample-invoice.png, via pdftoppm from poppler-utils; not needed otherwise).
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderInvoicePdf } from '../../../src-main/billing/pdf/invoice-pdf';
import { sampleInvoiceDocument } from '../../../src-main/billing/pdf/sample-document';
import { pdfText } from '../../support/pdf-text';

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
