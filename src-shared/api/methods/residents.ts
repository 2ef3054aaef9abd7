// Residents methods: billing accounts per lot, residents, bays, RFID cards (issue, replace,
// block, learn mode, recent unknown cards) and the EV user's own view. Accounts are billing
// data: administrators and site administrators (support operates chargers, not billing).
import { z } from 'zod';
import { method } from '../define';
import {
  LIMITS,
  emailSchema,
  idSchema,
  optionalText,
  requiredText,
  blankAsNull,
} from '../../validation';
import { ID_TAG_MAX } from '../../card-number';
import type { Role } from '../../roles';

const MANAGERS = ['admin', 'site_admin'] as const satisfies readonly Role[];
const done = z.object({ ok: z.literal(true) });
const time = z.number().int().nonnegative();

const referenceText = () => optionalText(40);

export const accountFieldsSchema = z.object({
  lotNumber: requiredText(20),
  unitNumber: optionalText(20),
  ownerNames: requiredText(LIMITS.name),
  postalAddress: optionalText(LIMITS.address),
  invoiceEmails: z.array(emailSchema).max(10).default([]),
  accountCode: optionalText(20),
  bpayReference: referenceText(),
  deftReference: referenceText(),
  strataPayReference: referenceText(),
  notes: optionalText(LIMITS.note),
});

export const accountSchema = z.object({
  id: z.number(),
  siteId: z.number(),
  lotNumber: z.string(),
  unitNumber: z.string().nullable(),
  ownerNames: z.string(),
  postalAddress: z.string().nullable(),
  invoiceEmails: z.array(z.string()),
  accountCode: z.string().nullable(),
  bpayReference: z.string().nullable(),
  deftReference: z.string().nullable(),
  strataPayReference: z.string().nullable(),
  notes: z.string().nullable(),
  openedAt: z.number(),
  closedAt: z.number().nullable(),
  /** Open now (opened, not closed). */
  open: z.boolean(),
});
export type Account = z.infer<typeof accountSchema>;

export const accountSummarySchema = accountSchema.extend({
  residents: z.number(),
  cards: z.number(),
});

export const residentFieldsSchema = z.object({
  firstName: requiredText(LIMITS.name),
  lastName: requiredText(LIMITS.name),
  email: blankAsNull(emailSchema).transform((v) => v ?? null),
  phone: optionalText(LIMITS.phone),
});

