// Export profiles for strata accounting software, as DATA: a profile is a list of columns (header,
// source field from a fixed list, format), a delimiter and a date format, saved per site, so an
// accountant can match the import template their package expects without a new release. The
// defaults for StrataMax, PropertyIQ and Strata Master are INFERRED (no public import
// specification was found: /work/shared/design/billing.md); the user adjusts them freely.
// Shared by the core (validation, the file) and the renderer (the profile editor).

export const EXPORT_KINDS = ['invoice-lines', 'meter-readings'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** How a field's value is written: money, a date, an energy, or text as it is. */
export type FieldType = 'money' | 'date' | 'energy' | 'text';

interface FieldInfo {
  label: string;
  type: FieldType;
  kinds: readonly ExportKind[];
}

const BOTH = ['invoice-lines', 'meter-readings'] as const;
const LINES = ['invoice-lines'] as const;
const READINGS = ['meter-readings'] as const;

/** Every field a column can take its value from (the fixed list the editor offers). */
export const SOURCE_FIELDS = {
  strataPlan: { label: 'Strata plan / building no.', type: 'text', kinds: BOTH },
  siteName: { label: 'Building name', type: 'text', kinds: BOTH },
  lotNumber: { label: 'Lot no.', type: 'text', kinds: BOTH },
  unitNumber: { label: 'Unit no.', type: 'text', kinds: BOTH },
  accountCode: { label: 'Account code', type: 'text', kinds: BOTH },
  ownerName: { label: 'Owner name', type: 'text', kinds: BOTH },
  ownerEmail: { label: 'Owner email', type: 'text', kinds: BOTH },
  invoiceNumber: { label: 'Invoice no.', type: 'text', kinds: BOTH },
  documentType: { label: 'Invoice or credit note', type: 'text', kinds: LINES },
  issueDate: { label: 'Invoice date', type: 'date', kinds: BOTH },
  dueDate: { label: 'Due date', type: 'date', kinds: LINES },
  periodStart: { label: 'Period start', type: 'date', kinds: BOTH },
  periodEnd: { label: 'Period end', type: 'date', kinds: BOTH },
  description: { label: 'Description', type: 'text', kinds: LINES },
  lineDate: { label: 'Session date (per line)', type: 'date', kinds: LINES },
  charger: { label: 'Charger / bay', type: 'text', kinds: BOTH },
  rate: { label: 'Rate (per line)', type: 'text', kinds: LINES },
  kwh: { label: 'kWh', type: 'energy', kinds: BOTH },
  amountExGst: { label: 'Amount ex GST', type: 'money', kinds: LINES },
  gst: { label: 'GST', type: 'money', kinds: LINES },
  amountIncGst: { label: 'Amount inc GST', type: 'money', kinds: LINES },
  gstFlag: { label: 'GST flag (Y/N)', type: 'text', kinds: LINES },
  bpayReference: { label: 'BPAY reference', type: 'text', kinds: LINES },
  deftReference: { label: 'DEFT reference', type: 'text', kinds: LINES },
  strataPayReference: { label: 'StrataPay reference', type: 'text', kinds: LINES },
  openingKwh: { label: 'Opening reading (kWh)', type: 'energy', kinds: READINGS },
  closingKwh: { label: 'Closing reading (kWh)', type: 'energy', kinds: READINGS },
  openingDate: { label: 'Opening read date', type: 'date', kinds: READINGS },
  closingDate: { label: 'Closing read date', type: 'date', kinds: READINGS },
  estimated: { label: 'Estimated (Y/N)', type: 'text', kinds: READINGS },
  fixed: { label: 'Fixed text (the same on every row)', type: 'text', kinds: BOTH },
} as const satisfies Record<string, FieldInfo>;
export type SourceField = keyof typeof SOURCE_FIELDS;
export const isSourceField = (s: string): s is SourceField =>
  Object.prototype.hasOwnProperty.call(SOURCE_FIELDS, s);

/** Money as dollars "12.34" or whole cents "1234". */
export const MONEY_FORMATS = ['dollars', 'cents'] as const;
export const DATE_FORMATS = [
  'dd/MM/yyyy',
  'd/M/yyyy',
  'yyyy-MM-dd',
  'dd-MM-yyyy',
  'MM/dd/yyyy',
  'yyyyMMdd',
] as const;
export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];
export type Delimiter = (typeof DELIMITERS)[number];

export interface ExportColumn {
  header: string;
  source: string;
  /** For money: 'dollars' (default) or 'cents'. */
  money?: (typeof MONEY_FORMATS)[number];
  /** Longest text kept (StrataMax: description ≤ 20, reference ≤ 25); longer is cut. */
  maxLength?: number;
  /** For the 'fixed' source: the text written on every row (an invoice code, income account). */
  value?: string;
}

