// Reports methods: one charging session in detail (its facts, a chart of its meter samples, the
// raw samples and the OCPP messages of that transaction) and the totals for a period, grouped in
// the site's time zone (src-main/reports/, docs/reports.md).
//
// Session detail: staff see the sessions of their sites; an EV user sees only the sessions of
// their own account(s), checked in the core (a session of another account is `forbidden`, as if
// named by a list filter). The OCPP messages are for staff only (they show other chargers' ids).
import { z } from 'zod';
import { method } from '../define';
import { STAFF_ROLES, type Role } from '../../roles';
import { idSchema } from '../../validation';
import { meterSampleSchema, ocppLogEntrySchema } from '../../ocpp/types';
import { pageInput, pageOutput } from '../paging';

const READERS = [...STAFF_ROLES, 'ev_user'] as const satisfies readonly Role[];
/** Totals name accounts and owners: billing data, like the residents pages (not support). */
const MANAGERS = ['admin', 'site_admin'] as const satisfies readonly Role[];

/** The facts of one session, as the session page shows them. */
export const sessionFactsSchema = z.object({
  id: z.number(),
  status: z.enum(['active', 'completed']),
  flag: z.enum(['suspect', 'review']).nullable(),
  flagReason: z.string().nullable(),
  siteId: z.number().nullable(),
  siteName: z.string().nullable(),
  /** The site's IANA zone (times are shown in it). */
  timeZone: z.string().nullable(),
  stationId: z.number().nullable(),
  stationName: z.string().nullable(),
  identity: z.string(),
  connectorNumber: z.number(),
  connectorName: z.string().nullable(),
  idTag: z.string(),
  chargerTransactionId: z.number().nullable(),
  cardId: z.number().nullable(),
  cardLabel: z.string().nullable(),
  residentName: z.string().nullable(),
  accountId: z.number().nullable(),
  lotNumber: z.string().nullable(),
  unitNumber: z.string().nullable(),
  ownerNames: z.string().nullable(),
  /** How the session was attributed: by the card, a private bay, a visitor bay (free). */
  via: z.enum(['card', 'private-bay', 'visitor-bay']).nullable(),
  free: z.boolean(),
  startedAt: z.number(),
  stoppedAt: z.number().nullable(),
  /** Start to stop (or to the last message while active), ms. */
  durationMs: z.number(),
  meterStartWh: z.number(),
  meterStopWh: z.number().nullable(),
  /** Delivered so far (active) or in all (completed), Wh. */
  energyWh: z.number().nullable(),
  /** energyWh over the duration, W. */
  averagePowerW: z.number().nullable(),
  stopReason: z.string().nullable(),
  sampleCount: z.number(),
});
export type SessionFacts = z.infer<typeof sessionFactsSchema>;

/** One chart point: a sample, or the summary of a time bucket of samples (downsampled). */
export const chartPointSchema = z.object({
  /** The bucket's first sample time (a sample's own time when not downsampled). */
  at: z.number(),
  /** Mean power in the bucket, W. */
  powerW: z.number().nullable(),
  /** Highest power in the bucket, W (peaks survive downsampling). */
  powerMaxW: z.number().nullable(),
  /** Energy delivered since the session started, at the bucket's last reading, Wh. */
  energyWh: z.number().nullable(),
  currentL1A: z.number().nullable(),
  currentL2A: z.number().nullable(),
  currentL3A: z.number().nullable(),
  socPercent: z.number().nullable(),
});
export type ChartPoint = z.infer<typeof chartPointSchema>;

export const sessionChartSchema = z.object({
  /** Stored samples of the session. */
  sampleCount: z.number(),
  /** True when points are buckets of samples (more samples than points asked). */
  downsampled: z.boolean(),
  /** Bucket width, ms (0 when not downsampled). */
  bucketMs: z.number(),
  points: z.array(chartPointSchema),
});
export type SessionChart = z.infer<typeof sessionChartSchema>;

const localDate = z
  .string()
  .trim()
  .max(10)
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Dates are written as YYYY-MM-DD, e.g. 2026-03-31.');

