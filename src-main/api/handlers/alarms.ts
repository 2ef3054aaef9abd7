import type { HandlerMap } from '../context';
import type { Person } from '../../alarms/store';
import type { CallContext } from '../context';

type AlarmMethod =
  | 'alarm-list'
  | 'alarm-event-list'
  | 'alarm-summary'
  | 'alarm-acknowledge'
  | 'alarm-clear'
  | 'alarm-rule-list'
  | 'alarm-rule-update'
  | 'alarm-prefs-get'
  | 'alarm-prefs-set'
  | 'alarm-popup-check';

const person = (ctx: CallContext): Person => {
  const c = ctx.requireCaller();
  return { userId: c.userId, name: c.name };
};

export const alarmHandlers = {
  'alarm-list': ({ view, limit, offset, after, ...filter }, ctx) =>
    ctx.services.alarms.list(view, filter, ctx.visibleSites(), { limit, offset, after }),

  'alarm-event-list': ({ limit, offset, after, ...filter }, ctx) =>
    ctx.services.alarms.events(filter, ctx.visibleSites(), { limit, offset, after }),

  'alarm-summary': (_input, ctx) => ctx.services.alarms.summary(ctx.visibleSites()),

  'alarm-acknowledge': (input, ctx) => {
    const { before, after } = ctx.services.alarms.acknowledge(
      input.id,
      person(ctx),
      input.note ?? null,
    );
    ctx.audit({ entity: 'alarm', entityId: input.id, siteId: before.siteId, before, after });
    return after;
  },

  'alarm-clear': (input, ctx) => {
    const { before, after } = ctx.services.alarms.clear(input.id, person(ctx), input.reason);
    ctx.audit({ entity: 'alarm', entityId: input.id, siteId: before.siteId, before, after });
    return after;
  },

  'alarm-rule-list': (_input, ctx) => ctx.services.alarms.rules(),

  'alarm-rule-update': ({ rule, ...change }, ctx) => {
    const { before, after } = ctx.services.alarms.updateRule(rule, change);
    ctx.audit({ entity: 'alarm-rule', entityId: rule, before, after });
    return after;
  },

  'alarm-popup-check': ({ alarmId }, ctx) => ({
    show: ctx.services.alarms.popupFor(ctx.requireCaller().userId, alarmId, ctx.visibleSites()),
  }),

  'alarm-prefs-get': (_input, ctx) => ctx.services.alarms.prefs.get(ctx.requireCaller().userId),

  'alarm-prefs-set': (input, ctx) => {
    const userId = ctx.requireCaller().userId;
    const { before, after } = ctx.services.alarms.prefs.set(userId, input, ctx.visibleSites());
    ctx.audit({ entity: 'alarm-prefs', entityId: userId, before, after });
    return after;
  },
} satisfies HandlerMap<AlarmMethod>;
