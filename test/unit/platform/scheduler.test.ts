// The scheduler on a real core (real SQLite file) with ManualClock: calendar jobs in Sydney
// across both daylight saving changes, a restart on the same data directory, a throwing job.
import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { makeCore } from '../../support/make-core';
import { ManualClock } from '../../../src-main/platform/clock';
import type { JobSpec } from '../../../src-main/platform/scheduler';

const SYD = 'Australia/Sydney';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const sydney = (iso: string) => DateTime.fromISO(iso, { zone: SYD }).toMillis();
const local = (t: number) => DateTime.fromMillis(t, { zone: SYD }).toFormat('yyyy-MM-dd HH:mm ZZ');

/** A job that records the local time it ran at (the clock during its run). */
function recorder(clock: ManualClock, spec: Omit<JobSpec, 'run' | 'missed'> & Partial<JobSpec>) {
  const runs: string[] = [];
  const job: JobSpec = {
    missed: 'catch-up',
    ...spec,
    run: () => {
      runs.push(local(clock.now()));
    },
  };
  return { job, runs };
}

describe('scheduler: calendar times in a site time zone', () => {
  it('runs a 02:30 job once at 03:00 on the October spring-forward day in Sydney', async () => {
    const clock = new ManualClock(sydney('2026-10-03T12:00'));
    const t = await makeCore({ clock });
    const { job, runs } = recorder(clock, {
      name: 'nightly',
      schedule: { daily: '02:30', zone: SYD },
    });
    t.core.services.scheduler.add(job);
    await clock.advance(3 * DAY);
    // 2026-10-04 02:00 AEST jumps to 03:00 AEDT: 02:30 never happens that night.
    expect(runs).toEqual([
      '2026-10-04 03:00 +11:00',
      '2026-10-05 02:30 +11:00',
      '2026-10-06 02:30 +11:00',
    ]);
  });

  it('runs a 02:30 job once on the April fall-back day, when 02:30 happens twice', async () => {
    const clock = new ManualClock(sydney('2026-04-04T12:00'));
    const t = await makeCore({ clock });
    const { job, runs } = recorder(clock, {
      name: 'nightly',
      schedule: { daily: '02:30', zone: SYD },
    });
    t.core.services.scheduler.add(job);
    await clock.advance(3 * DAY);
    // 2026-04-05 03:00 AEDT goes back to 02:00 AEST: it runs at the first 02:30 only.
    expect(runs).toEqual([
      '2026-04-05 02:30 +11:00',
      '2026-04-06 02:30 +10:00',
      '2026-04-07 02:30 +10:00',
    ]);
  });

  it('keeps 02:00 local across both changes and runs monthly jobs on the first at 06:00', async () => {
    const clock = new ManualClock(sydney('2026-03-15T12:00'));
    const t = await makeCore({ clock });
    const daily = recorder(clock, { name: 'backup', schedule: { daily: '02:00', zone: SYD } });
    const monthly = recorder(clock, {
      name: 'invoices',
      schedule: { monthly: { day: 1, at: '06:00' }, zone: SYD },
    });
    t.core.services.scheduler.add(daily.job);
    t.core.services.scheduler.add(monthly.job);
    await clock.advance(sydney('2026-11-15T12:00') - clock.now());
    // April 1st is still daylight time (+11), May to September standard (+10), November +11.
    expect(monthly.runs).toEqual([
      '2026-04-01 06:00 +11:00',
      ...['05', '06', '07', '08', '09', '10'].map((m) => `2026-${m}-01 06:00 +10:00`),
      '2026-11-01 06:00 +11:00',
    ]);
    // One run a day, every day, at 02:00 local (03:00 on the day 02:00 does not exist).
    expect(daily.runs).toHaveLength(245);
    expect(new Set(daily.runs.map((r) => r.slice(0, 10))).size).toBe(245);
    expect(daily.runs.filter((r) => !r.includes(' 02:00 '))).toEqual(['2026-10-04 03:00 +11:00']);
  });

  it('runs interval jobs every period from the previous slot', async () => {
    const t = await makeCore();
    const { job, runs } = recorder(t.clock, { name: 'sweep', schedule: { every: 15 * 60_000 } });
    t.core.services.scheduler.add(job);
    await t.clock.advance(HOUR);
    expect(runs).toHaveLength(4);
  });

  it('refuses a schedule it cannot follow, naming the problem', async () => {
    const t = await makeCore();
    const add = (schedule: JobSpec['schedule']) =>
      t.core.services.scheduler.add({ name: 'x', schedule, missed: 'skip', run: () => {} });
    expect(() => add({ daily: '2:00', zone: SYD })).toThrow(/HH:MM/);
    expect(() => add({ daily: '02:00', zone: 'Australia/Gotham' })).toThrow(/time zone/);
    expect(() => add({ monthly: { day: 0, at: '06:00' }, zone: SYD })).toThrow(/1 to 31/);
  });
});

