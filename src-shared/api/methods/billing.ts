// Billing methods: versioned tariffs and where they apply, public holidays, a site's billing
// settings (cycle, issuer, numbering, payment options, livery), invoice runs (preview → issue),
// invoices (void by credit note, re-issue, paid), the payments import and the invoice PDF.
// Billing data belongs to administrators and site administrators; an EV user sees their own
// invoices only (my-invoice-*).
import { z } from 'zod';
import { method } from '../define';
import { LIMITS, emailSchema, idSchema, optionalText, requiredText } from '../../validation';
import { DAYS } from '../../billing/tariff';
import { INVOICE_NUMBER_MAX, LOGO_MAX_BYTES } from '../../billing/settings';
import { FLOOR_PLAN_TYPES } from '../../floor-plans';
import type { Role } from '../../roles';

const MANAGERS = ['admin', 'site_admin'] as const satisfies readonly Role[];

/** A local date 'YYYY-MM-DD' (the site's calendar). */
export const localDateSchema = z
  .string()
  .trim()
  .max(10)
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date as YYYY-MM-DD.');

const daySchema = z.enum(DAYS);
const money = z.number().int();
const timeOfDay = z.string().trim().max(5);
const bandSchema = z.object({
  name: z.string().trim().max(60),
  days: z.array(daySchema).max(7),
  from: timeOfDay,
  to: timeOfDay,
  millicentsPerKwh: money,
});
const touFields = {
  bands: z.array(bandSchema).max(48),
  holidays: z.array(localDateSchema).max(100).default([]),
  holidayAs: daySchema.default('sun'),
};
const componentSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('perKwh'), millicentsPerKwh: money }),
  z.object({
    kind: z.literal('perMinute'),
    basis: z.enum(['occupancy', 'idle']),
    millicentsPerMinute: money,
    graceMinutes: z.number().int(),
  }),
  z.object({ kind: z.literal('timeOfUse'), ...touFields }),
  z.object({ kind: z.literal('monthlyFee'), cents: money, per: z.enum(['account', 'bay']) }),
  z.object({ kind: z.literal('free') }),
  z.object({
    kind: z.literal('passThrough'),
    cost: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('flat'), millicentsPerKwh: money }),
      z.object({ kind: z.literal('timeOfUse'), ...touFields }),
    ]),
    marginBasisPoints: z.number().int(),
    handlingFeeCents: money,
  }),
]);
export const tariffSchema = z.object({
  name: requiredText(100),
  pricesIncludeGst: z.boolean(),
  components: z.array(componentSchema).max(10),
});

export const tariffTargetSchema = z.enum(['site', 'station', 'connector', 'bay', 'account']);
export type TariffTarget = z.infer<typeof tariffTargetSchema>;

const versionSchema = z.object({
  id: z.number(),
  effectiveFrom: z.string(),
  tariff: tariffSchema,
  createdAt: z.number(),
});
export const tariffRecordSchema = z.object({
  id: z.number(),
  siteId: z.number(),
  name: z.string(),
  versions: z.array(versionSchema),
  /** The version in effect today (null: only future versions). */
  currentVersionId: z.number().nullable(),
});
export type TariffRecord = z.infer<typeof tariffRecordSchema>;

const assignmentSchema = z.object({
  target: tariffTargetSchema,
  targetId: z.number(),
  /** What the target is, in words ("Bay 3 / outlet 1", "Lot 5 — J Citizen"). */
  label: z.string(),
  tariffId: z.number(),
  /** The local date this assignment has been in force from (null: since always). */
  effectiveFrom: z.string().nullable(),
});
/** One change of what applies to a target (tariffId null: the assignment ended that day). */
const assignmentChangeSchema = assignmentSchema.extend({ tariffId: z.number().nullable() });

const colour = z
  .string()
  .trim()
  .max(7)
  .regex(/^#[0-9a-fA-F]{6}$/, 'Enter a colour as #RRGGBB.');
const digits = (n: number, what: string) =>
  z
    .string()
    .trim()
    .max(20)
    .transform((v) => v.replace(/[\s-]/g, ''))
    .pipe(z.string().regex(new RegExp(`^\\d{${n}}$`), `${what} has ${n} digits.`));
const blank = <T extends z.ZodType>(s: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v), s.nullable());

