// How large one API request may be, and what a person is told when theirs is larger. The server's
// WebSocket enforces it (src-main/http/api-socket.ts); the UI checks before sending, so a huge
// paste or file gets this message instead of a dropped connection ("cannot be reached").
import type { ApiError } from './result';

/** Largest API request, serialised (the biggest legitimate input stays well below). */
export const MAX_API_MESSAGE_BYTES = 4 * 1024 * 1024;

const megabytes = (bytes: number) =>
  `${(bytes / (1024 * 1024)).toLocaleString('en-AU', { maximumFractionDigits: 1 })} MB`;

export function tooLargeError(bytes: number): ApiError {
  return {
    code: 'validation',
    message: `This request is too large (${megabytes(bytes)}): StrataCharge accepts up to ${megabytes(MAX_API_MESSAGE_BYTES)} at a time. Shorten the text or choose a smaller file.`,
  };
}
