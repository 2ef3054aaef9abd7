// The daily backup is a job on the scheduler: advancing the injected clock takes it at its hour
// in the site's zone, once a day, follows a settings change, and a restart neither repeats a
// day's backup nor forgets one missed while the app was closed.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src-main/platform/clock';
import { makeCore, type TestCore } from '../../support/make-core';
import { setupAdmin } from '../../support/factories';

const sydney = (y: number, mo: number, d: number, h: number, mi = 0) =>
  DateTime.fromObject(
    { year: y, month: mo, day: d, hour: h, minute: mi },
    { zone: 'Australia/Sydney' },
  ).toMillis();

/** A core on a ManualClock with the backup job on (the balancing review, every 30 s by
 *  default, would make advancing days step through thousands of reviews). */
const core = (start: number) =>
  makeCore({
    backupTimer: true,
    clock: new ManualClock(start),
    balancing: { reviewMs: 86_400_000 },
  });

const scheduledAt = (t: TestCore) =>
  t.core.services.backup
    .list()
    .filter((b) => b.kind === 'scheduled')
    .map((b) => b.createdAt)
    .sort((a, b) => a - b);

describe('daily backup on the scheduler', () => {
  it('runs at 02:00 in the site’s zone as the clock advances, once a day', async () => {
    // 12:00 in Sydney is 01:00 UTC: a backup at 02:00 UTC would come within the hour.
    const t = await core(sydney(2026, 3, 2, 12));
    await setupAdmin(t); // the site is in Australia/Sydney
    await t.clock.advance(sydney(2026, 3, 3, 1, 59) - t.clock.now());
    expect(scheduledAt(t)).toEqual([]);
    await t.clock.advance(sydney(2026, 3, 5, 12) - t.clock.now());
    expect(scheduledAt(t)).toEqual([
      sydney(2026, 3, 3, 2),
      sydney(2026, 3, 4, 2),
      sydney(2026, 3, 5, 2),
    ]);
  });

  it('follows a new hour from the settings', async () => {
    const t = await core(sydney(2026, 3, 2, 12));
    const { admin } = await setupAdmin(t);
    await t.ok(admin, 'backup-settings-update', { enabled: true, hour: 4, keep: 14 });
    const backup = t.core.services.backup;
    await t.clock.advance(sydney(2026, 3, 3, 12) - t.clock.now());
    expect(scheduledAt(t)).toEqual([sydney(2026, 3, 3, 4)]);
    // (The same call as backup-settings-update: the admin's session has expired by now.)
    backup.updateSettings({ enabled: false, hour: 4, keep: 14 });
    await t.clock.advance(2 * 86_400_000);
    expect(scheduledAt(t)).toEqual([sydney(2026, 3, 3, 4)]);
  });

  it('after a restart: no second backup for the same day, one for a day missed while closed', async () => {
    const t = await core(sydney(2026, 3, 2, 12));
    await setupAdmin(t);
    await t.clock.advance(sydney(2026, 3, 3, 3) - t.clock.now());
    expect(scheduledAt(t)).toEqual([sydney(2026, 3, 3, 2)]);
    await t.restart();
    await t.clock.advance(60_000);
    expect(scheduledAt(t)).toEqual([sydney(2026, 3, 3, 2)]);
    // Closed over two nights (the clock moves on without firing, then a restart): one
    // catch-up backup at start-up, not one per missed night.
    t.clock.set(sydney(2026, 3, 5, 9));
    await t.restart();
    await t.clock.advance(1_000);
    expect(scheduledAt(t)).toEqual([sydney(2026, 3, 3, 2), sydney(2026, 3, 5, 9)]);
  });
});
