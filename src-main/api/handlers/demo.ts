import type { demoMethods } from '../../../src-shared/api/methods/demo';
import type { HandlerMap } from '../context';

export const demoHandlers = {
  'demo-get': (_i, ctx) => ({ siteId: ctx.services.demo.siteId() }),
  'demo-remove': async (_i, ctx) => {
    const siteId = ctx.services.demo.siteId();
    const r = await ctx.services.demo.remove();
    ctx.audit({ entity: 'site', entityId: siteId ?? undefined, before: r ?? undefined });
    return r
      ? { removed: true, ...r }
      : { removed: false, siteName: null, stations: 0, sessions: 0 };
  },
} satisfies HandlerMap<keyof typeof demoMethods>;
