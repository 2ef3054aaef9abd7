// Issue 8 #13 in the browser: a number out of range is reported on its field and kept as typed;
// nothing is saved changed (99 outlets became 8, 999 A became 500 A on a 32 A station).
import { test, expect, shot } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { Shell } from './pages/shell';
import { SitePage, pageHeading } from './pages/site-page';
import { StationPage } from './pages/station-page';

test('out-of-range outlets and currents are refused with a message, not clamped', async ({
  page,
  service,
}) => {
  await setUpAndLogIn(page, service.httpUrl);
  const shell = new Shell(page);
  await shell.treeItem('Harbour View Apartments').click();
  await new SitePage(page).createFloor('Basement 1', -1);
  await shell.treeItem('Basement 1').click();

  await page.getByRole('main').getByRole('button', { name: 'Add station' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add station' });
  await dialog.getByRole('textbox', { name: 'Charge box id', exact: true }).fill('CP-NUM-1');
  await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('Bay 7');
  const outlets = dialog.getByRole('textbox', { name: 'Outlets (connectors)' });
  await outlets.fill('99');
  await dialog.getByRole('button', { name: 'Add station' }).click();
  await expect(dialog.getByText('Number of outlets must be at most 8.')).toBeVisible();
  await expect(outlets).toHaveValue('99');
  await shot(page, 'station-outlets-error');
  await outlets.fill('2');
  await dialog.getByRole('button', { name: 'Add station' }).click();
  await expect(dialog).toBeHidden();
  await expect(pageHeading(page)).toContainText('Bay 7');
  await expect(new StationPage(page).outlets.getByRole('row')).toHaveCount(3); // header + 2

  // The outlet of a 32 A station (the default rating).
  const stationUrl = page.url();
  await page.goto(`${stationUrl}/connectors/1`);
  const current = page.getByRole('textbox', { name: 'Max current (A)' });
  await current.fill('999');
  await page.getByRole('button', { name: 'Save outlet' }).click();
  await expect(page.getByText('Maximum current must be at most 500 A.')).toBeVisible();
  await expect(current).toHaveValue('999');
  // Within the contract but above the station's own rating: the core says why.
  await current.fill('90');
  await page.getByRole('button', { name: 'Save outlet' }).click();
  await expect(
    page.getByText('Maximum current must be at most 32 A, the station’s rating'),
  ).toBeVisible();
  await shot(page, 'outlet-current-error');
  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Max current (A)' })).toHaveValue('');
});

test('a 5 MB paste is refused on its field; the service stays reachable', async ({
  page,
  service,
}) => {
  // Typing 5 MB into a browser field takes a while on a busy two-core machine.
  test.setTimeout(120_000);
  await setUpAndLogIn(page, service.httpUrl);
  await page.getByRole('main').getByRole('button', { name: 'Add site' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add site' });
  const name = dialog.getByRole('textbox', { name: 'Site name', exact: true });
  // More than the API socket takes in one message (4 MiB): it used to close the socket, and the
  // UI said the service "cannot be reached".
  await name.fill('x'.repeat(5 * 1024 * 1024));
  await dialog.getByRole('button', { name: 'Add site' }).click();
  await expect(dialog.getByText('Name must be at most 200 characters long.')).toBeVisible();
  await expect(page.getByText('cannot be reached')).toHaveCount(0);
  await name.fill('Marina Towers');
  await dialog.getByRole('button', { name: 'Add site' }).click();
  await expect(dialog).toBeHidden();
  await expect(new Shell(page).treeItem('Marina Towers')).toBeVisible();
});
