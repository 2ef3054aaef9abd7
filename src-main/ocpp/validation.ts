// Schema validation for OCPP 1.6J, on top of ocpp-rpc's validator (the official OCA JSON schemas).
//
// Why not ocpp-rpc's `strictMode`: it validates both directions with the same rigour, so a charger
// that adds a vendor property or writes an enum in the wrong case gets a CALLERROR and its
// transaction is lost, and ocpp-rpc maps `enum`/`maxLength` failures to FormatViolation. We run it
// with strictMode off and validate here instead:
// - outbound (our calls and our answers): strict; a failure is our bug and is never sent;
// - inbound (the charger's calls and answers): harmless quirks (extra properties, wrong-case enum
//   values, timestamps without a zone) are repaired and logged; real malformations are answered
//   with the OCPP-J 1.6 CALLERROR code (OCPP-J 1.6 §4.2.3, spelling per the 1.6J errata §5).
import { createRequire } from 'node:module';
import { createRPCError, createValidator } from 'ocpp-rpc';

const require = createRequire(import.meta.url);
const schemas16 = require('ocpp-rpc/lib/schemas/ocpp1_6.json') as object[];

export const validator16 = createValidator('ocpp1.6', schemas16);

// ajv-formats 2.1.1's 'date-time' check splits the string and runs two regex exec()s per
// timestamp (~6 % of the server's allocations in the flood profile, docs/benchmarks.md round 4):
// replaced by one regex test() and digit arithmetic that accepts exactly the same strings
// (including its leniency: a time without a zone passes). Installed before any schema compiles
// (ajv compiles on first use). `_ajv` is ocpp-rpc 2.2.1's (pinned); without it, the original stays.
const DATE_TIME = /^\d{4}-\d\d-\d\d[t\s]\d\d:\d\d:\d\d(?:\.\d+)?(?:z|[+-]\d\d(?::?\d\d)?)?$/i;
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const two = (s: string, i: number) => (s.charCodeAt(i) - 48) * 10 + s.charCodeAt(i + 1) - 48;
export function isDateTime(s: string): boolean {
  if (!DATE_TIME.test(s)) return false;
  const year = two(s, 0) * 100 + two(s, 2);
  const month = two(s, 5);
  const day = two(s, 8);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (month < 1 || month > 12 || day < 1 || day > (month === 2 && leap ? 29 : (DAYS[month] ?? 0)))
    return false;
  const hour = two(s, 11);
  const minute = two(s, 14);
  const second = two(s, 17);
  return (
    (hour <= 23 && minute <= 59 && second <= 59) || (hour === 23 && minute === 59 && second === 60)
  );
}
const ajv = (validator16 as unknown as { _ajv?: { addFormat(name: string, f: unknown): void } })
  ._ajv;
ajv?.addFormat('date-time', { validate: isDateTime });

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
  schema?: unknown;
}

export class OcppValidationError extends Error {
  constructor(
    readonly rpcErrorCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'OcppValidationError';
  }
  toRpcError() {
    return createRPCError(this.rpcErrorCode, this.message);
  }
}

// Compiled validators by schema id: ocpp-rpc's validate() looks the schema up in ajv by id on
// every call (id normalisation and environment lookup: ~1 % of the server's CPU per message).
type CompiledSchema = ((value: unknown) => boolean) & { errors?: AjvError[] | null };
const ajvLookup = (validator16 as unknown as { _ajv?: { getSchema(id: string): unknown } })._ajv;
const compiled = new Map<string, CompiledSchema | null>();

function firstErrors(schemaId: string, value: unknown): AjvError[] | null {
  let validate = compiled.get(schemaId);
  if (validate === undefined) {
    validate = (ajvLookup?.getSchema(schemaId) as CompiledSchema | undefined) ?? null;
    compiled.set(schemaId, validate);
  }
  if (validate !== null) {
    if (validate(value)) return null;
    if (validate.errors?.length) return validate.errors;
  }
  // Without ajv's lookup (another ocpp-rpc version) or for a missing schema: ocpp-rpc's way.
  try {
    validator16.validate(schemaId, value);
    return null;
  } catch (e) {
    const details = (e as { details?: { errors?: AjvError[] } }).details;
    if (details?.errors?.length) return details.errors;
    // A missing schema means an unknown action: callers handle that before validating.
    throw e;
  }
}

/** OCPP-J 1.6 error code for a schema violation. */
export function errorCodeFor(error: AjvError): string {
  if (error.instancePath === '' && error.keyword === 'type') return 'FormationViolation';
  switch (error.keyword) {
    case 'type':
      return 'TypeConstraintViolation';
    case 'required':
      return 'OccurrenceConstraintViolation';
    case 'enum':
    case 'maxLength':
    case 'minLength':
    case 'pattern':
    case 'minimum':
    case 'maximum':
    case 'format':
    case 'additionalProperties':
      return 'PropertyConstraintViolation';
    default:
      return 'FormationViolation';
  }
}

