// Residents & cards in the browser: a card issued with learn mode (tapped on a simulated
// charger, captured, then accepted at the charger, its session on the lot's account; an unknown
// card issued from the list in one click), and a CSV import that shows its bad row
// with the reason and writes nothing, then imports the corrected file; a private bay set on the
// Bays tab (the charger's offline list follows); a lot sold and another account closed, then
// exported as CSV with the template downloaded.
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, shot } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { ApiSession } from './pages/api';
import { SimCharger } from '../../src-main/sim/charger';

test('issue a card with learn mode: accepted, its session is the lot’s; an unknown card issued in one click', async ({
  page,
  service,
}) => {
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
  const mia = await api.call<{ id: number }>('account-create', {
    siteId: site?.id,
    lotNumber: '14',
    ownerNames: 'Mia Owner',
  });
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
    // Mia charges with it: the session belongs to her lot's account.
    const tx = await sim.startTransaction(1, '9A8B7C6D');
    expect(tx.idTagStatus).toBe('Accepted');
    sim.advanceMeter(1, 600);
    await sim.stopTransaction(1);
    const sessions = await api.call<{ id: number; accountId: number }[]>('account-sessions', {
      id: mia.id,
    });
    expect(sessions.map((x) => [x.id, x.accountId])).toEqual([[tx.transactionId, mia.id]]);

    // A card nobody issued is refused and listed; one click issues it to Mia.
    expect(await sim.authorize('77777777')).toBe('Invalid');
    await page.getByRole('link', { name: 'Residents & cards' }).click();
    await page.getByRole('tab', { name: 'Cards' }).click();
    const unknownRow = page.getByRole('row', { name: /77777777/ });
    await expect(unknownRow).toContainText('1 time');
    await unknownRow.getByRole('button', { name: 'Issue' }).click();
    const issue = page.getByRole('dialog', { name: 'Issue a card' });
    await expect(issue.getByLabel('Card number')).toHaveValue('77777777');
    await issue.getByRole('combobox', { name: 'Account' }).click();
    await page.getByRole('option', { name: /Mia Owner/ }).click();
    await issue.getByRole('button', { name: 'Issue card' }).click();
    await expect(page.getByText('Card 77777777 issued')).toBeVisible();
    await expect(
      page.getByText('No unknown card was presented in the last 30 days.'),
    ).toBeVisible();
    expect(await sim.authorize('77777777')).toBe('Accepted');
  } finally {
    api.close();
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

test('make a connector a private bay: the charger’s offline list keeps only that lot’s cards (it had no room for all)', async ({
  page,
  service,
}) => {
  const admin = await setUpAndLogIn(page, service.httpUrl);
  const api = await ApiSession.open(service.apiUrl);
  await api.call('session-login', { email: admin.email, password: admin.password });
  const [site] = await api.call<{ id: number }[]>('site-list', {});
  await api.call('station-create', {
    siteId: site?.id,
    identity: 'SIM-BAY',
    name: 'Basement 14',
    connectorCount: 1,
  });
  const kim = await api.call<{ id: number }>('account-create', {
    siteId: site?.id,
    lotNumber: '14',
    ownerNames: 'Kim Lot',
  });
  const lee = await api.call<{ id: number }>('account-create', {
    siteId: site?.id,
    lotNumber: '15',
    ownerNames: 'Lee Lot',
  });
  await api.call('card-issue', { siteId: site?.id, accountId: kim.id, number: '14141414' });
  await api.call('card-issue', { siteId: site?.id, accountId: lee.id, number: '15151515' });
  api.close();
  const sim = new SimCharger({
    url: service.ocppBaseUrl.replace(/\/$/, ''),
    identity: 'SIM-BAY',
    connectors: 1,
  });
  // This charger holds one card only.
  sim.config.set('LocalAuthListMaxLength', { value: '1', readonly: true });
  try {
    expect(await sim.start()).toBe('Accepted');
    await expect.poll(() => sim.localList.entries.length).toBe(1);
    // The station page says the site's cards do not all fit.
    await page.getByText('Basement 14', { exact: true }).first().click();
    await expect(page.getByTestId('local-list-omitted')).toContainText('1 of 2 cards fit');
    await shot(page, 'station-local-list-full');
    await page.getByRole('link', { name: 'Residents & cards' }).click();
    await page.getByRole('tab', { name: 'Bays' }).click();
    const name = 'Basement 14 connector 1';
    await page.getByRole('combobox', { name: `Bay kind of ${name}` }).click();
    await page.getByRole('option', { name: 'Private' }).click();
    // Saving without the lot names the missing field.
    await page.getByRole('button', { name: `Save ${name}` }).click();
    await expect(page.getByText('Choose the account this private bay belongs to.')).toBeVisible();
    await page.getByRole('combobox', { name: `Account of ${name}` }).click();
    await page.getByRole('option', { name: 'Lot 14 · Kim Lot' }).click();
    await page.getByLabel(`Label of ${name}`).fill('B1-14');
    await page.getByRole('button', { name: `Save ${name}` }).click();
    await expect(page.getByText(`${name} saved`)).toBeVisible();
    await shot(page, 'residents-bays');
    // The charger's own list follows: offline it takes Kim's card and refuses Lee's.
    await expect
      .poll(() => sim.localList.entries.map((e) => (e as { idTag: string }).idTag).join())
      .toBe('14141414');
    await sim.goOffline();
    expect(await sim.authorize('15151515')).toBe('Invalid');
    expect(await sim.authorize('14141414')).toBe('Accepted');
    await page.getByText('Basement 14', { exact: true }).first().click();
    await expect(page.getByTestId('local-list')).toContainText('1 card');
    await expect(page.getByTestId('local-list-omitted')).toHaveCount(0);
    await page.getByRole('link', { name: 'Residents & cards' }).click();
    // The account shows its bay.
    await page.getByRole('tab', { name: 'Accounts' }).click();
    await page.getByRole('row', { name: /Kim Lot/ }).click();
    await expect(page.getByRole('dialog', { name: 'Account' })).toContainText(
      'Basement 14 connector 1 (private)',
    );
  } finally {
    await sim.close();
  }
});

test('a lot changes owner, another account closes; the export lists them with their dates', async ({
  page,
  service,
}) => {
  const admin = await setUpAndLogIn(page, service.httpUrl);
  const api = await ApiSession.open(service.apiUrl);
  await api.call('session-login', { email: admin.email, password: admin.password });
  const [site] = await api.call<{ id: number }[]>('site-list', {});
  const sold = await api.call<{ id: number }>('account-create', {
    siteId: site?.id,
    lotNumber: '21',
    ownerNames: 'Old Owner',
  });
  await api.call('account-create', {
    siteId: site?.id,
    lotNumber: '22',
    ownerNames: 'Leaving Owner',
  });
  await api.call('card-issue', { siteId: site?.id, accountId: sold.id, number: '21212121' });
  api.close();

  await page.getByRole('link', { name: 'Residents & cards' }).click();
  await page.getByRole('row', { name: /Old Owner/ }).click();
  const drawer = page.getByRole('dialog', { name: 'Account' });
  await drawer.getByRole('button', { name: 'Change owner' }).click();
  const sale = page.getByRole('dialog', { name: 'Lot 21 changes owner' });
  await sale.getByLabel('Settlement date').fill('2031-03-15');
  await sale.getByLabel('New owner name(s)').fill('New Owner');
  await sale.getByLabel('Invoice emails').fill('new@example.com, not-an-email');
  await sale.getByRole('button', { name: 'Record the sale' }).click();
  // A bad email is named on its field; nothing is changed.
  await expect(sale.getByText(/email/i).last()).toBeVisible();
  await sale.getByLabel('Invoice emails').fill('new@example.com');
  await shot(page, 'residents-change-owner');
  await sale.getByRole('button', { name: 'Record the sale' }).click();
  await expect(page.getByText('Lot 21: New Owner’s account opens 15/03/2031')).toBeVisible();
  await expect(drawer).toContainText('to 15/03/2031');
  await page.keyboard.press('Escape');

  await page.getByRole('row', { name: /Leaving Owner/ }).click();
  await drawer.getByRole('button', { name: 'Close account' }).click();
  const closing = page.getByRole('dialog', { name: 'Close the account of lot 22?' });
  await closing.getByLabel('Closing date').fill('2027-01-31');
  await closing.getByRole('button', { name: 'Close account' }).click();
  await expect(page.getByText('Account of lot 22 closed')).toBeVisible();
  await page.keyboard.press('Escape');

  await page.getByText('All', { exact: true }).click();
  await expect(page.getByRole('row', { name: /New Owner/ })).toContainText('Opens 15/03/2031');
  await expect(page.getByRole('row', { name: /Leaving Owner/ })).toContainText('Closes 31/01/2027');
  await shot(page, 'residents-accounts-all');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csv = readFileSync(await (await download).path(), 'utf8').replace(/^\ufeff/, '');
  const lines = csv.trim().split(/\r?\n/);
  expect(lines[0]).toContain('lot_number');
  expect(lines[0]).toContain('account_closed');
  expect(lines.find((l) => l.startsWith('21,') && l.includes('Old Owner'))).toContain('2031-03-15');
  expect(lines.find((l) => l.includes('New Owner'))).toContain('new@example.com');
  expect(lines.find((l) => l.includes('Leaving Owner'))).toContain('2027-01-31');
  expect(lines.find((l) => l.includes('21212121'))).toContain('active');

  await page.getByRole('tab', { name: 'Import' }).click();
  const template = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download template' }).click();
  expect((await template).suggestedFilename()).toBe('residents-template.csv');
});
