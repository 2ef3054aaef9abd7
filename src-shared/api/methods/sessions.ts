// Charging sessions: the list every role sees (an EV user only their own account's, a site
// administrator only their sites'), its CSV export (a download kind, downloads.ts), and the
// review of flagged sessions (managers). docs/sessions.md says what each field means.
import { z } from 'zod';
import { method } from '../define';
import { filterText, idSchema, LIMITS, requiredText } from '../../validation';
import { pageOutput } from '../paging';
import type { Role } from '../../roles';

const MANAGERS = ['admin', 'site_admin'] as const satisfies readonly Role[];

/** Columns the list sorts on (each has an index: src-main/sessions/sort.ts). */
export const SESSION_SORTS = ['started', 'stopped', 'duration', 'energy', 'power', 'id'] as const;
export type SessionSort = (typeof SESSION_SORTS)[number];
export const SESSION_SORT_LABELS: Record<SessionSort, string> = {
  started: 'Start',
  stopped: 'Stop',
  duration: 'Duration',
  energy: 'Energy',
  power: 'Average power',
  id: 'Transaction id',
};

/**
 * any: flagged (open or resolved); open: flagged and not yet resolved (the review queue);
 * resolved: a decision was made; none: never flagged.
 */
export const SESSION_FLAG_FILTERS = ['any', 'open', 'resolved', 'none'] as const;

/** Why a session was flagged, in kinds the review queue groups by (from the flag's reason). */
export const FLAG_KINDS = [
  'unknown-transaction',
  'meter-backwards',
  'missing-stop-reading',
  'implausible',
  'refused-card',
] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];
export const FLAG_KIND_LABELS: Record<FlagKind, string> = {
  'unknown-transaction': 'Unknown transaction',
  'meter-backwards': 'Meter went backwards',
  'missing-stop-reading': 'Missing stop reading',
  implausible: 'Implausible reading',
  'refused-card': 'Refused card',
};

export const REVIEW_ACTIONS = ['accept', 'set-stop-reading', 'attribute', 'exclude'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];
export const REVIEW_ACTION_LABELS: Record<ReviewAction, string> = {
  accept: 'Accept as is',
  'set-stop-reading': 'Set the stop reading from the meter samples',
  attribute: 'Attribute to an account',
  exclude: 'Exclude from billing',
};

const count = z.number().int().nonnegative();
const range = () => z.number().nonnegative().optional();

export const sessionFilterSchema = z
  .object({
    siteId: idSchema.optional(),
    stationId: idSchema.optional(),
    connectorNumber: z.number().int().min(0).max(99).optional(),
    transactionId: idSchema.optional(),
    /** The card's number (as the charger sent it) or label, anywhere in it. */
    card: filterText(),
    /** The card's number exactly as the charger sent it. */
    idTag: z.string().trim().max(40).optional(),
    /** The resident's name, anywhere in it. */
    resident: filterText(),
    accountId: idSchema.optional(),
    /** The lot or unit number, exactly. */
    lot: filterText(),
    /** Started at or after / before (UTC epoch ms). */
    from: z.number().int().optional(),
    to: z.number().int().optional(),
    minWh: range(),
    maxWh: range(),
    minDurationMs: range(),
    maxDurationMs: range(),
    minPowerW: range(),
    maxPowerW: range(),
    /** Occupied after charging stopped. */
    minIdleMs: range(),
    maxIdleMs: range(),
    stopReason: z.string().trim().max(40).optional(),
    status: z.enum(['active', 'completed']).optional(),
    flag: z.enum(SESSION_FLAG_FILTERS).optional(),
    /** The charger-side flag itself. */
    flagType: z.enum(['suspect', 'review']).optional(),
  })
  .strict();
export type SessionFilter = z.infer<typeof sessionFilterSchema>;