export const billingSettingsSchema = z.object({
  cycle: z.enum(['monthly', 'quarterly']),
  periodEndDay: z.number().int().min(0).max(28),
  quarterEndMonth: z.number().int().min(1).max(3),
  dueDays: z.number().int().min(0).max(120),
  issuerName: requiredText(LIMITS.name),
  /** Checked against the ATO checksum by the core (a sentence naming the field). */
  issuerAbn: blank(z.string().trim().max(20)),
  issuerAddress: requiredText(LIMITS.address),
  gstRegistered: z.boolean(),
  numberFormat: z
    .string()
    .trim()
    .min(1)
    .max(INVOICE_NUMBER_MAX + 10),
  bsb: blank(digits(6, 'A BSB')),
  bankAccountNumber: blank(
    z
      .string()
      .trim()
      .max(20)
      .regex(/^\d{5,10}$/, 'An account number has 5–10 digits.'),
  ),
  bankAccountName: optionalText(LIMITS.name),
  bpayBillerCode: blank(
    z
      .string()
      .trim()
      .max(20)
      .regex(/^\d{3,10}$/, 'A BPAY biller code has 3–10 digits.'),
  ),
  deftEnabled: z.boolean(),
  strataPayEnabled: z.boolean(),
  contactEmail: blank(emailSchema),
  contactPhone: optionalText(LIMITS.phone),
  footerText: optionalText(500),
  primaryColour: colour,
  accentColour: colour,
});

const periodSchema = z.object({
  start: z.string(),
  end: z.string(),
  startMs: z.number(),
  endMs: z.number(),
  label: z.string(),
});

const partSchema = z.object({
  description: z.string(),
  wh: z.number().nullable(),
  minutes: z.number().nullable(),
  rate: z.string().nullable(),
  amountExGstCents: z.number(),
  explanation: z.string(),
});
const sessionLineSchema = z.object({
  sessionId: z.number(),
  started: z.string(),
  ended: z.string(),
  charger: z.string(),
  bay: z.string().nullable(),
  meterStartWh: z.number(),
  meterStopWh: z.number(),
  wh: z.number(),
  tariff: z.string(),
  parts: z.array(partSchema),
  amountExGstCents: z.number(),
});
const feeLineSchema = z.object({
  description: z.string(),
  amountExGstCents: z.number(),
  explanation: z.string(),
});
const totalsSchema = z.object({
  exGstCents: z.number(),
  gstCents: z.number(),
  incGstCents: z.number(),
});
const heldSchema = z.object({
  sessionId: z.number(),
  accountId: z.number().nullable(),
  lot: z.string().nullable(),
  charger: z.string(),
  ended: z.string(),
  reason: z.string(),
});

export const previewAccountSchema = z.object({
  accountId: z.number(),
  lotNumber: z.string(),
  unitNumber: z.string().nullable(),
  ownerNames: z.string(),
  sessions: z.array(sessionLineSchema),
  fees: z.array(feeLineSchema),
  totals: totalsSchema,
  warnings: z.array(z.string()),
});

export const runPreviewSchema = z.object({
  siteId: z.number(),
  period: periodSchema,
  accounts: z.array(previewAccountSchema),
  held: z.array(heldSchema),
  totals: totalsSchema,
  /** Problems that stop the run being issued (no issuer yet, ...). */
  blockers: z.array(z.string()),
  /** When this period's run was issued, if it was. */
  issuedRunId: z.number().nullable(),
});
export type RunPreview = z.infer<typeof runPreviewSchema>;

export const invoiceStatusSchema = z.enum(['draft', 'issued', 'sent', 'paid', 'void']);
export const invoiceSummarySchema = z.object({
  id: z.number(),
  runId: z.number(),
  siteId: z.number(),
  accountId: z.number(),
  kind: z.enum(['invoice', 'credit-note']),
  number: z.string(),
  status: invoiceStatusSchema,
  lotNumber: z.string(),
  ownerNames: z.string(),
  issueDate: z.string(),
  dueDate: z.string().nullable(),
  periodLabel: z.string(),
  totals: totalsSchema,
  sessions: z.number(),
  paidAt: z.number().nullable(),
  paidReference: z.string().nullable(),
  sentAt: z.number().nullable(),
  sentTo: z.array(z.string()),
  creditNoteId: z.number().nullable(),
  creditsInvoiceId: z.number().nullable(),
  reissuedAsId: z.number().nullable(),
});
export type InvoiceSummary = z.infer<typeof invoiceSummarySchema>;

export const runMailStatusSchema = z.object({
  runId: z.number(),
  /** Invoices that go by email (not those to print). */
  total: z.number(),
  sent: z.number(),
  queued: z.number(),
  failed: z.number(),
  toPrint: z.number(),
  invoices: z.array(
    z.object({
      invoiceId: z.number(),
      number: z.string(),
      lotNumber: z.string(),
      ownerNames: z.string(),
      state: z.enum(['to-print', 'not-queued', 'queued', 'sending', 'sent', 'failed']),
      to: z.array(z.string()),
      sentAt: z.number().nullable(),
      error: z.string().nullable(),
    }),
  ),
});
export type RunMailStatus = z.infer<typeof runMailStatusSchema>;

