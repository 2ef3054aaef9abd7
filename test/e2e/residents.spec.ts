// Residents & cards in the browser: a card issued with learn mode (tapped on a simulated
// charger, captured, then accepted at the charger), and a CSV import that shows its bad row
// with the reason and writes nothing, then imports the corrected file.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, shot } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { ApiSession } from './pages/api';
import { SimCharger } from '../../src-main/sim/charger';

test('issue a card with learn mode; the charger then accepts it', async ({ page, service }) => {
  const admin = await setUpAndLogIn(page, service.httpUrl);
  const api = await ApiSession.open(service.apiUrl);
  await api.call('session-login', { email: admin.email, password: admin.password });
  const [site] = await api.call<{ id: number }[]>('site-list', {});
  await api.call('station-create', {
    siteId: site?.id,
    identity: 'SIM-CARDS',
    name: 'Bay 3',
    connectorCount: 1,
  });
  await api.call('account-create', { siteId: site?.id, lotNumber: '14', ownerNames: 'Mia Owner' });
  api.close();
  const sim = new SimCharger({
    url: service.ocppBaseUrl.replace(/\/$/, ''),
    identity: 'SIM-CARDS',
    connectors: 1,
  });
  try {
    expect(await sim.start()).toBe('Accepted');
    await page.getByRole('link', { name: 'Residents & cards' }).click();
    await page.getByRole('row', { name: /Mia Owner/ }).click();
    await page.getByRole('button', { name: 'Issue card' }).click();
    const dialog = page.getByRole('dialog', { name: 'Issue a card' });
    await dialog.getByRole('button', { name: 'Learn' }).click();
    await expect(dialog.getByRole('status')).toContainText('Tap the card');
    // The resident taps the new card on the charger: unknown yet, so refused, but captured.
    expect(await sim.authorize('9A8B7C6D')).toBe('Invalid');
    await expect(dialog.getByLabel('Card number')).toHaveValue('9A8B7C6D');
    await dialog.getByLabel('Label').fill('Mia’s card');
    await shot(page, 'residents-issue-learn');
    await dialog.getByRole('button', { name: 'Issue card' }).click();
    await expect(page.getByText('Card 9A8B7C6D issued')).toBeVisible();
    await expect(page.getByRole('dialog', { name: 'Account' })).toContainText('Mia’s card');
    expect(await sim.authorize('9A8B7C6D')).toBe('Accepted');
    // The charger's offline list followed: the station page says which version it holds.
    await page.keyboard.press('Escape');
    await page.getByText('Bay 3', { exact: true }).first().click();
    await expect(page.getByTestId('local-list')).toContainText('1 card');
    expect(sim.localAuthorize('9A8B7C6D')).toBe('Accepted');
    await shot(page, 'station-local-list');
  } finally {
    await sim.close();
  }
});

test('a CSV with a bad row shows the row and reason and imports nothing; the fixed one imports', async ({
  page,
  service,
}) => {
  await setUpAndLogIn(page, service.httpUrl);
  const dir = mkdtempSync(join(tmpdir(), 'residents-csv-'));
  const header = 'lot_number,owner_names,invoice_emails,first_name,last_name,card_number';
  const bad = join(dir, 'bad.csv');
  const good = join(dir, 'good.csv');
  writeFileSync(
    bad,
    `${header}\n1,Ann Owner,ann@example.com,Ann,Owner,04A23B1C\n2,Bob Owner,bob@example,Bob,Owner,11223344\n`,
  );
  writeFileSync(
    good,
    `${header}\n1,Ann Owner,ann@example.com,Ann,Owner,04A23B1C\n2,Bob Owner,bob@example.com,Bob,Owner,11223344\n`,
  );

  await page.getByRole('link', { name: 'Residents & cards' }).click();
  await page.getByRole('tab', { name: 'Import' }).click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Choose CSV file…' }).click();
  await (await chooser).setFiles(bad);
  const problems = page.getByTestId('import-problems');
  await expect(problems).toContainText('3');
  await expect(problems).toContainText('invoice_emails');
  await expect(problems).toContainText('“bob@example” is not an email address');
  await expect(page.getByText('nothing imported yet')).toBeVisible();
  await shot(page, 'residents-import-error');

  const chooser2 = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Choose CSV file…' }).click();
  await (await chooser2).setFiles(good);
  await page.getByRole('button', { name: 'Import 2 rows' }).click();
  await expect(page.getByText('2 account(s), 2 resident(s) and 2 card(s) added.')).toBeVisible();
  await page.getByRole('tab', { name: 'Accounts' }).click();
  await expect(page.getByRole('row', { name: /Ann Owner/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /Bob Owner/ })).toBeVisible();
});
