// The paging fields of every list method that pages (audit log, message log, transactions),
// served by src-main/db/paged.ts: newest first, a total for the filter, and `next` to continue
// after the last row seen (rows arriving meanwhile do not shift the pages); `offset` still jumps.
import { z } from 'zod';

export const pageInput = (defaultLimit: number) => ({
  limit: z.number().int().min(1).max(1000).default(defaultLimit),
  offset: z.number().int().min(0).default(0),
  /** The `next` of the previous page. */
  after: z.string().max(40).optional(),
});

export const pageOutput = {
  /** Rows matching the filter. */
  total: z.number(),
  /** Give as `after` for the next page; null on the last one. */
  next: z.string().nullable(),
};
