// Handlers for the dashboard methods (src-shared/api/methods/dashboard.ts). The layout is always
// the caller's own: the user id comes from the login, never from the input.
import type { dashboardMethods } from '../../../src-shared/api/methods/dashboard';
import { ApiFailure } from '../../../src-shared/api/result';
import type { HandlerMap } from '../context';

export const dashboardHandlers = {
  'dashboard-layout-get': (_i, ctx) => ctx.services.dashboard.layout(ctx.requireCaller().userId),

  'dashboard-layout-set': (i, ctx) =>
    ctx.services.dashboard.setLayout(ctx.requireCaller().userId, i.panels, ctx.now),

  'dashboard-energy': (i, ctx) => {
    const all = ctx.services.model.listSites(ctx.visibleSites());
    const sites = i.siteId === undefined ? all : all.filter((s) => s.id === i.siteId);
    if (i.siteId !== undefined && sites.length === 0) {
      throw new ApiFailure('not-found', 'That site no longer exists.', { field: 'siteId' });
    }
    // Several sites: the first one's zone (as the reports do), named in the answer.
    return ctx.services.dashboard.energy({
      siteIds: sites.map((s) => s.id),
      zone: sites[0]?.timeZone ?? 'UTC',
      now: ctx.now,
    });
  },

  'site-map-settings-get': (_i, ctx) => ctx.services.dashboard.tileSettings(),

  'site-map-settings-update': (i, ctx) => {
    const before = ctx.services.dashboard.tileSettings();
    const after = ctx.services.dashboard.setTileUrl(i.tileUrl, ctx.now);
    ctx.audit({ entity: 'site-map-settings', before, after });
    return after;
  },
} satisfies HandlerMap<keyof typeof dashboardMethods>;
