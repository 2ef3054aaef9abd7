// Accounting exports of an issued invoice run: the site's export profiles (StrataMax,
// PropertyIQ, Strata Master, generic CSV, meter readings; editable, saved per site) and the
// check shown before the file is saved. The file itself streams through download-ticket-create
// (kind 'billing-export'). Managers of the site only, like the invoices.
import { z } from 'zod';
import { method } from '../define';
import { idSchema } from '../../validation';
import {
  EXPORT_KINDS,
  MAX_COLUMNS,
  MONEY_FORMATS,
  type DateFormat,
  type Delimiter,
} from '../../billing/export-profile';
import type { Role } from '../../roles';

const MANAGERS = ['admin', 'site_admin'] as const satisfies readonly Role[];

export const exportProfileKeySchema = z
  .string()
  .trim()
  .min(1, 'Give the profile a key.')
  .max(40, 'At most 40 characters')
  .regex(/^[a-z0-9-]+$/, 'Use lower-case letters, digits and hyphens.');

// Deliberately loose on `source`, `delimiter` and `dateFormat`: validateProfile checks them and
// names the column in words ("Column 3 "Lot": "lotNo" is not a field we can export").
export const exportProfileSchema = z
  .object({
    name: z.string().trim().max(100, 'At most 100 characters'),
    kind: z.enum(EXPORT_KINDS),
    rowPer: z.enum(['invoice', 'line']),
    delimiter: z.string().max(2) as z.ZodType<Delimiter>,
    dateFormat: z.string().max(20) as z.ZodType<DateFormat>,
    columns: z
      .array(
        z
          .object({
            header: z.string().max(60, 'At most 60 characters'),
            source: z.string().max(40, 'At most 40 characters'),
            money: z.enum(MONEY_FORMATS).optional(),
            maxLength: z.number().int().min(1).max(500).optional(),
            value: z.string().max(100, 'At most 100 characters').optional(),
          })
          .strict(),
      )
      .max(MAX_COLUMNS * 2),
  })
  .strict();

const sumsSchema = z.object({
  exGstCents: z.number(),
  gstCents: z.number(),
  incGstCents: z.number(),
  wh: z.number(),
});

export const billingExportMethods = {
  'accounting-export-profile-list': method({
    summary: 'A site’s accounting export profiles: the shipped defaults or the site’s saved edits.',
    access: MANAGERS,
    audit: false,
    input: z.object({ siteId: idSchema }).strict(),
    output: z.array(
      z.object({
        key: z.string(),
        profile: exportProfileSchema,
        shipped: z.boolean(),
        saved: z.boolean(),
      }),
    ),
  }),
  'accounting-export-profile-save': method({
    summary: 'Saves an accounting export profile for a site (columns, formats, delimiter).',
    access: MANAGERS,
    audit: true,
    input: z
      .object({ siteId: idSchema, key: exportProfileKeySchema, profile: exportProfileSchema })
      .strict(),
    output: z.object({ key: z.string(), profile: exportProfileSchema }),
  }),
  'accounting-export-profile-reset': method({
    summary:
      'Drops a site’s saved profile: a shipped one (StrataMax…) is its default again, the site’s own is removed.',
    access: MANAGERS,
    audit: true,
    input: z.object({ siteId: idSchema, key: exportProfileKeySchema }).strict(),
    output: z.object({ key: z.string(), profile: exportProfileSchema.nullable() }),
  }),
  'accounting-export-check': method({
    summary:
      'Checks an export of an issued run before it is saved: the rows add up to the run’s totals to the cent.',
    access: MANAGERS,
    audit: false,
    input: z.object({ siteId: idSchema, runId: idSchema, key: exportProfileKeySchema }).strict(),
    output: z.object({
      ok: z.boolean(),
      rows: z.number(),
      measure: z.enum(['money', 'energy']),
      rowTotals: sumsSchema,
      runTotals: sumsSchema,
      message: z.string(),
      fileName: z.string(),
    }),
  }),
};
