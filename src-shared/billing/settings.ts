// A site's billing settings: the cycle, due-date terms, the issuer (who the invoices are from),
// the invoice number format, payment options and the livery. Shared so the settings form checks
// what the core checks.

export type BillingCycle = 'monthly' | 'quarterly';

export interface BillingSettings {
  cycle: BillingCycle;
  /** Day of the month the period ends on (1–28), or 0 for the month's last day. */
  periodEndDay: number;
  /** Quarterly: the first month (1–3) a quarter ends in; 3 → quarters end Mar, Jun, Sep, Dec. */
  quarterEndMonth: number;
  /** The invoice is due this many days after its issue date. */
  dueDays: number;
  issuerName: string;
  /** 11 digits, checksum-validated; null for an issuer without one (then "Invoice"). */
  issuerAbn: string | null;
  issuerAddress: string;
  gstRegistered: boolean;
  /** e.g. "EV-{seq:5}" → "EV-00042"; also {yyyy}, {yy}. */
  numberFormat: string;
  bsb: string | null;
  bankAccountNumber: string | null;
  bankAccountName: string | null;
  bpayBillerCode: string | null;
  deftEnabled: boolean;
  strataPayEnabled: boolean;
  contactEmail: string | null;
  contactPhone: string | null;
  footerText: string | null;
  primaryColour: string;
  accentColour: string;
}

export const DEFAULT_BILLING_SETTINGS: BillingSettings = {
  cycle: 'quarterly',
  periodEndDay: 0,
  quarterEndMonth: 3,
  dueDays: 14,
  issuerName: '',
  issuerAbn: null,
  issuerAddress: '',
  gstRegistered: true,
  numberFormat: 'EV-{seq:5}',
  bsb: null,
  bankAccountNumber: null,
  bankAccountName: null,
  bpayBillerCode: null,
  deftEnabled: false,
  strataPayEnabled: false,
  contactEmail: null,
  contactPhone: null,
  footerText: null,
  primaryColour: '#1c4e80',
  accentColour: '#0091d5',
};

/** Longest invoice number: StrataMax takes a creditor invoice number of at most 25 characters. */
export const INVOICE_NUMBER_MAX = 25;

const TOKEN = /\{(seq(?::(\d{1,2}))?|yyyy|yy)\}/g;

/** The invoice number for sequence `seq` issued in `year`. */
export function formatInvoiceNumber(format: string, seq: number, year: number): string {
  return format.replace(TOKEN, (_m, token: string, width?: string) => {
    if (token === 'yyyy') return String(year);
    if (token === 'yy') return String(year % 100).padStart(2, '0');
    return String(seq).padStart(width ? Number(width) : 1, '0');
  });
}

/** Why a number format cannot be used, or null. */
export function numberFormatProblem(format: string): string | null {
  if (!/\{seq(?::\d{1,2})?\}/.test(format))
    return 'The invoice number format must contain {seq} (the running number), e.g. "EV-{seq:5}".';
  const leftover = format.replace(TOKEN, '');
  if (/[{}]/.test(leftover))
    return 'The invoice number format may use only {seq}, {seq:N}, {yyyy} and {yy} in braces.';
  if (/[^A-Za-z0-9\-/_.]/.test(leftover))
    return 'The invoice number format may contain only letters, digits and - / _ . besides the braces.';
  if (formatInvoiceNumber(format, 999_999, 2099).length > INVOICE_NUMBER_MAX)
    return `Invoice numbers may be at most ${INVOICE_NUMBER_MAX} characters (accounting packages cut longer ones).`;
  return null;
}

/** Logo limits: small enough for every PDF and email, large enough to print sharply. */
export const LOGO_MAX_BYTES = 512 * 1024;
export const LOGO_MAX_SIDE = 2000;
export const LOGO_MIN_SIDE = 32;