export const sessionSchema = z.object({
  /** Our OCPP transactionId. */
  id: z.number(),
  /** The charger's own id, for a transaction this server never issued. */
  chargerTransactionId: z.number().nullable(),
  siteId: z.number().nullable(),
  siteName: z.string().nullable(),
  /** The site's IANA zone: times are shown in it. */
  siteTimeZone: z.string().nullable(),
  stationId: z.number().nullable(),
  stationName: z.string().nullable(),
  identity: z.string(),
  connectorNumber: z.number(),
  idTag: z.string(),
  cardId: z.number().nullable(),
  cardLabel: z.string().nullable(),
  residentName: z.string().nullable(),
  /** The account billed (after any review's attribution). */
  accountId: z.number().nullable(),
  lotNumber: z.string().nullable(),
  unitNumber: z.string().nullable(),
  /** How the account was found: its card, a private or visitor bay, or a review. */
  attributedVia: z.enum(['card', 'private-bay', 'visitor-bay', 'review']).nullable(),
  free: z.boolean(),
  status: z.enum(['active', 'completed']),
  startedAt: z.number(),
  stoppedAt: z.number().nullable(),
  durationMs: z.number().nullable(),
  /** Occupied after charging stopped (docs/sessions.md), ms; null while not known. */
  idleMs: z.number().nullable(),
  meterStartWh: z.number(),
  /** The charger's stop reading (or the latest one while charging). */
  meterStopWh: z.number().nullable(),
  energyWh: z.number().nullable(),
  averagePowerW: z.number().nullable(),
  stopReason: z.string().nullable(),
  flag: z.enum(['suspect', 'review']).nullable(),
  flagReason: z.string().nullable(),
  flagKinds: z.array(z.enum(FLAG_KINDS)),
  /** open: flagged, waiting for a decision; resolved: decided (the flag stays, as history). */
  review: z.enum(['open', 'resolved']).nullable(),
  reviewAction: z.enum(REVIEW_ACTIONS).nullable(),
  excluded: z.boolean(),
  /** The stop reading a review set, Wh. */
  correctedStopWh: z.number().nullable(),
});
export type Session = z.infer<typeof sessionSchema>;

export const sessionReviewSchema = z.object({
  id: z.number(),
  action: z.enum(REVIEW_ACTIONS),
  reason: z.string(),
  flag: z.enum(['suspect', 'review']).nullable(),
  flagReason: z.string().nullable(),
  excluded: z.boolean(),
  meterStopWh: z.number().nullable(),
  stoppedAt: z.number().nullable(),
  accountId: z.number().nullable(),
  userName: z.string().nullable(),
  at: z.number(),
});

export const rawSampleSchema = z.object({
  id: z.number(),
  timestamp: z.number(),
  energyWh: z.number().nullable(),
  powerW: z.number().nullable(),
  /** The sampledValue array as the charger sent it (JSON text). */
  raw: z.string(),
});

export const sessionMethods = {
  'session-list': method({
    summary:
      'Charging sessions, filtered on any column, sorted, keyset paged. An EV user sees only their own account’s.',
    access: 'authenticated',
    audit: false,
    input: z
      .object({
        filter: sessionFilterSchema.default({}),
        sort: z.enum(SESSION_SORTS).default('started'),
        dir: z.enum(['asc', 'desc']).default('desc'),
        limit: z.number().int().min(1).max(500).default(50),
        /** The `next` of the previous page (same filter and sort). */
        after: z.string().max(200).optional(),
      })
      .strict(),
    output: z.object({
      ...pageOutput,
      /** Counting stopped (at 10,000 rows or after 10 ms): there are more than `total`. */
      totalCapped: z.boolean(),
      sessions: z.array(sessionSchema),
    }),
  }),
  'session-review-get': method({
    summary: 'A session for review: why it was flagged, its raw meter readings and every decision.',
    access: MANAGERS,
    audit: false,
    input: z.object({ id: idSchema }).strict(),
    output: z.object({
      session: sessionSchema,
      samples: z.array(rawSampleSchema),
      samplesTotal: count,
      reviews: z.array(sessionReviewSchema),
    }),
  }),
  'session-resolve': method({
    summary:
      'Resolves a flagged session: accept it, set its stop reading from a meter sample, attribute it to an account, or exclude it from billing. A reason is required.',
    access: MANAGERS,
    audit: true,
    input: z
      .object({
        id: idSchema,
        action: z.enum(REVIEW_ACTIONS),
        reason: requiredText(LIMITS.note),
        /** set-stop-reading: the meter sample whose register becomes the stop reading. */
        sampleId: idSchema.optional(),
        /** attribute: the account to bill. */
        accountId: idSchema.optional(),
      })
      .strict(),
    output: sessionSchema,
  }),
};