const describe = (e: AjvError) => `${e.instancePath || '(payload)'} ${e.message ?? e.keyword}`;

/** Strict: throws OcppValidationError (our own bug when it happens). */
export function validateOutbound(schemaId: string, value: unknown): void {
  const errors = firstErrors(schemaId, value);
  const first = errors?.[0];
  if (first) throw new OcppValidationError(errorCodeFor(first), `${schemaId}: ${describe(first)}`);
}

function pointerParts(path: string): string[] {
  return path
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function getAt(root: unknown, parts: string[]): unknown {
  let cur: unknown = root;
  for (const p of parts) {
    if (cur == null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function setAt(root: unknown, parts: string[], value: unknown): boolean {
  const parent = getAt(root, parts.slice(0, -1));
  const last = parts[parts.length - 1];
  if (parent == null || typeof parent !== 'object' || last === undefined) return false;
  (parent as Record<string, unknown>)[last] = value;
  return true;
}

/**
 * Lenient inbound validation. Returns the (possibly repaired) value and the quirks repaired;
 * throws OcppValidationError for a real malformation.
 */
const NO_QUIRKS: readonly string[] = Object.freeze([]);

export function validateInbound(
  schemaId: string,
  value: unknown,
): { value: unknown; quirks: readonly string[] } {
  try {
    return validateLeniently(schemaId, value);
  } catch (e) {
    // The validator and structuredClone recurse per nesting level: a payload nested thousands
    // deep (normally refused before parsing, inbound.ts) is a malformed PDU, not our error.
    if (e instanceof RangeError)
      throw new OcppValidationError('FormationViolation', `${schemaId}: nested too deeply`);
    throw e;
  }
}

function validateLeniently(
  schemaId: string,
  value: unknown,
): { value: unknown; quirks: readonly string[] } {
  // The common case, a valid payload: no quirks array of its own (one shared empty one).
  if (!firstErrors(schemaId, value)) return { value, quirks: NO_QUIRKS };
  const quirks: string[] = [];
  let current = value;
  let cloned = false;
  for (let attempt = 0; attempt < 50; attempt++) {
    const errors = firstErrors(schemaId, current);
    if (!errors) return { value: current, quirks };
    const error = errors[0];
    if (!error) break;
    if (!cloned) {
      current = structuredClone(current);
      cloned = true;
    }
    const parts = pointerParts(error.instancePath);
    const repaired = repair(current, parts, error, quirks);
    if (!repaired)
      throw new OcppValidationError(errorCodeFor(error), `${schemaId}: ${describe(error)}`);
  }
  throw new OcppValidationError('FormationViolation', `${schemaId}: too many problems`);
}

function repair(root: unknown, parts: string[], error: AjvError, quirks: string[]): boolean {
  switch (error.keyword) {
    case 'additionalProperties': {
      // Vendor extensions in the payload: harmless, ignored (and logged).
      const extra = error.params.additionalProperty;
      const obj = getAt(root, parts);
      if (typeof extra !== 'string' || obj == null || typeof obj !== 'object') return false;
      delete (obj as Record<string, unknown>)[extra];
      quirks.push(`extra property ${error.instancePath}/${extra} ignored`);
      return true;
    }
    case 'enum': {
      // e.g. "charging" for "Charging", "kwh" for "kWh": some firmwares lower-case enums.
      const actual = getAt(root, parts);
      const allowed = error.params.allowedValues;
      if (typeof actual !== 'string' || !Array.isArray(allowed)) return false;
      const match = allowed.find(
        (a): a is string => typeof a === 'string' && a.toLowerCase() === actual.toLowerCase(),
      );
      if (!match || match === actual) return false;
      setAt(root, parts, match);
      quirks.push(`${error.instancePath}: "${actual}" read as "${match}"`);
      return true;
    }
    case 'format': {
      // Timestamps without a zone ("2026-03-02T09:00:00") are read as UTC, as most such
      // firmwares mean it; anything Date.parse cannot read stays an error.
      const actual = getAt(root, parts);
      if (error.params.format !== 'date-time' || typeof actual !== 'string') return false;
      const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(actual) ? actual : `${actual}Z`);
      if (!Number.isFinite(t)) return false;
      const iso = new Date(t).toISOString();
      if (iso === actual) return false;
      setAt(root, parts, iso);
      quirks.push(`${error.instancePath}: timestamp "${actual}" read as ${iso}`);
      return true;
    }
    case 'type': {
      // Numbers sent as numeric strings ("meterStart": "1234") — common on older firmwares.
      const actual = getAt(root, parts);
      const wanted = error.params.type;
      if (
        typeof actual === 'string' &&
        (wanted === 'integer' || wanted === 'number') &&
        /^-?\d+(\.\d+)?$/.test(actual.trim())
      ) {
        const n = Number(actual);
        if (wanted === 'integer' && !Number.isInteger(n)) return false;
        setAt(root, parts, n);
        quirks.push(`${error.instancePath}: numeric string "${actual}" read as a number`);
        return true;
      }
      return false;
    }
    default:
      return false;
  }
}
