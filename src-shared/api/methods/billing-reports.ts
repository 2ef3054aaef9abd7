// Billing reports of a site over its billing periods: revenue, energy delivered vs billed vs a
// building meter's reading, and the operating margin at an electricity cost (flat per kWh or a
// stored time-of-use tariff used as the cost). Managers of the site only.
import { z } from 'zod';
import { method } from '../define';
import { idSchema } from '../../validation';
import type { Role } from '../../roles';
import { localDateSchema as localDate } from './billing';

const MANAGERS = ['admin', 'site_admin'] as const satisfies readonly Role[];
const wh = z.number().int().min(0).max(1e13);

export const costBasisSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  z
    .object({
      kind: z.literal('flat'),
      /** ex GST, millicents per kWh (25 c/kWh = 25 000). */
      millicentsPerKwh: z.number().int().min(0).max(100_000_000),
    })
    .strict(),
  z.object({ kind: z.literal('tariff'), tariffId: idSchema }).strict(),
]);

/** The car-park (EV) sub-meter read at the range's start and end, when there is one. */
export const buildingMeterSchema = z.object({ openingWh: wh, closingWh: wh }).strict();

const figures = {
  invoices: z.number(),
  exGstCents: z.number(),
  gstCents: z.number(),
  incGstCents: z.number(),
  billedWh: z.number(),
  deliveredWh: z.number(),
  unbilledWh: z.number(),
  unbilledSessions: z.number(),
  costCents: z.number().nullable(),
  marginCents: z.number().nullable(),
};

export const billingReportMethods = {
  'billing-report': method({
    summary:
      'Revenue, energy delivered vs billed (and a building meter’s reading) and operating margin per billing period of a site.',
    access: MANAGERS,
    audit: false,
    input: z
      .object({
        siteId: idSchema,
        from: localDate,
        to: localDate,
        cost: costBasisSchema,
        buildingMeter: buildingMeterSchema.nullable(),
      })
      .strict(),
    output: z.object({
      periods: z.array(
        z.object({
          label: z.string(),
          start: z.string(),
          end: z.string(),
          runId: z.number().nullable(),
          ...figures,
        }),
      ),
      totals: z.object(figures),
      buildingMeter: z
        .object({ measuredWh: z.number(), deliveredWh: z.number(), lossesWh: z.number() })
        .nullable(),
      costNote: z.string(),
    }),
  }),
};
