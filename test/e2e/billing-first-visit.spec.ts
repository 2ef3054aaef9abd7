// Billing on a manager's first visit (issue 13): nothing set up yet, every tab says what to do
// next in words instead of showing an empty table or a bare form, and previewing a run before
// billing is set up says what is missing.
import { test, expect, shot } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { BillingPage } from './pages/billing-page';

test('a manager opening Billing for the first time is told what to do on every tab', async ({
  page,
  service,
}) => {
  await page.setViewportSize({ width: 1400, height: 1000 });
  await setUpAndLogIn(page, service.httpUrl);
  const billing = new BillingPage(page);
  await billing.open(service.httpUrl);

  await expect(page.getByText('Billing is not set up for this site yet')).toBeVisible();
  await expect(page.getByText('No run issued yet')).toBeVisible();
  await page.getByRole('button', { name: 'Preview run' }).click();
  await expect(page.getByText('Not ready to issue')).toBeVisible();
  await expect(
    page.getByText(
      'Set up billing for this site first (Settings tab): the issuer, its ABN and the cycle.',
    ),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: /^Issue \d+ invoices?$/ })).toBeDisabled();
  // Nothing to list: no empty table under the reasons.
  await expect(billing.preview).toBeHidden();
  await shot(page, 'billing-first-runs');

  await billing.tab('Invoices').click();
  await expect(page.getByText('Invoices appear here once a run is issued')).toBeVisible();
  await billing.tab('Exports').click();
  await expect(page.getByText('No run to export yet')).toBeVisible();
  await billing.tab('Reports').click();
  await expect(page.getByText('Nothing charged or invoiced in these periods')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Export CSV' })).toBeEnabled();
  // One meter reading alone is not compared with anything: said, not silently ignored.
  await page.getByRole('textbox', { name: /^Car-park meter at start/ }).fill('1000');
  await expect(page.getByText('Enter both car-park meter readings')).toBeVisible();
  await shot(page, 'billing-first-reports');
  await billing.tab('Tariffs').click();
  await expect(page.getByText('No tariff yet')).toBeVisible();
  await billing.tab('Settings').click();
  await expect(page.getByText('Save the settings first, then choose a logo.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Choose logo…' })).toBeDisabled();
  await shot(page, 'billing-first-settings');

  // Once the settings are saved, the runs tab no longer says billing is not set up.
  await billing.saveIssuer({
    name: 'Harbour Strata Management',
    abn: '51 824 753 556',
    address: 'Level 3, 1 George St, Sydney NSW 2000',
  });
  await expect(page.getByText('Billing settings saved')).toBeVisible();
  await billing.tab('Invoice runs').click();
  await expect(page.getByText('No run issued yet')).toBeVisible();
  await expect(page.getByText('Billing is not set up for this site yet')).toBeHidden();
});
