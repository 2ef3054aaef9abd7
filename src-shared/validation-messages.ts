// The one place validation issues become words: the dispatcher uses it for every API answer and
// the UI for the checks it runs before sending (the same contract schemas), so a strata manager
// reads "Maximum current must be at most 90 A." and never zod's "Too big: expected number to be
// <=90". Each message is one sentence that names the field by its label on screen.
import type { z } from 'zod';
import type { ApiError, FieldError } from './api/result';

interface Label {
  label: string;
  /** Appended to numbers in messages (" A", " minutes"). */
  unit?: string;
}

/**
 * Labels by dotted path without list indexes ("admin.email") or by the last key ("email").
 * The full path wins; an unknown key falls back to its words ("retryIntervalSeconds" → "Retry
 * interval seconds"). Keep in step with the form labels.
 */
const LABELS: Record<string, Label> = {
  csv: { label: 'The CSV file' },
  'admin.name': { label: 'Your name' },
  'admin.email': { label: 'Email' },
  'admin.password': { label: 'Password' },
  'organisation.name': { label: 'Organisation name' },
  'organisation.email': { label: 'Organisation email' },
  'site.name': { label: 'Site name' },
  name: { label: 'Name' },
  email: { label: 'Email' },
  password: { label: 'Password' },
  currentPassword: { label: 'Current password' },
  newPassword: { label: 'New password' },
  abn: { label: 'ABN' },
  phone: { label: 'Phone' },
  address: { label: 'Address' },
  strataPlan: { label: 'Strata plan number' },
  timeZone: { label: 'Time zone' },
  latitude: { label: 'Latitude', unit: '°' },
  longitude: { label: 'Longitude', unit: '°' },
  level: { label: 'Level' },
  role: { label: 'Role' },
  siteIds: { label: 'Sites' },
  siteId: { label: 'Site' },
  floorId: { label: 'Floor' },
  stationId: { label: 'Station' },
  userId: { label: 'User' },
  identity: { label: 'Charge box id' },
  maxCurrentA: { label: 'Maximum current', unit: ' A' },
  phases: { label: 'Phases' },
  securityProfile: { label: 'Security profile' },
  connectorCount: { label: 'Number of outlets' },
  connectorNumber: { label: 'Outlet number' },
  type: { label: 'Type' },
  minutes: { label: 'Duration', unit: ' minutes' },
  hour: { label: 'Backup hour' },
  keep: { label: 'Backups to keep' },
  text: { label: 'Search text' },
  method: { label: 'Action' },
  from: { label: 'From' },
  to: { label: 'To' },
  limit: { label: 'Limit' },
  offset: { label: 'Offset' },
  idTag: { label: 'Card id (id tag)' },
  parentIdTag: { label: 'Parent card id' },
  label: { label: 'Label' },
  expiryDate: { label: 'Expiry date' },
  heartbeatIntervalSeconds: { label: 'Heartbeat interval', unit: ' seconds' },
  meterSampleIntervalSeconds: { label: 'Meter sample interval', unit: ' seconds' },
  offlineAfterSeconds: { label: 'Offline after', unit: ' seconds' },
  transactionSuspectMinutes: { label: 'Suspect session after', unit: ' minutes' },
  messageLogRetentionDays: { label: 'Message log retention', unit: ' days' },
  sampledMeasurands: { label: 'Measurands' },
  durationSeconds: { label: 'Duration', unit: ' seconds' },
  duration: { label: 'Schedule duration', unit: ' seconds' },
  startPeriod: { label: 'Period start', unit: ' seconds' },
  'chargingSchedulePeriod.limit': { label: 'Charging limit' },
  minChargingRate: { label: 'Minimum charging rate' },
  numberPhases: { label: 'Number of phases' },
  stackLevel: { label: 'Stack level' },
  chargingProfileId: { label: 'Profile id' },
  key: { label: 'Configuration key' },
  value: { label: 'Value' },
  vendorId: { label: 'Vendor id' },
  messageId: { label: 'Message id' },
  data: { label: 'Data' },
  fileName: { label: 'File name' },
  contentBase64: { label: 'File' },
  certPem: { label: 'Certificate' },
  keyPem: { label: 'Private key' },
  commonName: { label: 'Common name' },
  retries: { label: 'Retries' },
  retryIntervalSeconds: { label: 'Retry interval', unit: ' seconds' },
  token: { label: 'Session token' },
};

/** "chargingSchedulePeriod" → "Charging schedule period". */
function words(key: string): string {
  const spaced = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

export function labelOf(path: readonly PropertyKey[]): Label {
  const keys = path.filter((p): p is string => typeof p === 'string');
  for (let from = 0; from < keys.length; from++) {
    const hit = LABELS[keys.slice(from).join('.')];
    if (hit) return hit;
  }
  const last = keys[keys.length - 1];
  return last ? { label: words(last) } : { label: 'The input' };
}

const fmt = (n: number | bigint) =>
  typeof n === 'bigint' ? n.toString() : n.toLocaleString('en-AU', { maximumFractionDigits: 6 });

/** "1 minute", "30 minutes", "32 A". */
const amount = (n: number | bigint, unit: string) =>
  `${fmt(n)}${Number(n) === 1 && unit.endsWith('s') ? unit.slice(0, -1) : unit}`;

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'yes or no',
  array: 'a list',
  object: 'a group of fields',
};

