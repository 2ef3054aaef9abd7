// Billing test data: a site's billing settings with a valid ABN and every payment option.
import type { Connection } from '../../src-main/api/context';
import type { MethodInput } from '../../src-shared/api/contract';
import type { TestCore } from './make-core';

export const settingsInput = (siteId: number): MethodInput<'billing-settings-update'> => ({
  siteId,
  cycle: 'monthly',
  periodEndDay: 0,
  quarterEndMonth: 3,
  dueDays: 14,
  issuerName: 'Harbour Strata Management',
  issuerAbn: '51 824 753 556',
  issuerAddress: 'Level 3, 1 George St, Sydney NSW 2000',
  gstRegistered: true,
  numberFormat: 'EV-{seq:5}',
  bsb: '062-000',
  bankAccountNumber: '12345678',
  bankAccountName: 'Harbour View Owners Corp',
  bpayBillerCode: '123456',
  deftEnabled: false,
  strataPayEnabled: false,
  contactEmail: 'accounts@harbour.example',
  contactPhone: '02 9000 0000',
  footerText: 'Harbour Strata Management — questions about this invoice: 02 9000 0000',
  primaryColour: '#1c4e80',
  accentColour: '#0091d5',
});

type SiteTariff = Pick<MethodInput<'tariff-create'>['tariff'], 'name' | 'components'>;

/** The default site-wide tariff: 30 c/kWh and a $10 monthly fee per account, prices ex GST. */
const ACCESS_FEE: SiteTariff = {
  name: 'Access fee',
  components: [
    { kind: 'perKwh', millicentsPerKwh: 30_000 },
    { kind: 'monthlyFee', cents: 1_000, per: 'account' },
  ],
};

/**
 * Sets the site up for billing (settingsInput, with `settings` over it) and applies one tariff
 * site-wide, in force since 2025, prices ex GST: by default the "Access fee" above.
 */
export async function billedSite(
  t: TestCore,
  admin: Connection,
  siteId: number,
  options: { settings?: Partial<MethodInput<'billing-settings-update'>>; tariff?: SiteTariff } = {},
): Promise<void> {
  await t.ok(admin, 'billing-settings-update', { ...settingsInput(siteId), ...options.settings });
  const tariff = await t.ok(admin, 'tariff-create', {
    siteId,
    effectiveFrom: '2025-01-01',
    tariff: { ...(options.tariff ?? ACCESS_FEE), pricesIncludeGst: false },
  });
  await t.ok(admin, 'tariff-assign', {
    siteId,
    target: 'site',
    targetId: siteId,
    tariffId: tariff.id,
  });
}
