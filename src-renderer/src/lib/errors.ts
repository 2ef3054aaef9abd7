// What to tell people about an API error: the core's message, plus how to fix it where the code
// alone says enough ("the charger is offline" → check its cable and power); and how a form shows a
// `validation` error: every invalid field marked at once (`error.fields`), not one per submit.
import type { ApiError, ErrorCode, FieldError } from '../../../src-shared/api/result';

const HINTS: Partial<Record<ErrorCode, string>> = {
  'charger-offline':
    'The charger is offline — check its network cable and power; it will appear here when it reconnects.',
  'charger-rejected':
    'The charger refused the request. Check its current state (e.g. a session in progress) and try again.',
  timeout:
    'The charger did not answer in time. It may be busy or on a poor connection; try again in a minute.',
  unavailable: 'The StrataCharge service cannot be reached. Check that it is running.',
  forbidden: 'Your role does not allow this. Ask an administrator.',
  internal: 'Something went wrong inside StrataCharge. The details are in the service log.',
};

export function describeError(error: ApiError): string {
  const hint = HINTS[error.code];
  if (!hint) return error.message;
  if (!error.message || error.message === hint) return hint;
  // Avoid repeating: show the core's message first, then the fix.
  return error.code === 'charger-offline' ? hint : `${error.message} ${hint}`;
}

/** Every field of a `validation` error (older answers carry only `field`). */
export function fieldErrorsOf(error: ApiError): FieldError[] {
  if (error.code !== 'validation') return [];
  if (error.fields && error.fields.length > 0) return error.fields;
  return error.field ? [{ field: error.field, message: error.message }] : [];
}

/** The part of a Mantine form these helpers need (any `useForm` result fits). */
export interface FieldErrorTarget {
  setErrors(errors: Record<string, string>): void;
  getValues(): unknown;
}

function hasPath(values: unknown, path: string): boolean {
  let v: unknown = values;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object' || !(key in v)) return false;
    v = (v as Record<string, unknown>)[key];
  }
  return true;
}

/**
 * Marks every field of a validation error on the form at once. `prefix` maps API paths onto the
 * form's ("site.name" → "name" with prefix "site"); `rename` maps API names the form calls
 * otherwise. Returns true when every field was shown on the form; false when some have no input
 * there (the caller then shows the whole message, e.g. as a notification).
 */
export function applyFieldErrors(
  form: FieldErrorTarget,
  error: ApiError,
  options: { prefix?: string; rename?: Record<string, string> } = {},
): boolean {
  const fields = fieldErrorsOf(error);
  if (fields.length === 0) return false;
  const values = form.getValues();
  const errors: Record<string, string> = {};
  let placedAll = true;
  for (const { field, message } of fields) {
    let path = options.rename?.[field] ?? field;
    if (options.prefix && path.startsWith(`${options.prefix}.`)) {
      path = path.slice(options.prefix.length + 1);
    }
    // A list entry ("siteIds.3") is shown on the list's input.
    const segments = path.split('.');
    while (segments.length > 1 && !hasPath(values, segments.join('.'))) segments.pop();
    const target = segments.join('.');
    if (hasPath(values, target)) errors[target] ??= message;
    else placedAll = false;
  }
  form.setErrors(errors);
  return placedAll;
}

/** A runAction `onError` that marks the form's fields; unplaced errors become a notification. */
export const onFormError =
  (form: FieldErrorTarget, options?: Parameters<typeof applyFieldErrors>[2]) =>
  (error: ApiError): boolean =>
    applyFieldErrors(form, error, options);

/** The API's (first) dotted `error.field`, with an optional prefix stripped; prefer applyFieldErrors. */
export function fieldPath(error: ApiError, stripPrefix?: string): string | null {
  if (error.code !== 'validation' || !error.field) return null;
  if (stripPrefix && error.field.startsWith(stripPrefix + '.'))
    return error.field.slice(stripPrefix.length + 1);
  return error.field;
}

/** The message for the first field (older answers prefixed it with "path: "). */
export function fieldMessage(error: { field?: string; message: string; fields?: FieldError[] }) {
  const first = error.fields?.find((f) => f.field === error.field);
  if (first) return first.message;
  const prefix = error.field ? `${error.field}: ` : '';
  return prefix && error.message.startsWith(prefix)
    ? error.message.slice(prefix.length)
    : error.message;
}
