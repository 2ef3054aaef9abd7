import { z } from 'zod';

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
  .transform((v) => v.replace(/\s+/g, ''))
  .refine(isValidAbn, 'Not a valid ABN: 11 digits with a valid checksum, e.g. 51 824 753 556');

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
  .refine(isValidTimeZone, 'Unknown time zone: use an IANA name such as Australia/Sydney');

export const nameSchema = z.string().trim().min(1, 'Required').max(120, 'At most 120 characters');
export const optionalText = (max = 500) =>
  z
    .string()
    .trim()
    .max(max, `At most ${max} characters`)
    .nullish()
    .transform((v) => (v === '' || v == null ? null : v));

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('Not a valid email address'));

/** At least 10 characters: long passphrases beat composition rules (NIST SP 800-63B). */
export const newPasswordSchema = z
  .string()
  .min(10, 'Use at least 10 characters')
  .max(256, 'At most 256 characters');

export const idSchema = z.number().int().positive();

/** OCPP 1.6 CiString20Type for chargeBoxId in practice; path-safe characters only. */
export const chargerIdentitySchema = z
  .string()
  .trim()
  .min(1, 'Required')
  .max(48, 'At most 48 characters')
  .regex(/^[A-Za-z0-9._:\-*]+$/, 'Letters, digits and . _ - : * only (it is part of a URL)');