export interface ExportProfile {
  name: string;
  kind: ExportKind;
  /** Invoice lines: one row per invoice, or per line (each session and fee). */
  rowPer: 'invoice' | 'line';
  delimiter: Delimiter;
  dateFormat: DateFormat;
  columns: ExportColumn[];
}

export const MAX_COLUMNS = 40;

const col = (header: string, source: SourceField, extra: Partial<ExportColumn> = {}) => ({
  header,
  source,
  ...extra,
});

/** The profiles every site starts with (keys are stable; a saved profile replaces its default). */
export const DEFAULT_PROFILES: Record<string, ExportProfile> = {
  stratamax: {
    name: 'StrataMax levy invoices (inferred)',
    kind: 'invoice-lines',
    rowPer: 'invoice',
    delimiter: ',',
    dateFormat: 'dd/MM/yyyy',
    columns: [
      col('Building No', 'strataPlan'),
      col('Lot No', 'lotNumber'),
      col('Unit No', 'unitNumber'),
      col('Account Code', 'accountCode', { maxLength: 8 }),
      col('Owner Name', 'ownerName'),
      col('Invoice Code', 'fixed', { value: 'EVCHG' }),
      col('Income Account', 'fixed', { value: '' }),
      col('Transaction Date', 'issueDate'),
      col('Due Date', 'dueDate'),
      col('Period Start', 'periodStart'),
      col('Period End', 'periodEnd'),
      col('Details', 'description', { maxLength: 20 }),
      col('kWh', 'kwh'),
      col('Amount Ex GST', 'amountExGst'),
      col('GST', 'gst'),
      col('Amount Inc GST', 'amountIncGst'),
      col('GST Flag', 'gstFlag'),
      col('Reference', 'invoiceNumber', { maxLength: 25 }),
      col('StrataPay Reference', 'strataPayReference'),
    ],
  },
  propertyiq: {
    name: 'PropertyIQ debtor invoices (inferred)',
    kind: 'invoice-lines',
    rowPer: 'invoice',
    delimiter: ',',
    dateFormat: 'dd/MM/yyyy',
    columns: [
      col('Scheme Number', 'strataPlan'),
      col('Lot Number', 'lotNumber'),
      col('Unit Number', 'unitNumber'),
      col('Owner Name', 'ownerName'),
      col('Owner Email', 'ownerEmail'),
      col('Invoice Type', 'fixed', { value: 'Debtor' }),
      col('Account Code', 'accountCode'),
      col('Invoice Date', 'issueDate'),
      col('Due Date', 'dueDate'),
      col('Period Start', 'periodStart'),
      col('Period End', 'periodEnd'),
      col('Description', 'description'),
      col('kWh', 'kwh'),
      col('Amount Ex GST', 'amountExGst'),
      col('GST', 'gst'),
      col('Amount Inc GST', 'amountIncGst'),
      col('DEFT Reference', 'deftReference'),
      col('Reference', 'invoiceNumber'),
    ],
  },
  'strata-master': {
    name: 'Strata Master owner invoices (inferred)',
    kind: 'invoice-lines',
    rowPer: 'invoice',
    delimiter: ',',
    dateFormat: 'dd/MM/yyyy',
    columns: [
      col('Plan', 'strataPlan'),
      col('Lot', 'lotNumber'),
      col('Account Code', 'accountCode'),
      col('Date', 'issueDate'),
      col('Description', 'description'),
      col('Amount', 'amountIncGst'),
      col('GST', 'gst'),
      col('Reference', 'invoiceNumber'),
    ],
  },
  generic: {
    name: 'Generic CSV (one row per line)',
    kind: 'invoice-lines',
    rowPer: 'line',
    delimiter: ',',
    dateFormat: 'dd/MM/yyyy',
    columns: [
      col('Invoice', 'invoiceNumber'),
      col('Type', 'documentType'),
      col('Invoice date', 'issueDate'),
      col('Lot', 'lotNumber'),
      col('Unit', 'unitNumber'),
      col('Owner', 'ownerName'),
      col('Session date', 'lineDate'),
      col('Charger', 'charger'),
      col('Description', 'description'),
      col('kWh', 'kwh'),
      col('Rate', 'rate'),
      col('Ex GST', 'amountExGst'),
      col('GST', 'gst'),
      col('Inc GST', 'amountIncGst'),
    ],
  },
  'meter-readings': {
    name: 'Meter readings per lot (utility billing)',
    kind: 'meter-readings',
    rowPer: 'line',
    delimiter: ',',
    dateFormat: 'dd/MM/yyyy',
    columns: [
      col('Plan', 'strataPlan'),
      col('Lot', 'lotNumber'),
      col('Unit', 'unitNumber'),
      col('Meter', 'charger'),
      col('Opening Read Date', 'openingDate'),
      col('Opening Reading', 'openingKwh'),
      col('Closing Read Date', 'closingDate'),
      col('Closing Reading', 'closingKwh'),
      col('Consumption kWh', 'kwh'),
      col('Estimated', 'estimated'),
    ],
  },
};

