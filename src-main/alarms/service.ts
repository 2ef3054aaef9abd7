// The alarms domain: rules that turn domain events into alarms (rules.ts), the records with
// their fold, acknowledge and clear (store.ts), email at once and as a daily digest (notify.ts,
// digest.ts) per each user's preferences (prefs.ts), and the views (query.ts, csv.ts).
// It never calls into ocpp/ or mail/ internals: it hears domain events, queues mail through the
// outbox inside its own transactions, and times things with the scheduler.
import type { Seams } from '../platform/seams';
import type { Outbox } from '../mail/outbox';
import type { PageRequest } from '../db/paged';
import type { AlarmFilter } from '../../src-shared/api/methods/alarms';
import type { AlarmRuleId, Severity } from '../../src-shared/alarms';
import { ApiFailure } from '../../src-shared/api/result';
import { createAlarmStore, type Person } from './store';
import { startAlarmRules } from './rules';
import { startOperationRules } from './operation-rules';
import { createAlarmPrefs, type AlarmPrefs } from './prefs';
import { createAlarmNotifier } from './notify';
import { createDigests } from './digest';
import { createPopupGate } from './popups';
import { alarmRows, listAlarmEvents, listAlarms, summarise, type Visible } from './query';
import { alarms } from '../db/schema';
import { eq } from 'drizzle-orm';

export type AlarmService = ReturnType<typeof createAlarmService>;

export function createAlarmService(seams: Seams, deps: { outbox: Pick<Outbox, 'enqueue'> }) {
  const { db, clock, logger, domainEvents, scheduler } = seams;
  const prefs = createAlarmPrefs(db);
  const notifier = createAlarmNotifier({
    db,
    outbox: deps.outbox,
    prefs,
    logger,
    uiUrl: () => seams.info.httpUrl,
  });
  const store = createAlarmStore({
    db,
    domainEvents,
    onRaised: (a) => notifier.onRaised(a),
  });
  const digests = createDigests({
    db,
    scheduler,
    prefs,
    outbox: deps.outbox,
    logger,
    footer: notifier.footer,
  });
  const popups = createPopupGate({ db, clock, prefs });
  let rules: ReturnType<typeof startAlarmRules> | null = null;
  let operationRules: ReturnType<typeof startOperationRules> | null = null;
  let unsubscribeTree: (() => void) | null = null;

  function view(id: number) {
    const row = alarmRows(db).where(eq(alarms.id, id)).get();
    if (!row) throw new ApiFailure('not-found', 'That alarm no longer exists.');
    return { ...row, severity: row.severity as Severity, state: row.state as 'active' | 'cleared' };
  }

  function validatePrefs(userId: number, p: AlarmPrefs, visible: Visible): void {
    if ((p.quietFrom === null) !== (p.quietTo === null)) {
      throw new ApiFailure(
        'validation',
        'Quiet hours need both a start and an end time (or neither).',
        { field: p.quietFrom === null ? 'quietFrom' : 'quietTo' },
      );
    }
    if (p.siteIds !== null && visible !== 'all') {
      const foreign = p.siteIds.find((id) => !visible.includes(id));
      if (foreign !== undefined) {
        throw new ApiFailure('forbidden', 'You can only be notified about your own sites.', {
          field: 'siteIds',
        });
      }
    }
    void userId;
  }

  return {
    store,
    /** Who wants a pop-up for which alarm (the desktop hook, electron/notifications.ts). */
    popups,
    /** For the browser's toast: an alarm the caller may see, popped up as they prefer. */
    popupFor(userId: number, alarmId: number, visible: Visible): boolean {
      const row = db
        .select({ siteId: alarms.siteId })
        .from(alarms)
        .where(eq(alarms.id, alarmId))
        .get();
      if (!row) return false;
      const maySee = visible === 'all' || (row.siteId !== null && visible.includes(row.siteId));
      return maySee && popups.wantsAlarm(userId, alarmId);
    },
    /** After every domain is created: hear events, arm timers, schedule digests. */
    start(): void {
      rules = startAlarmRules({ db, clock, logger, domainEvents, scheduler, store });
      operationRules = startOperationRules({ db, logger, domainEvents, store });
      digests.sync();
      // A site added, removed or moved to another time zone: the digest jobs follow. (A user's
      // sites are re-read at every run; their jobs follow at the next preference save.)
      unsubscribeTree = domainEvents.subscribe('site.changed', () => digests.sync());
      seams.restoreHooks.register({
        name: 'alarms',
        afterSwap: () => {
          rules?.reset();
          operationRules?.reset();
          digests.sync();
        },
      });
    },
    stop(): void {
      rules?.stop();
      rules = null;
      operationRules?.stop();
      operationRules = null;
      unsubscribeTree?.();
      digests.stop();
    },
    list: (v: 'active' | 'history', f: AlarmFilter, visible: Visible, page: PageRequest) =>
      listAlarms(db, v, f, visible, page),
    events: (f: AlarmFilter & { kind?: string }, visible: Visible, page: PageRequest) =>
      listAlarmEvents(db, f, visible, page),
    summary: (visible: Visible) => summarise(db, visible),
    view,
    acknowledge(id: number, person: Person, note: string | null) {
      const r = store.acknowledge(id, person, note, clock.now());
      return { before: r.before, after: view(id) };
    },
    clear(id: number, person: Person, reason: string) {
      const r = store.clearManual(id, person, reason, clock.now());
      return { before: r.before, after: view(id) };
    },
    rules: () => store.rules(),
    updateRule(rule: AlarmRuleId, change: { severity?: Severity; delaySeconds?: number | null }) {
      return store.updateRule(rule, change, clock.now());
    },
    prefs: {
      get: (userId: number) => ({ ...prefs.get(userId), digestJobs: countJobs(userId) }),
      set(userId: number, p: AlarmPrefs, visible: Visible) {
        validatePrefs(userId, p, visible);
        const r = prefs.set(userId, p, clock.now());
        digests.sync();
        return { before: r.before, after: { ...r.after, digestJobs: countJobs(userId) } };
      },
    },
  };

  function countJobs(userId: number): number {
    return digests.jobs().filter((n) => n.startsWith(`alarms.digest.${userId}.`)).length;
  }
}
