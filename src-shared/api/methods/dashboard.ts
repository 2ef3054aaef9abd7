// Dashboard methods: the caller's own panel layout (kept in the core, so it follows the user to
// any computer; there is no user id in the input, so nobody can read or write another's), the
// energy panel's figures (from the reports' totals, in the site's time zone) and the site map's
// tile server (a setting the administrators choose).
import { z } from 'zod';
import { method } from '../define';
import { STAFF_ROLES } from '../../roles';
import { dashboardLayoutSchema, tileUrlSchema } from '../../dashboard';
import { idSchema } from '../../validation';

const energyFigure = z.object({ sessions: z.number(), energyWh: z.number() });

export const dashboardMethods = {
  'dashboard-layout-get': method({
    summary:
      "The caller's dashboard panels in their order (the default until they arrange them), and whether they have saved one.",
    access: STAFF_ROLES,
    audit: false,
    input: z.object({}).strict(),
    output: z.object({ panels: dashboardLayoutSchema, saved: z.boolean() }),
  }),
  'dashboard-layout-set': method({
    summary: "Saves the caller's own dashboard panels and their order.",
    access: STAFF_ROLES,
    // A personal preference, not a change to the building: not audited.
    audit: false,
    input: z.object({ panels: dashboardLayoutSchema }).strict(),
    output: z.object({ panels: dashboardLayoutSchema, saved: z.boolean() }),
  }),
  'dashboard-energy': method({
    summary:
      'Energy delivered today and this month (local days of the site’s zone) and per day over the last 30 days, for one site or every site the caller sees.',
    access: STAFF_ROLES,
    audit: false,
    input: z.object({ siteId: idSchema.optional() }).strict(),
    output: z.object({
      zone: z.string(),
      today: energyFigure.extend({ date: z.string() }),
      month: energyFigure.extend({ month: z.string() }),
      days: z.array(energyFigure.extend({ date: z.string() })),
    }),
  }),
  'site-map-settings-get': method({
    summary: 'The tile server the site map draws its background from.',
    access: STAFF_ROLES,
    audit: false,
    input: z.object({}).strict(),
    output: z.object({ tileUrl: z.string(), isDefault: z.boolean() }),
  }),
  'site-map-settings-update': method({
    summary:
      'Sets the tile server of the site map (an http(s) address with {z}, {x} and {y}); null goes back to OpenStreetMap.',
    access: ['admin'],
    audit: true,
    input: z.object({ tileUrl: tileUrlSchema.nullable() }).strict(),
    output: z.object({ tileUrl: z.string(), isDefault: z.boolean() }),
  }),
} as const;