export interface ProfileProblem {
  /** Dotted path under the profile ("columns.2.source"). */
  field: string;
  message: string;
}

/** Every problem of a profile, in words a strata manager understands (empty: it is good). */
export function validateProfile(p: ExportProfile): ProfileProblem[] {
  const problems: ProfileProblem[] = [];
  if (p.name.trim() === '') problems.push({ field: 'name', message: 'Give the profile a name.' });
  if (!(DELIMITERS as readonly string[]).includes(p.delimiter))
    problems.push({
      field: 'delimiter',
      message: 'Choose a comma, semicolon, tab or bar as the delimiter.',
    });
  if (!(DATE_FORMATS as readonly string[]).includes(p.dateFormat))
    problems.push({
      field: 'dateFormat',
      message: `Choose a date format from the list (${DATE_FORMATS.join(', ')}).`,
    });
  if (p.columns.length === 0)
    problems.push({ field: 'columns', message: 'Add at least one column.' });
  if (p.columns.length > MAX_COLUMNS)
    problems.push({ field: 'columns', message: `A profile has at most ${MAX_COLUMNS} columns.` });
  const seen = new Set<string>();
  p.columns.forEach((c, i) => {
    const name = `Column ${i + 1}${c.header.trim() ? ` "${c.header.trim()}"` : ''}`;
    if (c.header.trim() === '') {
      problems.push({
        field: `columns.${i}.header`,
        message: `${name} has no header; every column needs one.`,
      });
    } else if (seen.has(c.header.trim().toLowerCase())) {
      problems.push({
        field: `columns.${i}.header`,
        message: `${name}: the header is used twice.`,
      });
    }
    seen.add(c.header.trim().toLowerCase());
    if (!isSourceField(c.source)) {
      problems.push({
        field: `columns.${i}.source`,
        message: `${name}: "${c.source}" is not a field we can export; choose one from the list.`,
      });
    } else if (!(SOURCE_FIELDS[c.source].kinds as readonly string[]).includes(p.kind)) {
      problems.push({
        field: `columns.${i}.source`,
        message: `${name}: "${SOURCE_FIELDS[c.source].label}" is not part of a ${p.kind === 'meter-readings' ? 'meter readings' : 'invoice lines'} export.`,
      });
    }
    if (c.maxLength !== undefined && (!Number.isInteger(c.maxLength) || c.maxLength < 1))
      problems.push({
        field: `columns.${i}.maxLength`,
        message: `${name}: the longest text must be a whole number of characters, at least 1.`,
      });
    // The file must add up to the run (the check before saving sums the values, not the cells):
    // a cut amount, reading or date would be a different number in the accounting package.
    else if (
      c.maxLength !== undefined &&
      isSourceField(c.source) &&
      SOURCE_FIELDS[c.source].type !== 'text'
    )
      problems.push({
        field: `columns.${i}.maxLength`,
        message: `${name}: amounts, readings and dates are never cut (the file must add up to the run); remove its longest length.`,
      });
  });
  return problems;
}

/** Cents as the profile writes them: dollars "12.34" ("-1.20" for a credit) or cents "1234". */
export function formatCents(
  cents: number,
  format: (typeof MONEY_FORMATS)[number] = 'dollars',
): string {
  if (format === 'cents') return String(cents);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** A local date 'YYYY-MM-DD' in one of the profile date formats (no time zone arithmetic). */
export function formatDate(d: string, f: DateFormat): string {
  const [y = '', m = '', day = ''] = d.split('-');
  switch (f) {
    case 'dd/MM/yyyy':
      return `${day}/${m}/${y}`;
    case 'd/M/yyyy':
      return `${Number(day)}/${Number(m)}/${y}`;
    case 'yyyy-MM-dd':
      return d;
    case 'dd-MM-yyyy':
      return `${day}-${m}-${y}`;
    case 'MM/dd/yyyy':
      return `${m}/${day}/${y}`;
    case 'yyyyMMdd':
      return `${y}${m}${day}`;
  }
}

/** Wh as kWh with three decimals ("12.345"). */
export const formatKwhValue = (wh: number): string => {
  const sign = wh < 0 ? '-' : '';
  const abs = Math.abs(wh);
  return `${sign}${Math.floor(abs / 1000)}.${String(abs % 1000).padStart(3, '0')}`;
};

/** "$12,345.67" for the check line. */
export function dollars(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}$${whole}.${String(abs % 100).padStart(2, '0')}`;
}