export const residentSchema = z.object({
  id: z.number(),
  accountId: z.number(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  /** The resident's EV-user login, if any. */
  userId: z.number().nullable(),
});
export type Resident = z.infer<typeof residentSchema>;

export const cardStatusSchema = z.enum(['active', 'blocked', 'expired', 'replaced']);
export type CardStatus = z.infer<typeof cardStatusSchema>;

export const cardSchema = z.object({
  id: z.number(),
  siteId: z.number(),
  idTag: z.string(),
  printed: z.string().nullable(),
  label: z.string().nullable(),
  accountId: z.number(),
  residentId: z.number().nullable(),
  status: cardStatusSchema,
  expiresAt: z.number().nullable(),
  replacedById: z.number().nullable(),
  createdAt: z.number(),
});
export type Card = z.infer<typeof cardSchema>;

export const bayKindSchema = z.enum(['private', 'shared', 'visitor']);
export const baySchema = z.object({
  connectorId: z.number(),
  stationId: z.number(),
  stationName: z.string(),
  connectorNumber: z.number(),
  kind: bayKindSchema,
  accountId: z.number().nullable(),
  label: z.string().nullable(),
});
export type Bay = z.infer<typeof baySchema>;

export const cardFormSchema = z.object({
  encoding: z.enum(['hex', 'decimal']),
  reversed: z.boolean(),
  lowercase: z.boolean(),
  width: z.number().int().min(1).max(ID_TAG_MAX).nullable(),
});

export const accountSessionSchema = z.object({
  id: z.number(),
  accountId: z.number().nullable(),
  cardId: z.number().nullable(),
  idTag: z.string(),
  stationId: z.number().nullable(),
  connectorNumber: z.number(),
  status: z.string(),
  startedAt: z.number(),
  stoppedAt: z.number().nullable(),
  energyWh: z.number().nullable(),
  free: z.boolean(),
});
export type AccountSession = z.infer<typeof accountSessionSchema>;

/** A card number as printed or read (decimal or hex, separators allowed). */
const cardNumber = z.string().trim().min(1).max(60);

export const residentsMethods = {
  'account-list': method({
    summary: 'The billing accounts of a site (one per lot and owner), filterable.',
    access: MANAGERS,
    audit: false,
    input: z
      .object({
        siteId: idSchema,
        text: z.string().trim().max(LIMITS.filter).optional(),
        status: z.enum(['open', 'closed']).optional(),
      })
      .strict(),
    output: z.array(accountSummarySchema),
  }),
  'account-get': method({
    summary: 'An account with its residents, cards and bays.',
    access: MANAGERS,
    audit: false,
    input: z.object({ id: idSchema }).strict(),
    output: z.object({
      account: accountSchema,
      residents: z.array(residentSchema),
      cards: z.array(cardSchema),
      bays: z.array(baySchema),
    }),
  }),
  'account-create': method({
    summary: 'Opens a billing account for a lot.',
    access: MANAGERS,
    audit: true,
    input: accountFieldsSchema.extend({ siteId: idSchema, openedAt: time.optional() }).strict(),
    output: accountSchema,
  }),
  'account-update': method({
    summary: 'Changes an account’s details.',
    access: MANAGERS,
    audit: true,
    input: accountFieldsSchema.partial().extend({ id: idSchema }).strict(),
    output: accountSchema,
  }),
  'account-close': method({
    summary: 'Closes an account on a date: its cards stop working from then.',
    access: MANAGERS,
    audit: true,
    input: z.object({ id: idSchema, closedAt: time }).strict(),
    output: accountSchema,
  }),
  'account-change-owner': method({
    summary:
      'A lot changed hands: closes its account on the date and opens the new owner’s from it.',
    access: MANAGERS,
    audit: true,
    input: accountFieldsSchema
      .omit({ lotNumber: true })
      .extend({ id: idSchema, at: time })
      .strict(),
    output: z.object({ closed: accountSchema, opened: accountSchema }),
  }),
  'account-sessions': method({
    summary: 'The charging sessions that belong to an account, newest first.',
    access: MANAGERS,
    audit: false,
    input: z
      .object({ id: idSchema, limit: z.number().int().min(1).max(1000).default(200) })
      .strict(),
    output: z.array(accountSessionSchema),
  }),
  'resident-create': method({
    summary: 'Adds a resident to an account.',
    access: MANAGERS,
    audit: true,
    input: residentFieldsSchema.extend({ accountId: idSchema }).strict(),
    output: residentSchema,
  }),
  'resident-update': method({
    summary: 'Changes a resident’s details.',
    access: MANAGERS,
    audit: true,
    input: residentFieldsSchema.partial().extend({ id: idSchema }).strict(),
    output: residentSchema,
  }),
  'resident-delete': method({
    summary: 'Removes a resident (their cards stay with the account).',
    access: MANAGERS,
    audit: true,
    input: z.object({ id: idSchema }).strict(),
    output: done,
  }),
  'resident-login-set': method({
    summary: 'Gives a resident an EV-user login (an existing EV user) or takes it away (null).',
    access: MANAGERS,
    audit: true,
    input: z.object({ id: idSchema, userId: idSchema.nullable() }).strict(),
    output: residentSchema,
  }),
  'bay-list': method({
    summary: 'Every connector of a site and what it is for (private, shared, visitor).',
    access: MANAGERS,
    audit: false,
    input: z.object({ siteId: idSchema }).strict(),
    output: z.array(baySchema),
  }),
  'bay-set': method({
    summary: 'Makes a connector a private bay of an account, a shared bay or a visitor bay.',
    access: MANAGERS,
    audit: true,
    input: z
      .object({
        connectorId: idSchema,
        kind: bayKindSchema,
        accountId: idSchema.nullish(),
        label: optionalText(120),
      })
      .strict(),
    output: done,
  }),
  'card-list': method({
    summary: 'The RFID cards of a site, or of one account.',
    access: MANAGERS,
    audit: false,
    input: z.object({ siteId: idSchema, accountId: idSchema.optional() }).strict(),
    output: z.array(cardSchema),
  }),
  'card-number-check': method({
    summary: 'What the site’s chargers will send for a card number, or why it is not one.',
    access: MANAGERS,
    audit: false,
    input: z.object({ siteId: idSchema, number: cardNumber }).strict(),
    output: z.object({
      idTag: z.string().nullable(),
      problem: z.string().nullable(),
      issuedTo: z.number().nullable(),
    }),
  }),
  'card-issue': method({
    summary: 'Issues a card to an account (and optionally one of its residents).',
    access: MANAGERS,
    audit: true,
    input: z
      .object({
        siteId: idSchema,
        accountId: idSchema,
        number: cardNumber,
        label: optionalText(120),
        residentId: idSchema.nullish(),
        expiresAt: time.nullish(),
      })
      .strict(),
    output: cardSchema,
  }),
  'card-replace': method({
    summary: 'Replaces a lost or broken card: the old one is refused at once.',
    access: MANAGERS,
    audit: true,
    input: z.object({ id: idSchema, number: cardNumber }).strict(),
    output: cardSchema,
  }),
  'card-update': method({
    summary: 'Changes a card’s label or resident.',
    access: MANAGERS,
    audit: true,
    input: z
      .object({ id: idSchema, label: optionalText(120), residentId: idSchema.nullish() })
      .strict(),
    output: cardSchema,
  }),
  'card-block': method({
    summary: 'Blocks a card: refused from now on.',
    access: MANAGERS,
    audit: true,
    input: z.object({ id: idSchema }).strict(),
    output: cardSchema,
  }),
  'card-unblock': method({
    summary: 'Lets a blocked card charge again.',
    access: MANAGERS,
    audit: true,
    input: z.object({ id: idSchema }).strict(),
    output: cardSchema,
  }),
  'card-expire': method({
    summary: 'Sets (or clears, null) the date a card stops working.',
    access: MANAGERS,
    audit: true,
    input: z.object({ id: idSchema, expiresAt: time.nullable() }).strict(),
    output: cardSchema,
  }),
  'card-delete': method({
    summary: 'Deletes a card that never charged (block one that has).',
    access: MANAGERS,
    audit: true,
    input: z.object({ id: idSchema }).strict(),
    output: done,
  }),
  'card-learn-start': method({
    summary:
      'Learn mode: the next card tapped on one of the site’s chargers is captured and teaches the site its card-number form.',
    access: MANAGERS,
    audit: true,
    input: z
      .object({
        siteId: idSchema,
        /** The number printed on the card about to be tapped (tells the byte order apart). */
        printed: blankAsNull(cardNumber).transform((v) => v ?? null),
        seconds: z.number().int().min(10).max(600).default(120),
      })
      .strict(),
    output: done,
  }),
  'card-learn-stop': method({
    summary: 'Ends learn mode.',
    access: MANAGERS,
    audit: true,
    input: z.object({ siteId: idSchema }).strict(),
    output: done,
  }),
  'card-learn-status': method({
    summary: 'Whether the site is learning, the card captured and the site’s card-number form.',
    access: MANAGERS,
    audit: false,
    input: z.object({ siteId: idSchema }).strict(),
    output: z.object({
      learning: z.boolean(),
      until: z.number().nullable(),
      idTag: z.string().nullable(),
      at: z.number().nullable(),
      stationId: z.number().nullable(),
      form: cardFormSchema.nullable(),
      formText: z.string(),
    }),
  }),
  'card-unknown-list': method({
    summary: 'Cards presented at the site’s chargers in the last 30 days that match no card.',
    access: MANAGERS,
    audit: false,
    input: z.object({ siteId: idSchema }).strict(),
    output: z.array(
      z.object({
        idTag: z.string(),
        stationId: z.number().nullable(),
        count: z.number(),
        firstAt: z.number(),
        lastAt: z.number(),
      }),
    ),
  }),
  'station-local-list-status': method({
    summary:
      'The charger’s local card list: version, when last synced, its last answer, and whether it supports one.',
    access: ['admin', 'site_admin', 'support'],
    audit: false,
    input: z.object({ stationId: idSchema }).strict(),
    output: z.object({
      supported: z.boolean(),
      version: z.number().nullable(),
      syncedAt: z.number().nullable(),
      result: z.string().nullable(),
      entries: z.number().nullable(),
      /** Cards and id tags allowed on this charger now. */
      wanted: z.number().nullable(),
      /** How many of them do not fit its list (LocalAuthListMaxLength): online only. */
      omitted: z.number(),
      /** The most entries the charger holds, as it reported (null: not reported). */
      capacity: z.number().nullable(),
    }),
  }),
  'residents-import': method({
    summary:
      'Checks a CSV of accounts, residents and cards (preview), then imports it: all rows when clean, or only the good rows.',
    access: MANAGERS,
    audit: true,
    input: z
      .object({
        siteId: idSchema,
        csv: z.string().max(5_000_000),
        mode: z.enum(['preview', 'all', 'good-rows']),
      })
      .strict(),
    output: z.object({
      rows: z.number(),
      problems: z.array(
        z.object({ row: z.number(), column: z.string().nullable(), reason: z.string() }),
      ),
      written: z
        .object({ accounts: z.number(), residents: z.number(), cards: z.number() })
        .nullable(),
    }),
  }),
  'residents-import-template': method({
    summary: 'The CSV template for the residents import, with one example row.',
    access: MANAGERS,
    audit: false,
    input: z.object({}).strict(),
    output: z.object({ fileName: z.string(), csv: z.string() }),
  }),
  'my-account-get': method({
    summary: 'An EV user’s own account(s): cards and charging sessions.',
    access: ['ev_user'],
    audit: false,
    input: z.object({}).strict(),
    output: z.object({
      accounts: z.array(
        z.object({
          id: z.number(),
          siteId: z.number(),
          lotNumber: z.string(),
          unitNumber: z.string().nullable(),
          ownerNames: z.string(),
        }),
      ),
      cards: z.array(cardSchema),
      sessions: z.array(accountSessionSchema),
    }),
  }),
};
