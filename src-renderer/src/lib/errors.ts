// What to tell people about an API error: the core's message, plus how to fix it where the code
// alone says enough ("the charger is offline" → check its cable and power).
import type { ApiError, ErrorCode } from '../../../src-shared/api/result';

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

/** Maps the API's dotted `error.field` onto a form path with an optional prefix to strip. */
export function fieldPath(error: ApiError, stripPrefix?: string): string | null {
  if (error.code !== 'validation' || !error.field) return null;
  if (stripPrefix && error.field.startsWith(stripPrefix + '.'))
    return error.field.slice(stripPrefix.length + 1);
  return error.field;
}

/** The message to show under a field: without a leading "path: " the core may prefix. */
export function fieldMessage(error: { field?: string; message: string }): string {
  const prefix = error.field ? `${error.field}: ` : '';
  return prefix && error.message.startsWith(prefix)
    ? error.message.slice(prefix.length)
    : error.message;
}
