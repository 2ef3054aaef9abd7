// Billing in the browser: a manager sets up the issuer and a tariff, previews last month's run
// over a session a simulated charger delivered, issues it, and opens the invoice PDF, which
// reads back as a tax invoice with the session's energy and the amounts the preview showed.
import { readFileSync } from 'node:fs';
import { test, expect, shot } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { adminApi, firstSiteId } from './pages/charger';
import { BillingPage } from './pages/billing-page';
import { pdfText } from '../support/pdf-text';

/** A date in the middle of last month, as YYYY-MM-DD, and that day's 10:00 UTC. */
function lastMonth() {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15, 0, 0));
  return { iso: d.toISOString().slice(0, 10), at: d.getTime() };
}

test('set up a tariff, preview last month’s run, issue it and open the invoice PDF', async ({
  page,
  service,
  charger,
}) => {
  await page.setViewportSize({ width: 1400, height: 1000 });
  const admin = await setUpAndLogIn(page, service.httpUrl);
  const api = await adminApi(service, admin);
  const siteId = await firstSiteId(api);
  await api.call('station-create', {
    siteId,
    identity: 'SIM-BILL',
    name: 'Bay 3',
    connectorCount: 1,
  });
  const lot = await api.call<{ id: number }>('account-create', {
    siteId,
    lotNumber: '7',
    unitNumber: '702',
    ownerNames: 'Ravi Patel',
    postalAddress: '702/1 Harbour St, Sydney NSW 2000',
    invoiceEmails: ['ravi@example.com'],
    openedAt: Date.UTC(2020, 0, 1),
  });
  await api.call('card-issue', { siteId, accountId: lot.id, number: 'C0FFEE07' });
  api.close();
  // Last month, a two-hour session at 7.36 kW: 12 samples of 1.227 kWh = 14.724 kWh.
  const { iso, at } = lastMonth();
  let clock = at;
  const sim = charger('SIM-BILL', { phases: 1, now: () => clock });
  expect(await sim.start()).toBe('Accepted');
  await sim.startTransaction(1, 'C0FFEE07');
  for (let i = 0; i < 12; i++) {
    clock += 10 * 60_000;
    sim.advanceMeter(1, 600);
    await sim.meterValues(1);
  }
  await sim.stopTransaction(1);

  const billing = new BillingPage(page);
  await billing.open(service.httpUrl);
  await billing.saveIssuer({
    name: 'Harbour Strata Management',
    abn: '51 824 753 556',
    address: 'Level 3, 1 George St, Sydney NSW 2000',
  });
  await expect(page.getByText('Billing settings saved')).toBeVisible();
  await billing.createFlatTariff('Residents', '35');
  await expect(page.getByText('Tariff saved')).toBeVisible();
  await billing.applyToSite();
  await expect(page.getByRole('table', { name: 'Tariff assignments' })).toContainText(
    'The whole site',
  );

  await billing.previewRun(iso);
  const row = billing.preview.getByRole('row').filter({ hasText: 'Ravi Patel' });
  // 35 c/kWh inc GST (the form's default) = 35 × 10/11 ex GST: 14.724 kWh → $4.684… → $4.68
  // ex GST; GST $0.468 → $0.47 (half up); $5.15 inc GST.
  await expect(row).toContainText('14.724 kWh');
  await expect(row).toContainText('$4.68');
  await expect(row).toContainText('$0.47');
  await expect(row).toContainText('$5.15');
  await shot(page, 'billing-preview');
  await billing.issue();
  await expect(page.getByText('Issued 1 invoice')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Issued runs' })).toContainText('$5.15');

  await billing.tab('Invoices').click();
  await expect(billing.invoices).toContainText('EV-00001');
  await shot(page, 'billing-invoices');
  const download = await billing.downloadPdf('EV-00001');
  expect(download.suggestedFilename()).toBe('invoice-EV-00001.pdf');
  const text = (await pdfText(readFileSync(await download.path()))).text.replace(/\s+/g, ' ');
  for (const field of [
    'Tax invoice',
    'ABN 51 824 753 556',
    'EV-00001',
    'Lot 7, Unit 702',
    'Ravi Patel',
    'Strata plan SP 12345',
    'Energy: 14.724 kWh × 35 c/kWh inc GST',
    'Total ex GST $4.68',
    'GST (10 %) $0.47',
    'Total inc GST $5.15',
  ])
    expect(text).toContain(field);
});
