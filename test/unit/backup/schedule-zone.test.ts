// The daily backup runs at its hour in the site's time zone, not the server's (a service
// machine often runs in UTC), and the settings say which zone that is.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src-main/platform/clock';
import { makeCore } from '../../support/make-core';
import { setupAdmin } from '../../support/factories';

const at = (zone: string, y: number, mo: number, d: number, h: number, mi = 0) =>
  DateTime.fromObject({ year: y, month: mo, day: d, hour: h, minute: mi }, { zone }).toMillis();
const sydney = (y: number, mo: number, d: number, h: number, mi = 0) =>
  at('Australia/Sydney', y, mo, d, h, mi);

describe('daily backup time zone', () => {
  it('runs at 02:00 in the site’s zone and says which zone that is', async () => {
    // Setup creates the site in Australia/Sydney (UTC+11 in March).
    const t = await makeCore({ clock: new ManualClock(sydney(2026, 3, 2, 12)) });
    const { admin } = await setupAdmin(t);
    expect(await t.ok(admin, 'backup-settings-get', {})).toEqual({
      enabled: true,
      hour: 2,
      keep: 14,
      timeZone: 'Australia/Sydney',
    });
    const backup = t.core.services.backup;
    expect((await backup.runScheduleIfDue())?.kind).toBe('scheduled'); // today's, caught up

    // 01:59 in Sydney is 14:59 UTC: the hour has not come yet there.
    t.clock.set(sydney(2026, 3, 3, 1, 59));
    expect(await backup.runScheduleIfDue()).toBeNull();
    t.clock.set(sydney(2026, 3, 3, 2, 0));
    const made = await backup.runScheduleIfDue();
    expect(made?.kind).toBe('scheduled');
    expect(made?.createdAt).toBe(sydney(2026, 3, 3, 2, 0));
    // 12:00 in Sydney is 01:00 UTC the same day: already done, not waiting for 02:00 UTC.
    t.clock.set(sydney(2026, 3, 3, 12, 0));
    expect(await backup.runScheduleIfDue()).toBeNull();
    t.clock.set(sydney(2026, 3, 4, 12, 0));
    expect((await backup.runScheduleIfDue())?.createdAt).toBe(sydney(2026, 3, 4, 12, 0));
  });

  it('follows the first site’s zone', async () => {
    const t = await makeCore({ clock: new ManualClock(at('Australia/Perth', 2026, 3, 2, 12)) });
    const { admin } = await setupAdmin(t, {
      site: { name: 'West', strataPlan: 'SP 1', timeZone: 'Australia/Perth' },
    });
    const s = await t.ok(admin, 'backup-settings-update', { enabled: true, hour: 3, keep: 5 });
    expect(s).toEqual({ enabled: true, hour: 3, keep: 5, timeZone: 'Australia/Perth' });
    const backup = t.core.services.backup;
    await backup.runScheduleIfDue();
    t.clock.set(at('Australia/Perth', 2026, 3, 3, 2, 59));
    expect(await backup.runScheduleIfDue()).toBeNull();
    t.clock.set(at('Australia/Perth', 2026, 3, 3, 3, 0));
    expect((await backup.runScheduleIfDue())?.kind).toBe('scheduled');
  });

  it('after a restore the schedule is the restored one', async () => {
    const t = await makeCore({ clock: new ManualClock(sydney(2026, 3, 2, 12)) });
    const { admin } = await setupAdmin(t);
    await t.ok(admin, 'backup-settings-update', { enabled: true, hour: 2, keep: 14 });
    const backup = t.core.services.backup;
    await backup.runScheduleIfDue();
    const { fileName } = await t.ok(admin, 'backup-create', {});
    await t.ok(admin, 'backup-settings-update', { enabled: true, hour: 5, keep: 14 });
    await t.ok(admin, 'backup-restore', { fileName });
    expect(await t.ok(admin, 'backup-settings-get', {})).toMatchObject({ hour: 2 });
    t.clock.set(sydney(2026, 3, 3, 2, 0));
    expect((await backup.runScheduleIfDue())?.createdAt).toBe(sydney(2026, 3, 3, 2, 0));
  });
});