export const runSchema = z.object({
  id: z.number(),
  siteId: z.number(),
  period: periodSchema,
  issuedAt: z.number(),
  invoices: z.number(),
  totals: totalsSchema,
  held: z.number(),
});

const done = z.object({ ok: z.literal(true) });
const importRowProblem = z.object({
  row: z.number(),
  column: z.string().nullable(),
  reason: z.string(),
});

export const billingMethods = {
  'tariff-list': method({
    summary: 'A site’s tariffs with every version, what each applies to, and the public holidays.',
    access: MANAGERS,
    audit: false,
    input: z.object({ siteId: idSchema }).strict(),
    output: z.object({
      tariffs: z.array(tariffRecordSchema),
      /** What applies today. */
      assignments: z.array(assignmentSchema),
      /** Every change, oldest first: past and future-dated ones. */
      assignmentHistory: z.array(assignmentChangeSchema),
      holidays: z.array(z.object({ date: z.string(), name: z.string() })),
    }),
  }),
  'tariff-create': method({
    summary: 'Creates a tariff with its first version, in effect from a date.',
    access: MANAGERS,
    audit: true,
    input: z
      .object({ siteId: idSchema, effectiveFrom: localDateSchema, tariff: tariffSchema })
      .strict(),
    output: tariffRecordSchema,
  }),
  'tariff-version-add': method({
    summary:
      'Changes a tariff from a date on: a new version; earlier sessions keep the prices they had.',
    access: MANAGERS,
    audit: true,
    input: z
      .object({ tariffId: idSchema, effectiveFrom: localDateSchema, tariff: tariffSchema })
      .strict(),
    output: tariffRecordSchema,
  }),
  'tariff-assign': method({
    summary:
      'Applies a tariff to a site, station or connector, or overrides it for a bay or an account (null removes it).',
    access: MANAGERS,
    audit: true,
    input: z
      .object({
        siteId: idSchema,
        target: tariffTargetSchema,
        targetId: idSchema,
        tariffId: idSchema.nullable(),
        /** From this local date on; earlier dates keep what applied then. Default: the first
         *  day not yet invoiced (since always, before the first run is issued). */
        effectiveFrom: localDateSchema.optional(),
      })
      .strict(),
    output: done,
  }),
  'holiday-set': method({
    summary: 'Replaces the site’s list of public holidays (priced as the tariff says).',
    access: MANAGERS,
    audit: true,
    input: z
      .object({
        siteId: idSchema,
        holidays: z.array(z.object({ date: localDateSchema, name: requiredText(100) })).max(200),
      })
      .strict(),
    output: done,
  }),
  'billing-settings-get': method({
    summary: 'A site’s billing settings (null until saved) and whether it has a logo.',
    access: MANAGERS,
    audit: false,
    input: z.object({ siteId: idSchema }).strict(),
    output: z.object({
      settings: billingSettingsSchema.nullable(),
      logo: z.object({ sha: z.string(), contentType: z.string(), size: z.number() }).nullable(),
    }),
  }),
  'billing-settings-update': method({
    summary: 'Saves a site’s billing cycle, issuer, invoice numbering, payment options and livery.',
    access: MANAGERS,
    audit: true,
    input: billingSettingsSchema.extend({ siteId: idSchema }).strict(),
    output: billingSettingsSchema,
  }),
  'billing-logo-set': method({
    summary: 'Sets the issuer’s logo (PNG or JPEG, checked) or removes it (null).',
    access: MANAGERS,
    audit: true,
    input: z
      .object({
        siteId: idSchema,
        base64: z
          .string()
          .max(Math.ceil((LOGO_MAX_BYTES * 4) / 3) * 4)
          .nullable(),
      })
      .strict(),
    output: z.object({ sha: z.string().nullable() }),
  }),
  'billing-logo-get': method({
    summary:
      'The issuer’s stored logo (base64, at most 512 KB), for the live preview; null when there is none.',
    access: MANAGERS,
    audit: false,
    input: z.object({ siteId: idSchema }).strict(),
    output: z
      .object({
        sha: z.string(),
        /** The logo checker is the floor plans' (billing/pdf/logo-check.ts): the same types. */
        contentType: z.enum(FLOOR_PLAN_TYPES),
        base64: z.string(),
      })
      .nullable(),
  }),
  'invoice-sample-pdf': method({
    summary: 'A sample invoice in the site’s livery as PDF (base64), for the settings preview.',
    access: MANAGERS,
    audit: false,
    input: z.object({ siteId: idSchema }).strict(),
    output: z.object({ fileName: z.string(), base64: z.string() }),
  }),
  'invoice-run-preview': method({
    summary:
      'What a run for the billing period containing the date would invoice, per account, and which sessions are held.',
    access: MANAGERS,
    audit: false,
    input: z.object({ siteId: idSchema, date: localDateSchema }).strict(),
    output: runPreviewSchema,
  }),
  'invoice-run-issue': method({
    summary:
      'Issues the run for the billing period containing the date: numbers every invoice (once; issuing again changes nothing).',
    access: MANAGERS,
    audit: true,
    input: z.object({ siteId: idSchema, date: localDateSchema }).strict(),
    output: runSchema.extend({ alreadyIssued: z.boolean() }),
  }),
  'invoice-run-list': method({
    summary: 'A site’s issued runs, newest first.',
    access: MANAGERS,
    audit: false,
    input: z.object({ siteId: idSchema }).strict(),
    output: z.array(runSchema),
  }),
  'invoice-run-email': method({
    summary:
      'Emails the run’s issued invoices to the owners through the outbox, the PDF attached (each once: emailing again sends nothing twice).',
    access: MANAGERS,
    audit: true,
    input: z.object({ siteId: idSchema, runId: idSchema }).strict(),
    output: z.object({ queued: z.number(), status: runMailStatusSchema }),
  }),
  'invoice-run-email-status': method({
    summary:
      'How the emailing of a run stands: n of N sent, failures with reasons, owners to print for.',
    access: MANAGERS,
    audit: false,
    input: z.object({ siteId: idSchema, runId: idSchema }).strict(),
    output: runMailStatusSchema,
  }),
  'invoice-run-email-retry': method({
    summary: 'Queues the run’s failed invoice emails again.',
    access: MANAGERS,
    audit: true,
    input: z.object({ siteId: idSchema, runId: idSchema }).strict(),
    output: z.object({ retried: z.number() }),
  }),
  'invoice-list': method({
    summary: 'A site’s invoices and credit notes (optionally of one run), newest first.',
    access: MANAGERS,
    audit: false,
    input: z
      .object({
        siteId: idSchema,
        runId: idSchema.optional(),
        status: invoiceStatusSchema.optional(),
        limit: z.number().int().min(1).max(5000).default(1000),
      })
      .strict(),
    output: z.array(invoiceSummarySchema),
  }),
  'invoice-get': method({
    summary: 'An invoice: its document (every line as issued) and its status.',
    access: MANAGERS,
    audit: false,
    input: z.object({ id: idSchema }).strict(),
    output: z.object({
      summary: invoiceSummarySchema,
      document: z.object({
        title: z.string(),
        number: z.string(),
        sessions: z.array(sessionLineSchema),
        fees: z.array(feeLineSchema),
        totals: totalsSchema,
      }),
    }),
  }),
  'invoice-void': method({
    summary:
      'Voids an issued invoice with a credit note (numbered in the same sequence); its sessions can be billed again.',
    access: MANAGERS,
    audit: true,
    input: z.object({ id: idSchema, reason: requiredText(200) }).strict(),
    output: z.object({ voided: invoiceSummarySchema, creditNote: invoiceSummarySchema }),
  }),
  'invoice-reissue': method({
    summary:
      'Issues a new invoice for a voided invoice’s sessions and fees, rated again (corrected tariffs or readings).',
    access: MANAGERS,
    audit: true,
    input: z.object({ id: idSchema }).strict(),
    output: invoiceSummarySchema,
  }),
  'invoice-mark-paid': method({
    summary: 'Records an invoice as paid (on a date, with the payment’s reference).',
    access: MANAGERS,
    audit: true,
    input: z
      .object({ id: idSchema, paidOn: localDateSchema, reference: optionalText(60) })
      .strict(),
    output: invoiceSummarySchema,
  }),
  'invoice-payments-import': method({
    summary:
      'Marks invoices paid from a payments CSV (invoice number, amount, date, reference): checks every row, writes only when all are good.',
    access: MANAGERS,
    audit: true,
    input: z
      .object({
        siteId: idSchema,
        csv: z.string().max(2_000_000),
        mode: z.enum(['preview', 'import']),
      })
      .strict(),
    output: z.object({
      rows: z.number(),
      problems: z.array(importRowProblem),
      paid: z.number().nullable(),
    }),
  }),
  'my-invoice-list': method({
    summary: 'An EV user’s own invoices.',
    access: ['ev_user'],
    audit: false,
    input: z.object({}).strict(),
    output: z.array(invoiceSummarySchema),
  }),
};