/** A message written in a schema, as a sentence: capital first, full stop last. */
const sentence = (text: string) => {
  const t = text.trim();
  const capital = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?)]$/.test(capital) ? capital : `${capital}.`;
};

/** One issue as a sentence naming the field. `input` is what was parsed (to tell "missing"). */
export function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const { label, unit = '' } = labelOf(issue.path);
  switch (issue.code) {
    case 'invalid_type': {
      const got = valueAt(input, issue.path);
      // (NaN: what an emptied number box gives.)
      if (got === undefined || got === null || got === '' || Number.isNaN(got)) {
        return `${label} is required.`;
      }
      if (issue.expected === 'int') return `${label} must be a whole number.`;
      if (issue.expected === 'number') return `${label} must be a number.`;
      return `${label} must be ${TYPE_WORDS[issue.expected] ?? issue.expected}.`;
    }
    case 'too_small': {
      const n = issue.minimum;
      if (issue.origin === 'string') {
        return Number(n) <= 1
          ? `${label} is required.`
          : `${label} must be at least ${fmt(n)} characters long.`;
      }
      if (issue.origin === 'array' || issue.origin === 'set') {
        return `${label}: choose at least ${fmt(n)}.`;
      }
      return issue.inclusive === false
        ? `${label} must be more than ${amount(n, unit)}.`
        : `${label} must be at least ${amount(n, unit)}.`;
    }
    case 'too_big': {
      const n = issue.maximum;
      if (issue.origin === 'string') {
        // A limit this large is on a whole file pasted or uploaded as text, not a typed field.
        return Number(n) >= 100_000
          ? `${label} is too large: at most ${fmt(n)} characters. Split it into smaller files and import each.`
          : `${label} must be at most ${fmt(n)} characters long.`;
      }
      if (issue.origin === 'array' || issue.origin === 'set') {
        return `${label} can have at most ${fmt(n)} entries.`;
      }
      return issue.inclusive === false
        ? `${label} must be less than ${amount(n, unit)}.`
        : `${label} must be at most ${amount(n, unit)}.`;
    }
    case 'invalid_format':
      if (valueAt(input, issue.path) === '') return `${label} is required.`;
      if (issue.format === 'email')
        return `${label} is not a valid email address, e.g. name@example.com.`;
      // Patterns carry a sentence written for people (see src-shared/validation.ts).
      if (issue.format === 'regex' && !issue.message.startsWith('Invalid')) {
        return sentence(issue.message);
      }
      return `${label} is not in the expected format.`;
    case 'not_multiple_of':
      return issue.divisor === 0.1
        ? `${label} can have at most one digit after the decimal point (e.g. 7.5).`
        : `${label} must be a multiple of ${amount(issue.divisor, unit)}.`;
    case 'invalid_value':
      return issue.values.length <= 8
        ? `${label} must be one of: ${issue.values.map(String).join(', ')}.`
        : `${label} is not one of the allowed values.`;
    case 'unrecognized_keys':
      return `Unknown field${issue.keys.length === 1 ? '' : 's'}: ${issue.keys.join(', ')}.`;
    case 'custom':
      // Refinements carry a sentence written for people; a bare one gets a generic sentence.
      return issue.message && issue.message !== 'Invalid input'
        ? sentence(issue.message)
        : `${label} is not valid.`;
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
      return `${label} is not valid.`;
  }
}

/** Every issue of a failed parse as a field error (one per field: the first issue wins). */
export function fieldErrors(error: z.ZodError, input: unknown): FieldError[] {
  const seen = new Map<string, FieldError>();
  for (const issue of error.issues) {
    const path =
      issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
    const field = path.map(String).join('.');
    if (!seen.has(field)) seen.set(field, { field, message: describeIssue(issue, input) });
  }
  return [...seen.values()];
}

/** How many messages a `validation` error's summary repeats before "and N more". */
const SUMMARY_MAX = 6;

/** The `message` of a validation error: each field's sentence, up to a handful. */
export function summarise(fields: FieldError[]): string {
  if (fields.length === 0) return 'The input is not valid.';
  const shown = fields.slice(0, SUMMARY_MAX).map((f) => f.message);
  const more = fields.length - shown.length;
  return more > 0 ? `${shown.join(' ')} (and ${more} more)` : shown.join(' ');
}

/** The API's answer to input that fails a contract schema: every field, in words. */
export function validationError(error: z.ZodError, input: unknown): ApiError {
  const fields = fieldErrors(error, input);
  const [first] = fields;
  return {
    code: 'validation',
    message: summarise(fields),
    ...(first ? { field: first.field } : {}),
    fields,
  };
}
