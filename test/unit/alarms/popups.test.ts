// Pop-ups for new alarms follow each user's preferences, decided in the core for both the
// browser's toast (alarm-popup-check) and the desktop app's notification hook
// (subscribeDesktopPopups, which electron/notifications.ts hands to Electron): the severities they
// chose, the sites they want and may see, and never in their quiet hours on the site's clock.
import { describe, expect, it } from 'vitest';
import { ocppCore, waitFor, type OcppTest } from '../../ocpp/helpers';
import { aSite, loginAs } from '../../support/factories';
import { subscribeDesktopPopups, type DesktopPopup } from '../../../src-main/alarms/popups';
import { mayReceive } from '../../../src-main/auth/event-audience';
import type { Connection } from '../../../src-main/api/context';
import { DEFAULT_ALARM_PREFS } from '../../../src-shared/alarms';
import type { MethodInput } from '../../../src-shared/api/contract';

type Prefs = MethodInput<'alarm-prefs-set'>;

async function setPrefs(o: OcppTest, conn: Connection, change: Partial<Prefs>) {
  await o.t.ok(conn, 'alarm-prefs-set', { ...DEFAULT_ALARM_PREFS, ...change });
}

/** The desktop hook as the desktop app wires it, for the user logged in on `conn`. */
function desktop(o: OcppTest, conn: Connection | null) {
  const shown: DesktopPopup[] = [];
  const stop = subscribeDesktopPopups({
    events: o.t.core.events,
    gate: o.t.core.services.alarms.popups,
    caller: () =>
      conn?.token ? o.t.core.services.auth.resolveSession(conn.token, o.t.clock.now()) : null,
    mayShow: mayReceive,
    show: (p) => shown.push(p),
  });
  return { shown, stop };
}

/** A charger of the site reports a fault (critical) or a manufacturer code (warning). */
async function raise(o: OcppTest, sim: ReturnType<OcppTest['sim']>, kind: 'critical' | 'warning') {
  const seen = new Set(
    (await o.t.ok(o.admin, 'alarm-event-list', {})).events.map((e) => e.alarmId),
  );
  if (kind === 'critical') await sim.statusNotification(1, 'Faulted', 'GroundFailure');
  else await sim.statusNotification(1, 'Available', 'OtherError', { vendorErrorCode: 'E42' });
  const a = await waitFor(async () => {
    const l = await o.t.ok(o.admin, 'alarm-list', { view: 'active' });
    return l.alarms.find((x) => x.severity === kind && !seen.has(x.id)) ?? null;
  }, `the ${kind} alarm`);
  return a.id;
}

describe('alarm pop-ups follow each user’s preferences', () => {
  it('severities, sites and quiet hours (on the site’s clock), for the toast and the desktop alike', async () => {
    const o = await ocppCore();
    const st = await o.station({ name: 'Bay 4' });
    const sim = o.sim(st.identity);
    await sim.start();
    const desk = desktop(o, o.admin);
    const check = async (alarmId: number) =>
      (await o.t.ok(o.admin, 'alarm-popup-check', { alarmId })).show;

    // The defaults: critical alarms pop up, warnings do not.
    const critical = await raise(o, sim, 'critical');
    expect(await check(critical)).toBe(true);
    await waitFor(() => desk.shown.length === 1, 'the desktop notification');
    expect(desk.shown[0]).toMatchObject({ alarmId: critical, title: 'Critical alarm' });
    expect(desk.shown[0]?.body).toContain('Bay 4');
    // (The charger's next report, a manufacturer code, replaces the fault: the fault clears.)
    const warning = await raise(o, sim, 'warning');
    expect(await check(warning)).toBe(false);
    expect(await check(critical)).toBe(false);

    // Warnings too.
    await setPrefs(o, o.admin, { popupSeverities: ['critical', 'warning'] });
    expect(await check(warning)).toBe(true);

    // Quiet hours on the site's clock: 09:00 UTC is 20:00 in Sydney (AEDT), inside 19:00–21:00
    // (on UTC's clock it would be outside them).
    await setPrefs(o, o.admin, {
      popupSeverities: ['critical', 'warning'],
      quietFrom: '19:00',
      quietTo: '21:00',
    });
    expect(await check(warning)).toBe(false);
    await setPrefs(o, o.admin, {
      popupSeverities: ['critical', 'warning'],
      quietFrom: '21:00',
      quietTo: '07:00',
    });
    expect(await check(warning)).toBe(true);

    // Another site only: this site's alarms do not pop up.
    const other = await o.t.ok(o.admin, 'site-create', aSite({ name: 'Other Tower' }));
    await setPrefs(o, o.admin, { popupSeverities: ['warning'], siteIds: [other.id] });
    expect(await check(warning)).toBe(false);
    await setPrefs(o, o.admin, { popupSeverities: ['warning'], siteIds: [o.siteId, other.id] });
    expect(await check(warning)).toBe(true);

    // None chosen: nothing pops up, on the desktop either.
    await setPrefs(o, o.admin, { popupSeverities: [] });
    const before = desk.shown.length;
    await sim.statusNotification(1, 'Available');
    await raise(o, sim, 'critical');
    await setPrefs(o, o.admin, {});
    await sim.statusNotification(1, 'Available');
    const again = await raise(o, sim, 'critical');
    // Events are delivered in order: the one after it arrived, the one before it did not show.
    await waitFor(() => desk.shown.some((p) => p.alarmId === again), 'the next notification');
    expect(desk.shown.slice(before).map((p) => p.alarmId)).toEqual([again]);
    desk.stop();
  });

  it('never for an alarm the user may not see, nor with nobody logged in on the desktop', async () => {
    const o = await ocppCore();
    const st = await o.station({ name: 'Bay 8' });
    const sim = o.sim(st.identity);
    await sim.start();
    const other = await o.t.ok(o.admin, 'site-create', aSite({ name: 'Other Tower' }));
    const { conn: stranger } = await loginAs(o.t, o.admin, 'site_admin', [other.id]);
    const theirs = desktop(o, stranger);
    const nobody = desktop(o, null);
    const mine = desktop(o, o.admin);

    const id = await raise(o, sim, 'critical');
    await waitFor(() => mine.shown.length === 1, 'the administrator’s notification');
    expect(theirs.shown).toEqual([]);
    expect(nobody.shown).toEqual([]);
    expect((await o.t.fail(stranger, 'alarm-popup-check', { alarmId: id })).code).toBe('forbidden');
    // Cleared before the question arrives: nothing to pop up.
    await sim.statusNotification(1, 'Available');
    await waitFor(
      async () => (await o.t.ok(o.admin, 'alarm-list', { view: 'active' })).total === 0,
      'the alarm to clear',
    );
    expect((await o.t.ok(o.admin, 'alarm-popup-check', { alarmId: id })).show).toBe(false);
    for (const d of [theirs, nobody, mine]) d.stop();
  });
});
