// Limits of a floor-plan image, shared so the UI states them and checks before sending, and the
// core enforces them.

/** Largest plan file. Uploads travel base64 over the API socket (4 MiB a message), so 2.5 MiB of
 *  image (3.4 MiB as base64) stays well inside it; a phone photo of a plan is usually 1-2 MiB. */
export const FLOOR_PLAN_MAX_BYTES = 2.5 * 1024 * 1024;
/** Largest side in pixels: beyond this browsers struggle to draw the image at all. */
export const FLOOR_PLAN_MAX_SIDE = 12_000;
/** The base64 text of the largest plan (the contract's bound on the upload field), with room for
 *  a slightly larger file to get the "too large" answer in words rather than a schema error. */
export const FLOOR_PLAN_MAX_BASE64 = Math.ceil((FLOOR_PLAN_MAX_BYTES * 1.2) / 3) * 4;

export const FLOOR_PLAN_TYPES = ['image/png', 'image/jpeg', 'image/svg+xml'] as const;
export type FloorPlanType = (typeof FLOOR_PLAN_TYPES)[number];

/** "2.5 MB" for the limit and sizes in messages (MiB, as file managers show them). */
export function formatMegabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${mb >= 10 ? Math.round(mb) : Math.round(mb * 10) / 10} MB`;
}
