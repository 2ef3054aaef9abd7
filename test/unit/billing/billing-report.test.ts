// Billing reports through the real dispatcher: revenue of the issued run per period, energy
// delivered by the chargers vs billed (a session without an account is delivered, not billed)
// vs a car-park meter's readings, and the margin at a flat cost and by a time-of-use cost
// tariff. Every expected figure is worked out here from the sessions' kWh and the prices.
import { describe, expect, it } from 'vitest';
import { makeCore } from '../../support/make-core';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  aSite,
  aStation,
  loginAs,
  setupAdmin,
} from '../../support/factories';
import { settingsInput } from '../../support/billing';
import { aBilledSession } from '../../support/billing-sessions';

/** A local Sydney time in March 2026 (UTC+11). */
const march = (d: number, h: number) => Date.UTC(2026, 2, d, h - 11, 0);
const halfUp = (num: number, den: number) => Math.floor((2 * num + den) / (2 * den));

describe('billing reports', () => {
  it('shows revenue, delivered vs billed vs metered energy and the margin per period', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    const siteId = site.id;
    await t.ok(admin, 'billing-settings-update', settingsInput(siteId));
    const station = await t.ok(admin, 'station-create', aStation(siteId));
    const tariff = await t.ok(admin, 'tariff-create', {
      siteId,
      effectiveFrom: '2025-01-01',
      tariff: {
        name: 'Residents',
        pricesIncludeGst: false,
        components: [{ kind: 'perKwh', millicentsPerKwh: 30_000 }],
      },
    });
    await t.ok(admin, 'tariff-assign', {
      siteId,
      target: 'site',
      targetId: siteId,
      tariffId: tariff.id,
    });
    // The building's supply: peak 07:00–22:00 at 40 c, off-peak at 15 c (ex GST), every day.
    const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
    const grid = await t.ok(admin, 'tariff-create', {
      siteId,
      effectiveFrom: '2025-01-01',
      tariff: {
        name: 'Grid supply',
        pricesIncludeGst: false,
        components: [
          {
            kind: 'timeOfUse',
            bands: [
              {
                name: 'Peak',
                days: [...days],
                from: '07:00',
                to: '22:00',
                millicentsPerKwh: 40_000,
              },
              {
                name: 'Off-peak',
                days: [...days],
                from: '22:00',
                to: '07:00',
                millicentsPerKwh: 15_000,
              },
            ],
            holidays: [],
            holidayAs: 'sun',
          },
        ],
      },
    });
    const account = await t.ok(admin, 'account-create', {
      siteId,
      lotNumber: '2',
      ownerNames: 'Robin Owner',
      openedAt: Date.UTC(2025, 0, 1),
    });
    // 21:00–23:00, 10 kWh, half of it (by the sample at 22:00) in each band.
    aBilledSession(t, station, account.id, march(10, 21), 10_000, { minutes: 120 });
    // 10:00–11:00, 5 kWh, peak.
    aBilledSession(t, station, account.id, march(12, 10), 5_000);
    // 02:00–03:00, 4 kWh, off-peak, no account: delivered, held, not billed.
    aBilledSession(t, station, null, march(14, 2), 4_000);
    // April, 2 kWh: its period is not issued.
    aBilledSession(t, station, account.id, Date.UTC(2026, 3, 3, 0), 2_000);

    t.clock.set(Date.UTC(2026, 3, 5));
    await t.ok(admin, 'session-login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    await t.ok(admin, 'invoice-run-issue', { siteId, date: '2026-03-15' });

    const revenueEx = halfUp(15_000 * 30, 1000); // one invoice, 15 kWh at 30 c
    const gst = halfUp(revenueEx, 10);
    const flat = await t.ok(admin, 'billing-report', {
      siteId,
      from: '2026-03-01',
      to: '2026-04-30',
      cost: { kind: 'flat', millicentsPerKwh: 20_000 },
      buildingMeter: { openingWh: 1_000_000, closingWh: 1_022_500 },
    });
    expect(flat.periods.map((p) => p.label)).toEqual(['March 2026', 'April 2026']);
    const [mar, apr] = flat.periods;
    expect(mar).toMatchObject({
      invoices: 1,
      exGstCents: revenueEx,
      gstCents: gst,
      incGstCents: revenueEx + gst,
      deliveredWh: 19_000,
      billedWh: 15_000,
      unbilledWh: 4_000,
      unbilledSessions: 1,
      costCents: (19_000 * 20) / 1000,
      marginCents: revenueEx - (19_000 * 20) / 1000,
    });
    expect(apr).toMatchObject({
      runId: null,
      invoices: 0,
      exGstCents: 0,
      deliveredWh: 2_000,
      billedWh: 0,
      unbilledWh: 2_000,
      costCents: 40,
      marginCents: -40,
    });
    expect(flat.totals).toMatchObject({ deliveredWh: 21_000, billedWh: 15_000, costCents: 420 });
    expect(flat.buildingMeter).toEqual({
      measuredWh: 22_500,
      deliveredWh: 21_000,
      lossesWh: 1_500,
    });

    // By the time-of-use cost: 5 kWh peak + 5 off-peak, 5 peak, 4 off-peak.
    const tou = await t.ok(admin, 'billing-report', {
      siteId,
      from: '2026-03-01',
      to: '2026-03-31',
      cost: { kind: 'tariff', tariffId: grid.id },
      buildingMeter: null,
    });
    const cost = 5 * 40 + 5 * 15 + 5 * 40 + 4 * 15;
    expect(tou.periods[0]).toMatchObject({ costCents: cost, marginCents: revenueEx - cost });

    // Bad input in words naming the field; another site's manager is refused.
    const backwards = await t.fail(admin, 'billing-report', {
      siteId,
      from: '2026-03-01',
      to: '2026-03-31',
      cost: { kind: 'none' },
      buildingMeter: { openingWh: 5_000, closingWh: 4_000 },
    });
    expect(backwards).toMatchObject({ code: 'validation', field: 'buildingMeter.closingWh' });
    const other = await t.ok(admin, 'site-create', aSite());
    const { conn: otherAdmin } = await loginAs(t, admin, 'site_admin', [other.id]);
    const refused = await t.fail(otherAdmin, 'billing-report', {
      siteId,
      from: '2026-03-01',
      to: '2026-03-31',
      cost: { kind: 'none' },
      buildingMeter: null,
    });
    expect(refused.code).toBe('forbidden');
  });
});
