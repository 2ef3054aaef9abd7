// The dashboard's panels (one list for the core, which validates a saved layout, and the UI) and
// the site map's tile-server template.
import { z } from 'zod';

export const PANELS = [
  { key: 'states', title: 'Outlets by state' },
  { key: 'sessions', title: 'Sessions in progress' },
  { key: 'energy', title: 'Energy today and this month' },
  { key: 'unknown-chargers', title: 'Unknown chargers waiting' },
  { key: 'unknown-cards', title: 'Unknown cards waiting' },
  { key: 'events', title: 'Latest charger messages' },
  { key: 'alarms', title: 'Active alarms' },
  { key: 'building-current', title: 'Building current per phase' },
] as const;
export type PanelKey = (typeof PANELS)[number]['key'];
export const PANEL_KEYS = PANELS.map((p) => p.key) as [PanelKey, ...PanelKey[]];

export const DEFAULT_LAYOUT: PanelKey[] = [
  'states',
  'alarms',
  'sessions',
  'energy',
  'unknown-chargers',
  'unknown-cards',
  'events',
  'building-current',
];

export const dashboardLayoutSchema = z
  .array(z.enum(PANEL_KEYS, { message: 'Choose panels from the list.' }))
  .max(PANELS.length)
  .refine((l) => new Set(l).size === l.length, 'Each panel can be shown once.');

/** OpenStreetMap's public tiles: the default until an administrator sets their own server. */
export const DEFAULT_TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';

/** An http(s) URL with the {z}, {x} and {y} placeholders leaflet fills in. */
export const tileUrlSchema = z
  .string()
  .trim()
  .max(500, 'The tile address is too long (500 characters at most).')
  .refine(
    (u) => /^https?:\/\/[^\s/]+/i.test(u),
    'The tile address must start with http:// or https://.',
  )
  .refine(
    (u) => u.includes('{z}') && u.includes('{x}') && u.includes('{y}'),
    'The tile address must contain {z}, {x} and {y} (for example https://tile.openstreetmap.org/{z}/{x}/{y}.png).',
  );
