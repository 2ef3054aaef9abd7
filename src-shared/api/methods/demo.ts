// The demo building that `--demo` adds: which site it is, and removing it in one action.
import { z } from 'zod';
import { method } from '../define';

const empty = z.object({}).strict();

export const demoMethods = {
  'demo-get': method({
    summary: 'The demo site added by --demo, if there is one.',
    access: ['admin'],
    audit: false,
    input: empty,
    output: z.object({ siteId: z.number().nullable() }),
  }),
  'demo-remove': method({
    summary:
      'Stops the simulated chargers and deletes the demo site with its floors, stations, sessions, meter readings and demo cards, in one transaction.',
    access: ['admin'],
    audit: true,
    input: empty,
    output: z.object({
      removed: z.boolean(),
      siteName: z.string().nullable(),
      stations: z.number(),
      sessions: z.number(),
    }),
  }),
} as const;
