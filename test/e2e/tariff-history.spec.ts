// Tariff assignments with effective dates (issue 13): the table shows from when each assignment
// applies (en-AU); a change dated from a day the manager types (dd/mm/yyyy) becomes what applies
// now and the one it replaced stays in the history; a date inside an invoiced period is refused in
// words on the date field. The Reports tab's date boxes read dd/mm/yyyy too.
import { test, expect, shot } from './pages/fixtures';
import { BillingPage } from './pages/billing-page';
import { billedLastMonth } from './pages/billing-setup';

const p2 = (n: number) => String(n).padStart(2, '0');

test('a dated change of tariff shows its date, keeps the old one in the history, and cannot reach into an invoiced month', async ({
  page,
  service,
  charger,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1400, height: 1000 });
  // Last month invoiced (one session on its 12th, the run issued), "Residents" from 01/03/2020.
  const { api } = await billedLastMonth(page, service, charger, {
    beforeIssue: async (seed, siteId) => {
      await seed.call('tariff-create', {
        siteId,
        effectiveFrom: '2020-01-01',
        tariff: {
          name: 'Residents 2027',
          pricesIncludeGst: true,
          components: [{ kind: 'perKwh', millicentsPerKwh: 40_000 }],
        },
      });
    },
  });
  api.close();
  const now = new Date();

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
