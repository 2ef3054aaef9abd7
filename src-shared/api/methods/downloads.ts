// Streamed downloads: the API grants a short-lived, single-use ticket after the same role and
// site checks as the data itself; the file then streams over HTTP (headless service) or to a
// file the user picks (desktop app), never through the API socket.
import { z } from 'zod';
import { method } from '../define';
import { idSchema } from '../../validation';
import { alarmFilterSchema, ALARM_EVENT_KINDS } from './alarms';
import { SESSION_SORTS, sessionFilterSchema } from './sessions';
import { ocppLogFilterSchema } from './ocpp';
import { localDateSchema } from './billing';
import { buildingMeterSchema, costBasisSchema } from './billing-reports';

export const auditFilterSchema = z
  .object({
    from: z.number().optional(),
    to: z.number().optional(),
    userId: idSchema.optional(),
    method: z.string().max(100, 'At most 100 characters').optional(),
    text: z.string().max(200, 'At most 200 characters').optional(),
  })
  .strict();

export const downloadRequestSchema = z.discriminatedUnion('kind', [
  /** The filtered audit log as CSV (administrators, like audit-list). */
  z.object({ kind: z.literal('audit-csv'), filter: auditFilterSchema }).strict(),
  /** The sessions page's filtered, sorted view as CSV, every row (whoever may list them). */
  z
    .object({
      kind: z.literal('sessions-csv'),
      filter: sessionFilterSchema,
      sort: z.enum(SESSION_SORTS).default('started'),
      dir: z.enum(['asc', 'desc']).default('desc'),
    })
    .strict(),
  /** The OCPP message log as CSV, every message matching the filter (staff, their sites). */
  z.object({ kind: z.literal('ocpp-log-csv'), filter: ocppLogFilterSchema }).strict(),
  /** A backup file (administrators, like backup-list). */
  z
    .object({
      kind: z.literal('backup'),
      fileName: z.string().min(1).max(200, 'At most 200 characters'),
    })
    .strict(),
  /** Active alarms, alarm history or the alarm event log as CSV (staff, their sites). */
  z
    .object({
      kind: z.literal('alarms-csv'),
      view: z.enum(['active', 'history', 'events']),
      filter: alarmFilterSchema.extend({ kind: z.enum(ALARM_EVENT_KINDS).optional() }).strict(),
    })
    .strict(),
  /** A site's accounts, residents and cards as CSV (managers of the site, like account-list). */
  z.object({ kind: z.literal('residents-csv'), siteId: idSchema }).strict(),
  /** The residents import template (managers). */
  z.object({ kind: z.literal('residents-template') }).strict(),
  /** An invoice or credit note as issued (managers of its site; an EV user: their own only). */
  z.object({ kind: z.literal('invoice-pdf'), invoiceId: idSchema }).strict(),
  /** An issued invoice run for accounting software, in one of the site's export profiles
   *  (managers of the site; refused unless its rows add up to the run's totals). */
  z
    .object({
      kind: z.literal('billing-export'),
      siteId: idSchema,
      runId: idSchema,
      key: z.string().trim().min(1).max(40, 'At most 40 characters'),
    })
    .strict(),
  /** Billing → Reports as CSV: the same question as billing-report (managers of the site). */
  z
    .object({
      kind: z.literal('billing-report-csv'),
      siteId: idSchema,
      from: localDateSchema,
      to: localDateSchema,
      cost: costBasisSchema,
      buildingMeter: buildingMeterSchema.nullable(),
    })
    .strict(),
]);
export type DownloadRequest = z.infer<typeof downloadRequestSchema>;

export const downloadMethods = {
  'download-ticket-create': method({
    summary:
      'A single-use link (valid for a minute) to download a large result as a stream: the audit log, alarms or sessions as CSV, a backup.',
    access: 'authenticated',
    audit: true,
    input: downloadRequestSchema,
    output: z.object({
      /** Relative URL on the service: GET it (same origin) to receive the file. */
      url: z.string(),
      fileName: z.string(),
      expiresAt: z.number(),
    }),
  }),
};
