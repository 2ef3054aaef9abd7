// Handlers for the accounting export methods: thin calls into services.billingExports. Site
// scoping is declared in site-scope.ts; the run is checked to belong to the site named.
import type { HandlerMap } from '../context';

type BillingExportMethod =
  | 'accounting-export-profile-list'
  | 'accounting-export-profile-save'
  | 'accounting-export-profile-reset'
  | 'accounting-export-check';

export const billingExportHandlers: HandlerMap<BillingExportMethod> = {
  'accounting-export-profile-list': (i, ctx) => ctx.services.billingExports.list(i.siteId),

  'accounting-export-profile-save': (i, ctx) => {
    const caller = ctx.requireCaller();
    const { before } = ctx.services.billingExports.save(
      i.siteId,
      i.key,
      i.profile,
      caller.userId,
      ctx.now,
    );
    ctx.audit({
      entity: 'billing-export-profile',
      entityId: i.key,
      siteId: i.siteId,
      before,
      after: i.profile,
    });
    return { key: i.key, profile: i.profile };
  },

  'accounting-export-profile-reset': (i, ctx) => {
    ctx.requireCaller();
    const { before, profile } = ctx.services.billingExports.reset(i.siteId, i.key);
    ctx.audit({
      entity: 'billing-export-profile',
      entityId: i.key,
      siteId: i.siteId,
      before,
      after: profile,
    });
    return { key: i.key, profile };
  },

  'accounting-export-check': (i, ctx) =>
    ctx.services.billingExports.check(i.siteId, i.runId, i.key),
};
