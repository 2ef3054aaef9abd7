// Field rules shared by the API contract (src-shared/api/methods) and the UI forms.
//
// Every string and list in an API input has an upper bound (test/unit/contract-limits.test.ts walks
// the contract and fails on one without): an unbounded field let a 5 MB name close the API socket
// and a 3 MB audit filter reach SQLite as a LIKE pattern. Build string fields from the helpers
// here, so the bound is never forgotten. Messages are written by src-shared/validation-messages.ts
// from the issue and the field's label, so schemas here carry none, except for rules only a
// sentence can explain (ABN checksum, time zone, charge box id characters).
import { z } from 'zod';

/** Upper bounds for text fields, in characters. */
export const LIMITS = {
  /** Names of people, companies, buildings, floors, stations. */
  name: 200,
  /** RFC 5321: the longest usable address. */
  email: 254,
  phone: 40,
  address: 500,
  /** Free-text notes and labels. */
  note: 2000,
  /** Search and filter boxes. */
  filter: 200,
  /** Passwords typed by people (login, change). */
  password: 256,
  /** Session tokens, file names and other identifiers the server handed out. */
  token: 200,
  fileName: 255,
  /** Lists of ids (sites of a user, ...). */
  list: 1000,
} as const;

/** A required text field: trimmed, not empty, at most `max` characters. */
export const requiredText = (max: number) => z.string().trim().min(1).max(max);

/** A text field that may be left empty: trimmed; '' and null/undefined become null. */
export const optionalText = (max: number = LIMITS.address) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v === '' || v == null ? null : v));

/** An optional field with its own rules (ABN, email): a blank value means "none", as in a form. */
export const blankAsNull = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v), schema.nullish());

/** A search box: trimmed, bounded, optional. */
export const filterText = () => z.string().trim().max(LIMITS.filter).optional();

/** ABN checksum (ATO): subtract 1 from the first digit, weight, sum, divisible by 89. */
export function isValidAbn(value: string): boolean {
  const digits = value.replace(/\s+/g, '');
  if (!/^\d{11}$/.test(digits)) return false;
  const weights = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];
  const sum = digits
    .split('')
    .map(Number)
    .reduce((acc, d, i) => acc + (i === 0 ? d - 1 : d) * (weights[i] ?? 0), 0);
  return sum % 89 === 0;
}

export const abnSchema = z
  .string()
  .trim()
  .max(40)
  .transform((v) => v.replace(/\s+/g, ''))
  .refine(
    isValidAbn,
    'The ABN is not valid: it has 11 digits and must pass the ATO checksum, e.g. 51 824 753 556.',
  );

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-AU', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z
  .string()
  .max(64)
  .refine(
    isValidTimeZone,
    'The time zone is not known: choose one from the list, e.g. Australia/Sydney.',
  );

/** The browser's own time zone when it is a valid IANA name (a first site's default). */
export function browserTimeZone(fallback: string): string {
  try {
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return tz && isValidTimeZone(tz) ? tz : fallback;
  } catch {
    return fallback;
  }
}

/**
 * Strata plan numbers are stored as the number alone ("99999") and shown with the prefix once
 * (strataPlanLabel). People type "SP 99999", "sp99999", "SP-99999", "Strata Plan 99999" or just
 * "99999": all are the same plan. Storing the prefix gave "SP SP 99999" on screen.
 */
const STRATA_PREFIX = /^\s*(?:strata\s*plan|sp)\s*(?:no\.?|number)?\s*[-#:.]?\s*/i;
export function normaliseStrataPlan(value: string): string {
  return value.replace(STRATA_PREFIX, '').replace(/\s+/g, '').toUpperCase();
}
export const strataPlanSchema = z
  .string()
  .trim()
  .max(40)
  .nullish()
  .transform((v) => (v == null ? null : normaliseStrataPlan(v) || null))
  .refine(
    (v) => v === null || /^\d{1,8}[A-Z]?$/.test(v),
    'The strata plan number is not valid: type the number, e.g. SP 12345 or 12345.',
  );
/** "SP 12345" for display; tolerates values stored with the prefix before it was normalised. */
export const strataPlanLabel = (stored: string | null | undefined): string | null =>
  stored ? `SP ${normaliseStrataPlan(stored)}` : null;

export const nameSchema = requiredText(LIMITS.name);

export const emailSchema = z.string().trim().max(LIMITS.email).toLowerCase().pipe(z.email());

/** At least 10 characters: long passphrases beat composition rules (NIST SP 800-63B). */
export const newPasswordSchema = z.string().min(10).max(LIMITS.password);

export const idSchema = z.number().int().positive();

/**
 * OCPP 1.6 decimals with one digit after the point (ChargingSchedulePeriod.limit,
 * minChargingRate: `multipleOf 0.1` in the OCPP JSON schema). A second digit was accepted here and
 * then refused by the outbound schema check with a raw message.
 */
export const oneDecimal = z
  .number()
  .refine(
    (v) => Math.abs(v * 10 - Math.round(v * 10)) < 1e-9,
    'Use at most one digit after the decimal point (e.g. 7.5): OCPP chargers accept no more.',
  );

/** OCPP 1.6 CiString20Type for chargeBoxId in practice; path-safe characters only. */
export const chargerIdentitySchema = z
  .string()
  .trim()
  .min(1)
  .max(48)
  .regex(
    /^[A-Za-z0-9._:\-*]+$/,
    'The charge box id may contain only letters, digits and . _ - : * (it is part of the charger’s web address).',
  );
