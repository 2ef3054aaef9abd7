// Handlers for the reports methods (src-shared/api/methods/reports.ts). The dispatcher has
// checked the role and that the session named is of one of the caller's sites; here an EV user
// is further held to the sessions of their own account(s).
import { DateTime } from 'luxon';
import type { reportsMethods } from '../../../src-shared/api/methods/reports';
import { ApiFailure } from '../../../src-shared/api/result';
import type { CallContext, HandlerMap } from '../context';

/** A report covers at most about two years (the day list and the chart stay readable). */
const MAX_REPORT_DAYS = 732;

/** The session's facts, after checking the caller may read it. */
function readable(ctx: CallContext, id: number) {
  const facts = ctx.services.reports.session.facts(id, ctx.now);
  if (!facts) throw new ApiFailure('not-found', 'That charging session no longer exists.');
  const caller = ctx.requireCaller();
  if (facts.siteId !== null) ctx.assertSite(facts.siteId);
  if (caller.role === 'ev_user') {
    // The account comes from the login alone, never from the input.
    const own = ctx.services.residents.accounts.accountsOfUser(caller.userId, caller.siteIds);
    if (facts.accountId === null || !own.includes(facts.accountId)) {
      throw new ApiFailure('forbidden', 'You can see only your own account’s charging sessions.');
    }
  }
  return facts;
}

function checkDate(zone: string, date: string, field: 'from' | 'to'): void {
  if (!DateTime.fromISO(date, { zone }).isValid) {
    throw new ApiFailure('validation', `${field === 'from' ? 'From' : 'To'} is not a real date.`, {
      field,
    });
  }
}

export const reportsHandlers = {
  'session-detail-get': (i, ctx) => {
    const session = readable(ctx, i.id);
    const chart = ctx.services.reports.session.chart(i.id, session.meterStartWh, i.points);
    return { session, chart };
  },
  'session-detail-samples': (i, ctx) => {
    readable(ctx, i.id);
    return ctx.services.reports.session.samples(i.id, i);
  },
  'session-detail-messages': async (i, ctx) => {
    readable(ctx, i.id);
    const page = await ctx.services.reports.session.messages(i.id, i, ctx.now);
    if (!page) throw new ApiFailure('not-found', 'That charging session no longer exists.');
    return page;
  },
  'report-totals': (i, ctx) => {
    const all = ctx.services.model.listSites(ctx.visibleSites());
    const sites = i.siteId === undefined ? all : all.filter((s) => s.id === i.siteId);
    if (i.siteId !== undefined && sites.length === 0) {
      throw new ApiFailure('not-found', 'That site no longer exists.', { field: 'siteId' });
    }
    // One site: its zone. Several: theirs when they share one (the usual case), else the first
    // site's, named in the answer so the page can say which zone the days are in.
    const zone = sites[0]?.timeZone ?? 'UTC';
    checkDate(zone, i.from, 'from');
    checkDate(zone, i.to, 'to');
    if (i.to < i.from) {
      throw new ApiFailure('validation', 'To must be on or after From.', { field: 'to' });
    }
    const days = (Date.parse(i.to) - Date.parse(i.from)) / 86_400_000 + 1;
    if (days > MAX_REPORT_DAYS) {
      throw new ApiFailure(
        'validation',
        `A report covers at most ${MAX_REPORT_DAYS} days; choose a shorter period.`,
        { field: 'to' },
      );
    }
    return ctx.services.reports.totals({
      siteIds: sites.map((s) => s.id),
      zone,
      fromDate: i.from,
      toDate: i.to,
      now: ctx.now,
    });
  },
} satisfies HandlerMap<keyof typeof reportsMethods>;
