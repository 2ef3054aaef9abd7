// A site changes its billing cycle after runs were issued: no month may be billed twice (the
// monthly fee) or silently skipped.
import { describe, expect, it } from 'vitest';
import { ocppCore, type OcppTest } from '../ocpp/helpers';
import { aBilledSession } from '../support/billing-sessions';
import { billedSite, settingsInput } from '../support/billing';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/factories';

const noon = (month: number, day: number) => Date.UTC(2026, month - 1, day, 2, 0);

async function site(o: OcppTest, cycle: 'monthly' | 'quarterly') {
  const { t, admin, siteId } = o;
  await billedSite(t, admin, siteId, {
    settings: { cycle },
    tariff: {
      name: 'Energy and access',
      components: [
        { kind: 'perKwh', millicentsPerKwh: 30_000 },
        { kind: 'monthlyFee', cents: 1_000, per: 'account' },
      ],
    },
  });
  const lot = await t.ok(admin, 'account-create', {
    siteId,
    lotNumber: '1',
    ownerNames: 'Owner 1',
    openedAt: Date.UTC(2025, 0, 1),
  });
  return { lot, station: await o.station() };
}

async function at(o: OcppTest, ms: number) {
  o.t.clock.set(ms);
  await o.t.ok(o.admin, 'session-login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
}

describe('a change of billing cycle after runs were issued', () => {
  it('monthly → quarterly: the quarter overlapping January is refused, not taken for January', async () => {
    const o = await ocppCore();
    const { t, admin, siteId } = o;
    const { lot, station } = await site(o, 'monthly');
    for (const month of [1, 2, 3]) aBilledSession(t, station, lot.id, noon(month, 10), 5_000);
    await at(o, noon(2, 2));
    await t.ok(admin, 'invoice-run-issue', { siteId, date: '2026-01-15' });
    await t.ok(admin, 'billing-settings-update', { ...settingsInput(siteId), cycle: 'quarterly' });
    await at(o, noon(4, 2));
    // Before: "already issued" (January's run) and February and March never invoiced.
    const preview = await t.ok(admin, 'invoice-run-preview', { siteId, date: '2026-03-15' });
    expect(preview.blockers.join(' ')).toMatch(
      /overlaps the run issued for 01\/01\/2026–31\/01\/2026/,
    );
    const refused = await t.fail(admin, 'invoice-run-issue', { siteId, date: '2026-03-15' });
    expect(refused.code).toBe('conflict');
    expect(refused.message).toMatch(/overlaps the run issued for 01\/01\/2026–31\/01\/2026/);
    expect(refused.message).toMatch(/starts on 01\/02\/2026/);
    expect(await t.ok(admin, 'invoice-list', { siteId })).toHaveLength(1);
    // Back to monthly for February and March: each month's fee and energy billed once.
    await t.ok(admin, 'billing-settings-update', { ...settingsInput(siteId), cycle: 'monthly' });
    await t.ok(admin, 'invoice-run-issue', { siteId, date: '2026-02-15' });
    await t.ok(admin, 'invoice-run-issue', { siteId, date: '2026-03-15' });
    const list = await t.ok(admin, 'invoice-list', { siteId });
    // 5 kWh at 30 c + the $10 fee, ex GST, each month.
    expect(list.map((i) => i.totals.exGstCents)).toEqual([1_150, 1_150, 1_150]);
  });

  it('quarterly → monthly: February, inside the issued quarter, is not billed again', async () => {
    const o = await ocppCore();
    const { t, admin, siteId } = o;
    const { lot, station } = await site(o, 'quarterly');
    aBilledSession(t, station, lot.id, noon(2, 10), 5_000);
    await at(o, noon(4, 2));
    await t.ok(admin, 'invoice-run-issue', { siteId, date: '2026-03-15' });
    await t.ok(admin, 'billing-settings-update', { ...settingsInput(siteId), cycle: 'monthly' });
    // Before: a second February fee ($10 + GST) on a new invoice.
    const refused = await t.fail(admin, 'invoice-run-issue', { siteId, date: '2026-02-15' });
    expect(refused.message).toMatch(/overlaps the run issued for 01\/01\/2026–31\/03\/2026/);
    expect(await t.ok(admin, 'invoice-list', { siteId })).toHaveLength(1);
    // April, after the quarter, issues as a month.
    aBilledSession(t, station, lot.id, noon(4, 10), 5_000);
    await at(o, noon(5, 2));
    const april = await t.ok(admin, 'invoice-run-issue', { siteId, date: '2026-04-15' });
    expect(april).toMatchObject({ alreadyIssued: false, invoices: 1 });
    expect(april.totals.exGstCents).toBe(1_150);
  });
});
