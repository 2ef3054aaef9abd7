import type { HandlerMap } from '../context';

type BalancingMethod =
  | 'balancing-get'
  | 'balancing-save'
  | 'balancing-preview'
  | 'balancing-live'
  | 'balancing-history'
  | 'balancing-log';

export const balancingHandlers: HandlerMap<BalancingMethod> = {
  'balancing-get': (input, ctx) => ctx.services.balancing.get(input.siteId),

  'balancing-save': async (input, ctx) => {
    const { siteId, ...config } = input;
    await ctx.services.balancing.checkMeters(siteId, config);
    const { before, after } = ctx.services.balancing.save(
      siteId,
      config,
      ctx.caller?.userId ?? null,
    );
    ctx.audit({ entity: 'balancing-model', entityId: siteId, siteId, before, after });
    return { saved: true as const };
  },

  'balancing-preview': (input, ctx) => {
    const { siteId, ...config } = input;
    return ctx.services.balancing.preview(siteId, config);
  },

  'balancing-live': (input, ctx) => ctx.services.balancing.live(input.siteId),

  'balancing-history': (input, ctx) =>
    ctx.services.balancing.history(input.siteId, input.nodeId, input.hours),

  'balancing-log': (input, ctx) => ctx.services.balancing.log(input.siteId, input.limit ?? 100),
};
