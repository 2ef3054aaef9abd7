// The preamble the billing specs share (tariff history, the export check, reports): a set-up,
// logged-in administrator; billing set up on the first site (test/support/billing.ts
// settingsInput, monthly) with a 35 c/kWh (inc GST) tariff "Residents" applying to the whole
// site from 1 March 2020; lot 1 (Ana Lopez, with an invoice email and a card); and one session
// a simulated charger delivered on the 12th of last month, whose run is issued. The API session
// stays open for the spec's own seeding (close it when done).
import type { Page } from '@playwright/test';
import { expect, type AdminData, type MakeCharger } from './fixtures';
import type { ApiSession } from './api';
import { adminApi, firstSiteId } from './charger';
import { setUpAndLogIn } from './session';
import type { RunningServer } from '../support/server';
import { settingsInput } from '../../support/billing';

const MIN = 60_000;
const p2 = (n: number) => String(n).padStart(2, '0');
/** A UTC moment's date as yyyy-mm-dd. */
export const isoDate = (d: Date) =>
  `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`;

export interface BilledLastMonth {
  admin: AdminData;
  api: ApiSession;
  siteId: number;
  tariffId: number;
  accountId: number;
  /** When the session ended (UTC ms). */
  endedAt: number;
}

export async function billedLastMonth(
  page: Page,
  service: RunningServer,
  charger: MakeCharger,
  opts: {
    /** Meter samples in the session, each 10 minutes of charging (default 1). */
    samples?: number;
    /** More seeding before the run is issued (after it, prices of last month are frozen). */
    beforeIssue?: (api: ApiSession, siteId: number) => Promise<void>;
  } = {},
): Promise<BilledLastMonth> {
  const samples = opts.samples ?? 1;
  const admin = await setUpAndLogIn(page, service.httpUrl);
  const api = await adminApi(service, admin);
  const siteId = await firstSiteId(api);
  await api.call('billing-settings-update', settingsInput(siteId));
  const tariff = await api.call<{ id: number }>('tariff-create', {
    siteId,
    effectiveFrom: '2020-01-01',
    tariff: {
      name: 'Residents',
      pricesIncludeGst: true,
      components: [{ kind: 'perKwh', millicentsPerKwh: 35_000 }],
    },
  });
  await api.call('tariff-assign', {
    siteId,
    target: 'site',
    targetId: siteId,
    tariffId: tariff.id,
    effectiveFrom: '2020-03-01',
  });
  await api.call('station-create', {
    siteId,
    identity: 'SIM-BILLED',
    name: 'Bay 1',
    connectorCount: 1,
  });
  const lot = await api.call<{ id: number }>('account-create', {
    siteId,
    lotNumber: '1',
    ownerNames: 'Ana Lopez',
    invoiceEmails: ['ana@example.com'],
    openedAt: Date.UTC(2020, 0, 1),
  });
  await api.call('card-issue', { siteId, accountId: lot.id, number: 'C0FFEE01' });
  const now = new Date();
  let clock = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 12, 0);
  const sim = charger('SIM-BILLED', { phases: 1, now: () => clock });
  expect(await sim.start()).toBe('Accepted');
  await sim.startTransaction(1, 'C0FFEE01');
  for (let i = 0; i < samples; i++) {
    clock += 10 * MIN;
    sim.advanceMeter(1, 600);
    await sim.meterValues(1);
  }
  await sim.stopTransaction(1);
  await opts.beforeIssue?.(api, siteId);
  await api.call('invoice-run-issue', { siteId, date: isoDate(new Date(clock)) });
  return {
    admin,
    api,
    siteId,
    tariffId: tariff.id,
    accountId: lot.id,
    endedAt: clock,
  };
}
