// The dashboard's own data: each user's panel layout (user_preferences), the energy panel's
// figures (the reports' totals, never SQL of its own) and the site map's tile server (settings).
import { and, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Db } from '../db/open';
import { settings, userPreferences } from '../db/schema';
import type { Totals } from '../reports/totals';
import {
  DEFAULT_LAYOUT,
  DEFAULT_TILE_URL,
  dashboardLayoutSchema,
  tileUrlSchema,
  type PanelKey,
} from '../../src-shared/dashboard';

const LAYOUT_KEY = 'dashboard.layout';
const TILE_KEY = 'site-map.tile-url';
/** Days in the energy sparkline. */
export const SPARK_DAYS = 30;

export function createDashboardService(deps: { db: Db; totals: Pick<Totals, 'totals'> }) {
  const { db } = deps;

  function layout(userId: number): { panels: PanelKey[]; saved: boolean } {
    const row = db
      .select({ value: userPreferences.value })
      .from(userPreferences)
      .where(and(eq(userPreferences.userId, userId), eq(userPreferences.key, LAYOUT_KEY)))
      .get();
    if (!row) return { panels: DEFAULT_LAYOUT, saved: false };
    try {
      // A panel that no longer exists (or a damaged value) must not hide the dashboard.
      const raw: unknown = JSON.parse(row.value);
      const list = Array.isArray(raw) ? raw : [];
      const parsed = dashboardLayoutSchema.safeParse(
        [...new Set(list)].filter((k) => dashboardLayoutSchema.element.safeParse(k).success),
      );
      return { panels: parsed.success ? parsed.data : DEFAULT_LAYOUT, saved: true };
    } catch {
      return { panels: DEFAULT_LAYOUT, saved: true };
    }
  }

  function setLayout(userId: number, panels: PanelKey[], now: number) {
    const value = JSON.stringify(panels);
    db.insert(userPreferences)
      .values({ userId, key: LAYOUT_KEY, value, updatedAt: now })
      .onConflictDoUpdate({
        target: [userPreferences.userId, userPreferences.key],
        set: { value, updatedAt: now },
      })
      .run();
    return layout(userId);
  }

  /** Today, this month and the last SPARK_DAYS local days of `zone`, from the reports' totals. */
  function energy(q: { siteIds: number[]; zone: string; now: number }) {
    const today = DateTime.fromMillis(q.now, { zone: q.zone }).startOf('day');
    const monthStart = today.startOf('month');
    const sparkStart = today.minus({ days: SPARK_DAYS - 1 });
    const from = monthStart < sparkStart ? monthStart : sparkStart;
    const t = deps.totals.totals({
      siteIds: q.siteIds,
      zone: q.zone,
      fromDate: from.toISODate() ?? '',
      toDate: today.toISODate() ?? '',
      now: q.now,
    });
    const todayDate = today.toISODate() ?? '';
    const monthKey = todayDate.slice(0, 7);
    const days = t.byDay.map((d) => ({ date: d.date, sessions: d.sessions, energyWh: d.energyWh }));
    const sum = (list: typeof days) =>
      list.reduce(
        (a, d) => ({ sessions: a.sessions + d.sessions, energyWh: a.energyWh + d.energyWh }),
        {
          sessions: 0,
          energyWh: 0,
        },
      );
    return {
      zone: q.zone,
      today: { date: todayDate, ...sum(days.filter((d) => d.date === todayDate)) },
      month: { month: monthKey, ...sum(days.filter((d) => d.date.startsWith(monthKey))) },
      days: days.slice(-SPARK_DAYS),
    };
  }

  function tileSettings(): { tileUrl: string; isDefault: boolean } {
    const row = db.select().from(settings).where(eq(settings.key, TILE_KEY)).get();
    const stored = row ? tileUrlSchema.safeParse(safeJson(row.value)) : null;
    return stored?.success
      ? { tileUrl: stored.data, isDefault: false }
      : { tileUrl: DEFAULT_TILE_URL, isDefault: true };
  }

  function setTileUrl(tileUrl: string | null, now: number) {
    if (tileUrl === null) {
      db.delete(settings).where(eq(settings.key, TILE_KEY)).run();
    } else {
      const value = JSON.stringify(tileUrl);
      db.insert(settings)
        .values({ key: TILE_KEY, value, updatedAt: now })
        .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } })
        .run();
    }
    return tileSettings();
  }

  return { layout, setLayout, energy, tileSettings, setTileUrl };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export type DashboardService = ReturnType<typeof createDashboardService>;
