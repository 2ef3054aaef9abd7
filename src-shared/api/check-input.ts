// The checks the core makes on a call's input, made by the UI before sending: the same contract
// schema and messages, so every invalid field is reported at once without a round trip, and an
// oversized input (a 5 MB paste) gets a message instead of the socket being closed on it.
import { contract } from './contract';
import { MAX_API_MESSAGE_BYTES, tooLargeError } from './limits';
import type { ApiError } from './result';
import { validationError } from '../validation-messages';

/** Room for the envelope ({"id":…,"method":…,"input":…}) around the input. */
const ENVELOPE_BYTES = 1024;

export function checkInput(method: string, input: unknown): ApiError | null {
  if (!Object.prototype.hasOwnProperty.call(contract, method)) return null; // core: unknown-method
  const def = contract[method as keyof typeof contract];
  const parsed = def.input.safeParse(input ?? {});
  if (!parsed.success) return validationError(parsed.error, input);
  const bytes = new TextEncoder().encode(JSON.stringify(input ?? {})).length;
  return bytes > MAX_API_MESSAGE_BYTES - ENVELOPE_BYTES ? tooLargeError(bytes) : null;
}
