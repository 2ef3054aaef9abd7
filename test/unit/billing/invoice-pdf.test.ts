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
import { invoiceTotals } from '../../../src-shared/billing/money';
import {
  ROUNDING_NOTE,
  type InvoiceDocument,
  type InvoiceSessionLine,
} from '../../../src-shared/billing/invoice-document';
import { pdfText } from '../../support/pdf-text';

function session(i: number): InvoiceSessionLine {
  const peak = 2_000 + i * 37;
  const off = 6_000 + i * 11;
  const start = 1_204_300 + i * 9_000;
  const parts = [
    {
      description: 'Energy — Peak',
      wh: peak,
      minutes: null,
      rate: '45 c/kWh',
      amountExGstCents: Math.round((peak * 45) / 1000),
      explanation: '',
    },
    {
      description: 'Energy — Off-peak',
      wh: off,
      minutes: null,
      rate: '22 c/kWh',
      amountExGstCents: Math.round((off * 22) / 1000),
      explanation: '',
    },
  ];
  const day = String(1 + (i % 28)).padStart(2, '0');
  return {
    sessionId: 1000 + i,
    started: `2026-03-${day} 19:10`,
    ended: `2026-03-${day} 23:45`,
    charger: 'Level B1 charger 3 / outlet 1',
    bay: 'B1-14',
    meterStartWh: start,
    meterStopWh: start + peak + off,
    wh: peak + off,
    tariff: 'Residents time-of-use',
    parts,
    amountExGstCents: parts.reduce((a, p) => a + p.amountExGstCents, 0),
  };
}

function aDocument(sessions: number, gstRegistered = true): InvoiceDocument {
  const lines = Array.from({ length: sessions }, (_, i) => session(i));
  const fees = [
    {
      description: 'Monthly access fee (per account) — March 2026',
      amountExGstCents: 1000,
      explanation: '1 × $10.00 = $10.00 ex GST',
    },
  ];
  return {
    kind: 'invoice',
    title: gstRegistered ? 'Tax invoice' : 'Invoice',
    number: 'EV-00042',
    issueDate: '2026-04-01',
    dueDate: '2026-04-15',
    period: { start: '2026-03-01', end: '2026-03-31' },
    issuer: {
      name: 'Harbour Strata Management',
      abn: gstRegistered ? '51824753556' : null,
      address: 'Level 3, 1 George St, Sydney NSW 2000',
      gstRegistered,
      email: 'accounts@harbour.example',
      phone: '02 9000 0000',
      footer: 'Harbour Strata Management · questions about this invoice: 02 9000 0000',
      colours: { primary: '#1c4e80', accent: '#0091d5' },
      logoSha: null,
    },
    buyer: {
      accountId: 1,
      strataPlan: 'SP 12345',
      siteName: 'Harbour View Apartments',
      lotNumber: '14',
      unitNumber: '1402',
      ownerNames: 'Jane Citizen',
      postalAddress: '1402/1 Harbour St, Sydney NSW 2000',
      emails: ['jane@example.com'],
      accountCode: 'EV014',
    },
    sessions: lines,
    fees,
    totals: invoiceTotals([...lines.flatMap((l) => l.parts), ...fees], gstRegistered),
    roundingNote: ROUNDING_NOTE,
    payment: {
      bank: {
        bsb: '062-000',
        accountNumber: '12345678',
        accountName: 'Harbour View Owners Corp',
        reference: 'EV014',
      },
      bpay: { billerCode: '123456', reference: '1400142' },
      deft: null,
      strataPay: null,
    },
    credits: null,
    timeZone: 'Australia/Sydney',
  };
}

describe('invoice PDF', () => {
  it('spreads a long invoice over pages, the header on each, the session list attached', async () => {
    const bytes = await renderInvoicePdf(aDocument(60), null);
    const pdf = await pdfText(bytes);
    expect(pdf.pages.length).toBeGreaterThanOrEqual(3);
    pdf.pages.forEach((p, i) => {
      const text = p.replace(/\s+/g, ' ');
      expect(text).toContain('Tax invoice');
      expect(text).toContain('No. EV-00042');
      expect(text).toContain('ABN 51 824 753 556');
      expect(text).toContain(`Page ${i + 1} of ${pdf.pages.length}`);
    });
    const all = pdf.text.replace(/\s+/g, ' ');
    expect(all).toContain('Summary by charge');
    expect(all).toContain('Attachment: session list for EV-00042 (60 sessions)');
    for (let i = 0; i < 60; i++) expect(all).toContain(`Session ${1000 + i}`);
    // The font is embedded (a subset of Liberation Sans), not left to the reader.
    expect(pdf.fonts.some((f) => f.includes('LiberationSans'))).toBe(true);
    expect(pdf.info.Title).toBe('Tax invoice EV-00042');
  });

  it('issues an "Invoice" without a GST line for an issuer not registered for GST', async () => {
    const pdf = await pdfText(await renderInvoicePdf(aDocument(2, false), null));
    const text = pdf.text.replace(/\s+/g, ' ');
    expect(text).not.toContain('Tax invoice');
    expect(text).toContain('Invoice');
    expect(text).not.toContain('GST (10 %)');
    expect(text).toContain('No GST is charged: the issuer is not registered for GST.');
  });

  it.runIf(process.env.SAMPLE_PNG === '1')('writes the sample invoice for the docs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sample-invoice-'));
    const pdf = join(dir, 'sample.pdf');
    writeFileSync(pdf, await renderInvoicePdf(aDocument(4), null));
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
