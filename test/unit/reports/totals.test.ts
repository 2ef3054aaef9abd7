// Totals for a period, grouped in the site's time zone: sessions from a real simulated charger
// either side of Sydney's daylight-saving changes land on the local day (and hour) they started
// on, and a site administrator's totals hold only their site.
import { describe, expect, it } from 'vitest';
import { ocppCore } from '../../ocpp/helpers';
import { ADMIN_EMAIL, ADMIN_PASSWORD, aSite, aStation, loginAs } from '../../support/factories';

describe('report totals', () => {
  it('puts sessions on the right local day and hour across Sydney’s DST changes', async () => {
    const o = await ocppCore();
    const { identity } = await o.station({ name: 'Bay 7' });
    const sim = o.sim(identity);
    await sim.start();
    const account = await o.t.ok(o.admin, 'account-create', {
      siteId: o.siteId,
      lotNumber: '9',
      unitNumber: '901',
      ownerNames: 'Nina Park',
    });
    const card = await o.t.ok(o.admin, 'card-issue', {
      siteId: o.siteId,
      accountId: account.id,
      number: '09090909',
      label: 'Nina’s card',
    });
    /** A 30-minute session starting at `at` (UTC), delivering `minutes` at the charger's rate. */
    const session = async (at: string) => {
      o.t.clock.set(Date.parse(at));
      await sim.startTransaction(1, card.idTag);
      o.t.clock.set(Date.parse(at) + 30 * 60_000);
      sim.advanceMeter(1, 30 * 60);
      await sim.stopTransaction(1);
    };
    // Daylight saving ends 2026-04-05 03:00 AEDT (+11) → 02:00 AEST (+10), 16:00 UTC on the 4th.
    await session('2026-04-04T12:30:00Z'); // Sat 4 Apr 23:30 AEDT
    await session('2026-04-04T13:30:00Z'); // Sun 5 Apr 00:30 AEDT (UTC+10 would say the 4th)
    await session('2026-04-05T13:30:00Z'); // Sun 5 Apr 23:30 AEST (UTC+11 would say the 6th)
    await session('2026-04-05T14:30:00Z'); // Mon 6 Apr 00:30 AEST
    // Daylight saving starts 2026-10-04 02:00 AEST → 03:00 AEDT, 16:00 UTC on the 3rd.
    await session('2026-10-03T13:30:00Z'); // Sat 3 Oct 23:30 AEST
    await session('2026-10-04T13:30:00Z'); // Mon 5 Oct 00:30 AEDT (UTC+10 would say the 4th)
    const perSession = 32 * 230 * 3 * 0.5; // Wh in 30 min at 32 A, three phases
    // Months went by: the morning's login has expired.
    const admin = o.t.conn();
    await o.t.ok(admin, 'session-login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });

    const april = await o.t.ok(admin, 'report-totals', { from: '2026-04-01', to: '2026-04-10' });
    expect(april.timeZone).toBe('Australia/Sydney');
    const days = (r: typeof april) =>
      Object.fromEntries(r.byDay.filter((d) => d.sessions > 0).map((d) => [d.date, d.sessions]));
    expect(days(april)).toEqual({ '2026-04-04': 1, '2026-04-05': 2, '2026-04-06': 1 });
    expect(april.byDay).toHaveLength(10);
    expect(april.byDay.find((d) => d.date === '2026-04-05')?.energyWh).toBe(2 * perSession);
    expect(april.byHour.filter((h) => h.sessions > 0)).toEqual([
      { hour: 0, sessions: 2, energyWh: 2 * perSession },
      { hour: 23, sessions: 2, energyWh: 2 * perSession },
    ]);
    // Saturday 1, Sunday 2, Monday 1.
    expect(april.byWeekday.map((w) => w.sessions)).toEqual([1, 0, 0, 0, 0, 1, 2]);
    expect(april.byWeek.map((w) => [w.date, w.sessions])).toEqual([
      ['2026-03-30', 3],
      ['2026-04-06', 1],
    ]);
    expect(april.byMonth).toEqual([{ month: '2026-04', sessions: 4, energyWh: 4 * perSession }]);
    expect(april.total).toMatchObject({ sessions: 4, energyWh: 4 * perSession, connectors: 1 });
    expect(april.total.occupiedMs).toBe(4 * 30 * 60_000);
    expect(april.total.occupancy).toBeCloseTo((2 * 3_600_000) / (april.to - april.from), 9);
    expect(april.byStation).toEqual([
      expect.objectContaining({ name: 'Bay 7', sessions: 4, energyWh: 4 * perSession }),
    ]);
    expect(april.byAccount).toEqual([
      {
        accountId: account.id,
        name: 'Lot 9 (unit 901) — Nina Park',
        sessions: 4,
        energyWh: 4 * perSession,
      },
    ]);
    expect(april.byCard).toEqual([
      expect.objectContaining({
        cardId: card.id,
        idTag: '09090909',
        label: 'Nina’s card',
        sessions: 4,
      }),
    ]);

    // One local day: its bounds are Sydney's midnights (the day after the change has 25 hours).
    const sunday = await o.t.ok(admin, 'report-totals', { from: '2026-04-05', to: '2026-04-05' });
    expect(sunday.total.sessions).toBe(2);
    expect(sunday.to - sunday.from).toBe(25 * 3_600_000);

    const october = await o.t.ok(admin, 'report-totals', {
      from: '2026-10-01',
      to: '2026-10-10',
    });
    expect(days(october)).toEqual({ '2026-10-03': 1, '2026-10-05': 1 });
  });

  it('refuses a reversed or unreal period, naming the field', async () => {
    const o = await ocppCore();
    const reversed = await o.t.fail(o.admin, 'report-totals', {
      from: '2026-04-10',
      to: '2026-04-01',
    });
    expect(reversed).toMatchObject({ code: 'validation', field: 'to' });
    const unreal = await o.t.fail(o.admin, 'report-totals', {
      from: '2026-02-30',
      to: '2026-03-01',
    });
    expect(unreal).toMatchObject({ code: 'validation', field: 'from' });
    const format = await o.t.fail(o.admin, 'report-totals', { from: '1/4/2026', to: '2026-04-01' });
    expect(format).toMatchObject({ code: 'validation' });
    expect(format.message).toContain('YYYY-MM-DD');
  });

  it('gives a site administrator the totals of their own sites only', async () => {
    const o = await ocppCore();
    const siteB = await o.t.ok(o.admin, 'site-create', aSite({ name: 'Other Building' }));
    await o.t.ok(o.admin, 'station-create', aStation(siteB.id));
    const { conn } = await loginAs(o.t, o.admin, 'site_admin', [siteB.id]);
    const period = { from: '2026-03-01', to: '2026-03-31' };
    const mine = await o.t.ok(conn, 'report-totals', period);
    expect(mine.sites.map((s) => s.name)).toEqual(['Other Building']);
    expect(mine.total.connectors).toBe(1);
    const e = await o.t.fail(conn, 'report-totals', { ...period, siteId: o.siteId });
    expect(e.code).toBe('forbidden');
    // The administrator sees both.
    const all = await o.t.ok(o.admin, 'report-totals', period);
    expect(all.sites).toHaveLength(2);
  });
});
