// Pop-ups for new alarms (the browser's in-app toast and the desktop app's native notification)
// follow each user's preferences, decided here, once, for both: the severities they chose, the
// sites they want (and may see), and not during their quiet hours on the alarm's site's clock
// (the injected clock). Nobody logged in on the desktop: no pop-up (whose preferences?).
import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Db } from '../db/open';
import { alarms } from '../db/schema';
import type { Clock } from '../platform/clock';
import type { EventBus } from '../platform/events';
import { SEVERITY_LABELS, popupWanted, type Severity } from '../../src-shared/alarms';
import type { CoreEvent } from '../../src-shared/api/events';
import type { Caller } from '../platform/caller';
import { siteZones, type AlarmPrefsStore } from './prefs';

/** What of an alarm decides its pop-up. */
export interface PopupAlarm {
  severity: Severity;
  siteId: number | null;
}

export function createPopupGate(deps: { db: Db; clock: Clock; prefs: AlarmPrefsStore }) {
  const { db, clock, prefs } = deps;

  /** Whether `userId` wants a pop-up for this alarm now (visibility is the caller's to check). */
  function wants(userId: number, alarm: PopupAlarm): boolean {
    const zone = siteZones(db).zoneOf(alarm.siteId);
    const hhmm = DateTime.fromMillis(clock.now(), { zone }).toFormat('HH:mm');
    return popupWanted(prefs.get(userId), alarm, hhmm);
  }

  /** The same for a stored alarm (the browser asks by id when the event arrives). */
  function wantsAlarm(userId: number, alarmId: number): boolean {
    const row = db
      .select({ severity: alarms.severity, siteId: alarms.siteId, state: alarms.state })
      .from(alarms)
      .where(eq(alarms.id, alarmId))
      .get();
    // Cleared before the question arrived: nothing to pop up.
    if (!row || row.state !== 'active') return false;
    return wants(userId, { severity: row.severity as Severity, siteId: row.siteId });
  }

  return { wants, wantsAlarm };
}

export type PopupGate = ReturnType<typeof createPopupGate>;

/** A desktop notification to show. */
export interface DesktopPopup {
  alarmId: number;
  title: string;
  body: string;
}

/**
 * The desktop app's hook, without Electron (electron/notifications.ts shows what it is given):
 * each new alarm that the user logged in in the desktop window may see (`mayShow`: the
 * transports' event rule) and wants now. Nobody logged in: nothing (whose preferences?).
 */
export function subscribeDesktopPopups(deps: {
  events: Pick<EventBus, 'subscribe'>;
  gate: PopupGate;
  caller: () => Caller | null;
  mayShow: (caller: Caller, event: CoreEvent) => boolean;
  show: (popup: DesktopPopup) => void;
}): () => void {
  return deps.events.subscribe((event) => {
    if (event.type !== 'alarm-raised') return;
    const caller = deps.caller();
    if (caller === null || !deps.mayShow(caller, event)) return;
    if (!deps.gate.wants(caller.userId, { severity: event.severity, siteId: event.siteId })) return;
    deps.show({
      alarmId: event.alarmId,
      title: `${SEVERITY_LABELS[event.severity]} alarm`,
      body: event.detail ? `${event.title}\n${event.detail}` : event.title,
    });
  });
}
