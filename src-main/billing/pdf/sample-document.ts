// A made-up invoice with `sessions` time-of-use session lines (deterministic): the document the
// PDF tests read back, the benchmark times (bench/billing.ts) and the worker pool warms up on.
import { invoiceTotals } from '../../../src-shared/billing/money';
import {
  ROUNDING_NOTE,
  type InvoiceDocument,
  type InvoiceSessionLine,
} from '../../../src-shared/billing/invoice-document';

function sampleSession(i: number): InvoiceSessionLine {
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

export function sampleInvoiceDocument(sessions: number, gstRegistered = true): InvoiceDocument {
  const lines = Array.from({ length: sessions }, (_, i) => sampleSession(i));
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
