// The invoice as a document: everything an invoice (or credit note) says, frozen when it is
// issued. The PDF, the email and the accounting exports are all written from this one value, so
// they can never disagree; it is stored with the invoice and never recomputed. Money in integer
// cents (ex GST per line, GST once per invoice: money.ts), energy in Wh, dates as local dates
// ('YYYY-MM-DD') and local date-times in the site's time zone as printed.

export interface InvoiceParty {
  name: string;
  abn: string | null;
  address: string | null;
  gstRegistered: boolean;
  email: string | null;
  phone: string | null;
  footer: string | null;
  /** Brand colours ('#RRGGBB'). */
  colours: { primary: string; accent: string };
  /** sha256 of the logo in billing_logos (content-addressed, so an old invoice keeps its logo). */
  logoSha: string | null;
}

export interface InvoiceBuyer {
  accountId: number;
  strataPlan: string | null;
  siteName: string;
  lotNumber: string;
  unitNumber: string | null;
  ownerNames: string;
  postalAddress: string | null;
  emails: string[];
  accountCode: string | null;
}

/** One priced part of a session: an energy band, idle minutes, a handling fee. */
export interface InvoicePart {
  description: string;
  wh: number | null;
  minutes: number | null;
  /** The unit price as printed ("32.5 c/kWh"), or null for a fixed amount. */
  rate: string | null;
  amountExGstCents: number;
  /** How the amount was worked out, to the cent ("12.345 kWh × 32.5 c/kWh = $4.01 ex GST"). */
  explanation: string;
}

export interface InvoiceSessionLine {
  sessionId: number;
  /** Local start and end ('YYYY-MM-DD HH:mm'). */
  started: string;
  ended: string;
  charger: string;
  bay: string | null;
  meterStartWh: number;
  meterStopWh: number;
  wh: number;
  tariff: string;
  parts: InvoicePart[];
  /** The sum of the parts, ex GST. */
  amountExGstCents: number;
}

export interface InvoiceFeeLine {
  description: string;
  amountExGstCents: number;
  explanation: string;
}

export interface PaymentOptions {
  bank: { bsb: string; accountNumber: string; accountName: string; reference: string } | null;
  bpay: { billerCode: string; reference: string } | null;
  deft: { reference: string } | null;
  strataPay: { reference: string } | null;
}

export type InvoiceKind = 'invoice' | 'credit-note';

export interface InvoiceDocument {
  kind: InvoiceKind;
  /** "Tax invoice" (GST-registered issuer), "Invoice", or "Credit note" / "Adjustment note". */
  title: string;
  number: string;
  issueDate: string;
  dueDate: string | null;
  /** Inclusive local dates of the billing period. */
  period: { start: string; end: string };
  issuer: InvoiceParty;
  buyer: InvoiceBuyer;
  sessions: InvoiceSessionLine[];
  fees: InvoiceFeeLine[];
  totals: { exGstCents: number; gstCents: number; incGstCents: number };
  /** The rounding method, stated on every invoice (docs/billing.md). */
  roundingNote: string;
  payment: PaymentOptions;
  /** For a credit note: the invoice it voids. */
  credits: { number: string; issueDate: string } | null;
  /** The site's IANA time zone the times are printed in. */
  timeZone: string;
}

export const ROUNDING_NOTE =
  'Each line is rounded to the cent (half up); GST is 10 % of the total ex GST, rounded once per invoice (half up).';

/** Energy as printed on invoices: "12.345 kWh". */
export const formatKwh = (wh: number): string => `${(wh / 1000).toFixed(3)} kWh`;

/** "$1,234.56" (en-AU), negative as "-$1.20". */
export function formatMoney(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const dollars = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}$${dollars}.${String(abs % 100).padStart(2, '0')}`;
}

/** 'YYYY-MM-DD' → 'DD/MM/YYYY' (how Australian documents write dates). */
export function formatLocalDate(d: string): string {
  const [y, m, day] = d.split('-');
  return `${day}/${m}/${y}`;
}

/** '51824753556' → '51 824 753 556'. */
export function formatAbn(abn: string): string {
  const d = abn.replace(/\s+/g, '');
  return d.length === 11 ? `${d.slice(0, 2)} ${d.slice(2, 5)} ${d.slice(5, 8)} ${d.slice(8)}` : abn;
}
