// Tariff assignments with effective dates (issue 13): the table shows from when each assignment
// applies (en-AU); a change dated from a day the manager types (dd/mm/yyyy) becomes what applies
// now and the one it replaced stays in the history; a date inside an invoiced period is refused in
// words on the date field. The Reports tab's date boxes read dd/mm/yyyy too.
import { test, expect, shot } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { adminApi, firstSiteId } from './pages/charger';
import { BillingPage } from './pages/billing-page';
import { settingsInput } from '../support/billing';

const MIN = 60_000;
const p2 = (n: number) => String(n).padStart(2, '0');
const iso = (d: Date) => `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`;

test('a dated change of tariff shows its date, keeps the old one in the history, and cannot reach into an invoiced month', async ({
  page,
  service,
  charger,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1400, height: 1000 });
  const admin = await setUpAndLogIn(page, service.httpUrl);
  const api = await adminApi(service, admin);
  const siteId = await firstSiteId(api);
  await api.call('billing-settings-update', settingsInput(siteId));
  const create = (name: string, millicentsPerKwh: number) =>
    api.call<{ id: number }>('tariff-create', {
      siteId,
      effectiveFrom: '2020-01-01',
      tariff: { name, pricesIncludeGst: true, components: [{ kind: 'perKwh', millicentsPerKwh }] },
    });
  const residents = await create('Residents', 35_000);
  await create('Residents 2027', 40_000);
  await api.call('tariff-assign', {
    siteId,
    target: 'site',
    targetId: siteId,
    tariffId: residents.id,
    effectiveFrom: '2020-03-01',
  });
  // Last month invoiced: one session on its 12th, the run issued.
  await api.call('station-create', { siteId, identity: 'SIM-T', name: 'Bay 1', connectorCount: 1 });
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
  const sim = charger('SIM-T', { phases: 1, now: () => clock });
  expect(await sim.start()).toBe('Accepted');
  await sim.startTransaction(1, 'C0FFEE01');
  clock += 10 * MIN;
  sim.advanceMeter(1, 600);
  await sim.meterValues(1);
  await sim.stopTransaction(1);
  await api.call('invoice-run-issue', { siteId, date: iso(new Date(clock)) });
  api.close();

  const billing = new BillingPage(page);
  await billing.open(service.httpUrl);
  await billing.tab('Tariffs').click();
  const table = page.getByRole('table', { name: 'Tariff assignments' });
  const siteRow = table.getByRole('row', { name: /The whole site Residents 01\/03\/2020 now/ });
  await expect(siteRow).toBeVisible();

  const card = page.locator('.mantine-Card-root', { has: table });
  await card.getByRole('combobox', { name: 'Tariff' }).click();
  await page.getByRole('option', { name: 'Residents 2027' }).click();
  const from = card.getByRole('textbox', { name: 'Takes effect from' });
  await expect(card.getByText('Empty: from the first day not yet invoiced')).toBeVisible();

  // Inside last month, which is invoiced: refused on the field, in words; nothing changes.
  await from.fill(
    `15/${p2(((now.getUTCMonth() + 11) % 12) + 1)}/${now.getUTCMonth() === 0 ? now.getUTCFullYear() - 1 : now.getUTCFullYear()}`,
  );
  await from.press('Enter');
  await billing.applyToSite();
  await expect(
    card.getByText(
      /^Invoices up to \d\d\/\d\d\/\d{4} are issued; a change of tariff can take effect from the day after/,
    ),
  ).toBeVisible();
  await expect(siteRow).toBeVisible();
  await shot(page, 'tariff-history-refused');

  // From the 1st of this month (not invoiced): applies now; the old one is superseded.
  const first = `01/${p2(now.getUTCMonth() + 1)}/${now.getUTCFullYear()}`;
  await from.fill(first);
  await from.press('Enter');
  await billing.applyToSite();
  await expect(page.getByText('Tariff applied')).toBeVisible();
  await expect(
    table.getByRole('row', { name: `The whole site Residents 2027 ${first} now` }),
  ).toBeVisible();
  await expect(siteRow).toBeHidden();
  await card.getByRole('switch', { name: 'Show superseded (1)' }).check();
  await expect(
    table.getByRole('row', { name: 'The whole site Residents 01/03/2020 superseded' }),
  ).toBeVisible();
  await shot(page, 'tariff-history');

  // Reports: the date boxes read en-AU.
  await page.getByRole('tab', { name: 'Reports' }).click();
  // The default range starts on 1 January of last month's year.
  const lastMonth = new Date(now.getFullYear(), now.getMonth(), 0);
  await expect(page.getByRole('textbox', { name: 'From' })).toHaveValue(
    `01/01/${lastMonth.getFullYear()}`,
  );
  await shot(page, 'billing-reports-dates');
});
