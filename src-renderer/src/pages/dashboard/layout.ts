// Which dashboard panels a user shows, and in what order. Kept in this browser's localStorage
// per user (a per-user preference in the core is the next step: then it follows the user).
export const PANELS = [
  { key: 'states', title: 'Outlets by state' },
  { key: 'sessions', title: 'Sessions in progress' },
  { key: 'unknown-chargers', title: 'Unknown chargers waiting' },
  { key: 'unknown-cards', title: 'Unknown cards' },
  { key: 'events', title: 'Latest charger messages' },
  { key: 'alarms', title: 'Active alarms' },
  { key: 'building-current', title: 'Building current per phase' },
] as const;
export type PanelKey = (typeof PANELS)[number]['key'];

const DEFAULT: PanelKey[] = [
  'states',
  'alarms',
  'sessions',
  'unknown-chargers',
  'unknown-cards',
  'events',
];
const isPanel = (k: unknown): k is PanelKey => PANELS.some((p) => p.key === k);
const storageKey = (userId: number) => `stratacharge.dashboard.${userId}`;

export function loadLayout(userId: number): PanelKey[] {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(storageKey(userId)) ?? 'null');
    if (Array.isArray(raw)) return [...new Set(raw.filter(isPanel))];
  } catch {
    // A damaged entry falls back to the default layout.
  }
  return DEFAULT;
}

export function saveLayout(userId: number, layout: PanelKey[]): void {
  localStorage.setItem(storageKey(userId), JSON.stringify(layout));
}
