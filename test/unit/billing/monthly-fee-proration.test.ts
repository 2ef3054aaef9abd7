// A fixed monthly fee (per account, per private bay) when a lot changes owner mid-period: each
// owner pays fee × days owned / days in the month, month by month, in the site's zone (Sydney),
// rounded once per line half up. Expected figures are worked out here from the calendar by hand
// (March has 31 days, February 2026 28), not by the code under test.
import { describe, expect, it } from 'vitest';
import { makeCore } from '../../support/make-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, aStation, setupAdmin } from '../../support/factories';
import { settingsInput } from '../../support/billing';

/** Half up to the cent of num / den (positive amounts). */
const halfUp = (num: number, den: number) => Math.floor((2 * num + den) / (2 * den));
/** 00:00 on a local date in Sydney (UTC+11 in summer). */
const sydneyMidnight = (month: number, day: number) => Date.UTC(2026, month - 1, day, -11);

async function lotWithBay(cycle: 'monthly' | 'quarterly') {
  const t = await makeCore();
  const { admin, site } = await setupAdmin(t);
  const siteId = site.id;
  await t.ok(admin, 'billing-settings-update', { ...settingsInput(siteId), cycle });
  await t.ok(admin, 'station-create', aStation(siteId));
  const tariff = await t.ok(admin, 'tariff-create', {
    siteId,
    effectiveFrom: '2025-01-01',
    tariff: {
      name: 'Fees',
      // $22.00 inc GST a bay is $20.00 ex GST; the account fee is entered the same way.
      pricesIncludeGst: true,
      components: [
        { kind: 'perKwh', millicentsPerKwh: 33_000 },
        { kind: 'monthlyFee', cents: 1_650, per: 'account' },
        { kind: 'monthlyFee', cents: 2_200, per: 'bay' },
      ],
    },
  });
  await t.ok(admin, 'tariff-assign', {
    siteId,
    target: 'site',
    targetId: siteId,
    tariffId: tariff.id,
  });
  const seller = await t.ok(admin, 'account-create', {
    siteId,
    lotNumber: '4',
    ownerNames: 'Sam Seller',
    openedAt: Date.UTC(2025, 0, 1),
  });
  const [connector] = await t.ok(admin, 'bay-list', { siteId });
  await t.ok(admin, 'bay-set', {
    connectorId: connector?.connectorId ?? 0,
    kind: 'private',
    accountId: seller.id,
    label: 'B4',
  });
  return { t, admin, siteId, seller };
}

describe('monthly fees at a change of owner', () => {
  it('splits March’s fees by the days each owner held the lot', async () => {
    const { t, admin, siteId, seller } = await lotWithBay('monthly');
    // Settlement on 15 March: the seller owns 1–14 March, the buyer 15–31 March.
    const { opened: buyer } = await t.ok(admin, 'account-change-owner', {
      id: seller.id,
      at: sydneyMidnight(3, 15),
      ownerNames: 'Bea Buyer',
    });
    t.clock.set(Date.UTC(2026, 3, 2));
    await t.ok(admin, 'session-login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    const preview = await t.ok(admin, 'invoice-run-preview', { siteId, date: '2026-03-10' });
    const fees = (id: number) =>
      preview.accounts.find((a) => a.accountId === id)?.fees.map((f) => f.amountExGstCents);
    // ex GST: $16.50 inc = 1500 c; $22.00 inc = 2000 c. Per account then per bay.
    expect(fees(seller.id)).toEqual([halfUp(1500 * 14, 31), halfUp(2000 * 14, 31)]);
    expect(fees(buyer.id)).toEqual([halfUp(1500 * 17, 31), halfUp(2000 * 17, 31)]);
    const sellerFee = preview.accounts.find((a) => a.accountId === seller.id)?.fees[0];
    expect(sellerFee?.description).toBe(
      'Monthly access fee (per account), 14 days owned — March 2026',
    );
    expect(sellerFee?.explanation).toBe(
      '$16.50 × (14/31 days of March 2026) (price inc GST; ex GST = × 10/11) = $6.77 ex GST',
    );
    // The buyer's bay fee: the bay is the lot's, so it follows the sale.
    expect(preview.accounts.find((a) => a.accountId === buyer.id)?.fees[1]?.description).toBe(
      'Monthly bay fee (B4), 17 days owned — March 2026',
    );
  });

  it('prorates month by month over a quarter, and charges a whole quarter in full', async () => {
    const { t, admin, siteId, seller } = await lotWithBay('quarterly');
    const other = await t.ok(admin, 'account-create', {
      siteId,
      lotNumber: '9',
      ownerNames: 'Whole Quarter',
      openedAt: Date.UTC(2025, 0, 1),
    });
    // Settlement on 10 February: seller January + 1–9 February, buyer 10–28 February + March.
    const { opened: buyer } = await t.ok(admin, 'account-change-owner', {
      id: seller.id,
      at: sydneyMidnight(2, 10),
      ownerNames: 'Bea Buyer',
    });
    t.clock.set(Date.UTC(2026, 3, 2));
    await t.ok(admin, 'session-login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    const preview = await t.ok(admin, 'invoice-run-preview', { siteId, date: '2026-02-10' });
    const fees = (id: number) =>
      preview.accounts.find((a) => a.accountId === id)?.fees.map((f) => f.amountExGstCents);
    // Σ owned/days as one fraction over 31 × 28 × 31, rounded once.
    const share = (fee: number, jan: number, feb: number, mar: number) =>
      halfUp(fee * (jan * 28 * 31 + feb * 31 * 31 + mar * 31 * 28), 31 * 28 * 31);
    expect(fees(seller.id)).toEqual([share(1500, 31, 9, 0), share(2000, 31, 9, 0)]);
    expect(fees(buyer.id)).toEqual([share(1500, 0, 19, 31), share(2000, 0, 19, 31)]);
    expect(fees(other.id)).toEqual([4500]);
    expect(preview.accounts.find((a) => a.accountId === other.id)?.fees[0]?.explanation).toBe(
      '3 × $16.50 (price inc GST; ex GST = × 10/11) = $45.00 ex GST',
    );
  });
});