describe('scheduler: restarts', () => {
  it('does not run again after a restart, and runs missed slots once (or skips them) per job', async () => {
    const clock = new ManualClock(sydney('2026-05-10T12:00'));
    const t = await makeCore({ clock });
    const catchUp = recorder(clock, { name: 'backup', schedule: { daily: '02:00', zone: SYD } });
    const skip = recorder(clock, {
      name: 'report',
      schedule: { daily: '02:00', zone: SYD },
      missed: 'skip',
    });
    const register = () => {
      t.core.services.scheduler.add(catchUp.job);
      t.core.services.scheduler.add(skip.job);
    };
    register();
    await clock.advance(sydney('2026-05-11T02:01') - clock.now());
    expect(catchUp.runs).toEqual(['2026-05-11 02:00 +10:00']);
    expect(skip.runs).toEqual(['2026-05-11 02:00 +10:00']);

    // A restart a minute after the run: the run is remembered, nothing runs again.
    await t.restart();
    register();
    await clock.advance(0);
    await clock.advance(HOUR);
    expect(catchUp.runs).toHaveLength(1);
    expect(skip.runs).toHaveLength(1);

    // Closed for three nights: the catch-up job runs once at start-up, the other waits.
    await t.core.close();
    clock.set(sydney('2026-05-14T09:00'));
    await t.restart();
    register();
    await clock.advance(0);
    expect(catchUp.runs).toEqual(['2026-05-11 02:00 +10:00', '2026-05-14 09:00 +10:00']);
    expect(skip.runs).toEqual(['2026-05-11 02:00 +10:00']);
    expect(t.logger.entries.map((e) => e.msg)).toContain(
      'scheduled job skipped: its time passed while the app was not running',
    );

    // Both are back on their schedule the next night, once each.
    await clock.advance(sydney('2026-05-15T12:00') - clock.now());
    expect(catchUp.runs.slice(2)).toEqual(['2026-05-15 02:00 +10:00']);
    expect(skip.runs.slice(1)).toEqual(['2026-05-15 02:00 +10:00']);
  });
});

describe('scheduler: a job that throws', () => {
  it('is logged with its name and retried at its next time, other jobs unaffected', async () => {
    const clock = new ManualClock(sydney('2026-06-01T12:00'));
    const t = await makeCore({ clock });
    let attempts = 0;
    t.core.services.scheduler.add({
      name: 'flaky',
      schedule: { daily: '02:00', zone: SYD },
      missed: 'catch-up',
      run: async () => {
        attempts++;
        await Promise.resolve();
        if (attempts < 3) throw new Error(`disk full (${attempts})`);
      },
    });
    const healthy = recorder(clock, { name: 'healthy', schedule: { daily: '02:00', zone: SYD } });
    t.core.services.scheduler.add(healthy.job);

    await clock.advance(2 * DAY);
    expect(attempts).toBe(2);
    expect(healthy.runs).toHaveLength(2);
    const failures = t.logger.entries.filter((e) => e.msg === 'scheduled job failed');
    expect(failures.map((e) => e.fields.job)).toEqual(['flaky', 'flaky']);
    expect(t.core.services.scheduler.list().find((j) => j.name === 'flaky')?.lastError).toBe(
      'disk full (2)',
    );

    await clock.advance(DAY);
    expect(attempts).toBe(3);
    expect(t.core.services.scheduler.list().find((j) => j.name === 'flaky')?.lastError).toBeNull();
    expect(healthy.runs).toHaveLength(3);
  });
});