const totalsRow = {
  sessions: z.number(),
  energyWh: z.number(),
};
const occupancyRow = {
  /** Plugged-in time of the sessions, clipped to the period, ms. */
  occupiedMs: z.number(),
  /** occupiedMs over the period's length (per outlet), 0..1. */
  occupancy: z.number(),
};

export const reportTotalsSchema = z.object({
  /** The zone the days, hours and weekdays are in. */
  timeZone: z.string(),
  /** The period as UTC bounds: [from, to). */
  from: z.number(),
  to: z.number(),
  sites: z.array(z.object({ id: z.number(), name: z.string() })),
  total: z.object({ ...totalsRow, ...occupancyRow, connectors: z.number() }),
  bySite: z.array(z.object({ siteId: z.number(), name: z.string(), ...totalsRow })),
  byStation: z.array(
    z.object({
      stationId: z.number(),
      name: z.string(),
      siteId: z.number(),
      ...totalsRow,
      ...occupancyRow,
    }),
  ),
  byConnector: z.array(
    z.object({
      stationId: z.number(),
      stationName: z.string(),
      connectorNumber: z.number(),
      ...totalsRow,
      ...occupancyRow,
    }),
  ),
  byAccount: z.array(
    z.object({
      accountId: z.number().nullable(),
      /** "Lot 5 (unit 301) — Mei Chen", or "No account". */
      name: z.string(),
      ...totalsRow,
    }),
  ),
  byCard: z.array(
    z.object({
      cardId: z.number().nullable(),
      idTag: z.string(),
      label: z.string().nullable(),
      accountName: z.string().nullable(),
      ...totalsRow,
    }),
  ),
  /** Every local day of the period (empty days included), YYYY-MM-DD. */
  byDay: z.array(z.object({ date: z.string(), ...totalsRow })),
  /** ISO weeks (Monday first) touching the period; `date` is the Monday. */
  byWeek: z.array(z.object({ date: z.string(), ...totalsRow })),
  /** Calendar months touching the period, YYYY-MM. */
  byMonth: z.array(z.object({ month: z.string(), ...totalsRow })),
  /** Local hour of day the sessions started, 0-23 (all 24). */
  byHour: z.array(z.object({ hour: z.number(), ...totalsRow })),
  /** Local weekday the sessions started, 1 = Monday ... 7 = Sunday (all 7). */
  byWeekday: z.array(z.object({ weekday: z.number(), ...totalsRow })),
});
export type ReportTotals = z.infer<typeof reportTotalsSchema>;

export const reportsMethods = {
  'session-detail-get': method({
    summary:
      'One charging session: who, where, when, how much, and a chart of its meter samples (long sessions downsampled into time buckets).',
    access: READERS,
    audit: false,
    input: z
      .object({
        id: idSchema,
        /** Chart points at most (a longer session is bucketed in time). */
        points: z.number().int().min(10).max(2000).default(600),
      })
      .strict(),
    output: z.object({ session: sessionFactsSchema, chart: sessionChartSchema }),
  }),
  'session-detail-samples': method({
    summary: 'A session’s stored meter samples as received, newest first, paged.',
    access: READERS,
    audit: false,
    input: z.object({ id: idSchema, ...pageInput(50) }).strict(),
    output: z.object({ ...pageOutput, samples: z.array(meterSampleSchema) }),
  }),
  'session-detail-messages': method({
    summary:
      'The OCPP messages of a session (its start, meter values, stop, remote commands and its outlet’s status changes), newest first, paged.',
    access: STAFF_ROLES,
    audit: false,
    input: z.object({ id: idSchema, ...pageInput(50) }).strict(),
    output: z.object({ ...pageOutput, entries: z.array(ocppLogEntrySchema) }),
  }),
  'report-totals': method({
    summary:
      'Energy, sessions and occupancy for a period (local dates in the site’s time zone), by site, station, outlet, account, card, day, week, month, hour of day and weekday.',
    access: MANAGERS,
    audit: false,
    input: z
      .object({
        /** One site, or every site the caller sees. */
        siteId: idSchema.optional(),
        from: localDate,
        to: localDate,
      })
      .strict(),
    output: reportTotalsSchema,
  }),
};
