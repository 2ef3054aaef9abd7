// Sessions: the list (scoped by role in the core), a session's review and its resolution.
import type { HandlerMap } from '../context';
import type { sessionMethods } from '../../../src-shared/api/methods/sessions';

export const sessionHandlers = {
  'session-list': (i, ctx) => ctx.services.sessions.list(ctx.requireCaller(), i),
  'session-review-get': (i, ctx) => ctx.services.sessions.reviewGet(ctx.requireCaller(), i.id),
  'session-resolve': (i, ctx) => {
    const caller = ctx.requireCaller();
    const before = ctx.services.sessions.get(caller, i.id);
    const after = ctx.services.sessions.resolve(caller, i, ctx.now);
    ctx.audit({
      entity: 'session',
      entityId: i.id,
      siteId: after.siteId,
      before: { review: before.review, excluded: before.excluded, accountId: before.accountId },
      after: {
        action: i.action,
        reason: i.reason,
        review: after.review,
        excluded: after.excluded,
        accountId: after.accountId,
        correctedStopWh: after.correctedStopWh,
      },
    });
    return after;
  },
} satisfies HandlerMap<keyof typeof sessionMethods>;
