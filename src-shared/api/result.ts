// Errors cross every boundary (core → transport → UI) as plain data with a stable code.
// The internal cause of an error goes to the log, never to the caller.

export const ERROR_CODES = [
  'validation', // input failed the method's schema; `fields` lists every offending path
  'unauthenticated', // no session, or it expired
  'forbidden', // the caller's role may not call this method / touch this record
  'not-found',
  'conflict', // uniqueness, or a node with children that cannot be deleted yet
  'throttled', // too many failed logins; `retryAfterSeconds` says when to try again
  'setup-required', // first-run setup has not been completed
  'setup-done', // first-run setup was already completed
  'unknown-method',
  'charger-offline',
  'charger-rejected',
  'timeout',
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** One invalid input field: its dotted path ("organisation.abn") and what is wrong, in words. */
export interface FieldError {
  field: string;
  message: string;
}

export interface ApiError {
  code: ErrorCode;
  /** For `validation`: every field's message, one sentence each. */
  message: string;
  /** Dotted path of the (first) input field at fault, for `validation` errors. */
  field?: string;
  /**
   * Every invalid field of a `validation` error, so a form marks them all at once (one round
   * trip per mistake otherwise). `field` and `message` repeat the first for older callers.
   */
  fields?: FieldError[];
  retryAfterSeconds?: number;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const err = (
  code: ErrorCode,
  message: string,
  extra?: Omit<ApiError, 'code' | 'message'>,
): { ok: false; error: ApiError } => ({ ok: false, error: { code, message, ...extra } });

/**
 * Thrown inside the core to abort a handler with a user-facing error; the dispatcher turns it
 * into a `Result`. Anything else that is thrown becomes `internal` and is logged.
 */
export class ApiFailure extends Error {
  readonly error: ApiError;
  constructor(code: ErrorCode, message: string, extra?: Omit<ApiError, 'code' | 'message'>) {
    super(message);
    this.name = 'ApiFailure';
    const fields =
      extra?.fields ?? (extra?.field !== undefined ? [{ field: extra.field, message }] : undefined);
    this.error = { code, message, ...extra, ...(fields ? { fields } : {}) };
  }
}

/** A `validation` failure for one or more fields (the first also fills `field`). */
export function fieldFailure(fields: FieldError[]): ApiFailure {
  const [first] = fields;
  return new ApiFailure('validation', fields.map((f) => f.message).join(' '), {
    ...(first ? { field: first.field } : {}),
    fields,
  });
}
