// The address an installer types into a charger is the one the service can be reached on from
// the LAN: New chargers and Settings → System list exactly what the ready banner printed, never
// 127.0.0.1. Choosing TLS for a station when the service has no TLS port says how to enable it.
import { test, expect, shot } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { Shell } from './pages/shell';
import { SitePage, pageHeading } from './pages/site-page';
import { FloorPage } from './pages/station-page';

test('New chargers and Settings → System show the LAN addresses the banner printed', async ({
  page,
  service,
}) => {
  expect(service.chargerUrls.ocpp.length).toBeGreaterThan(0);
  expect(service.chargerUrls.ocpp.join()).not.toContain('127.0.0.1');
  await setUpAndLogIn(page, service.httpUrl);
  const shell = new Shell(page);

  await shell.open('New chargers');
  const shown = page.getByTestId('ocpp-url');
  await expect(shown).toHaveText(service.chargerUrls.ocpp.join('\n'));
  await expect(page.getByTestId('ocpp-tls-off')).toContainText('--tls-port');
  await shot(page, 'new-chargers-light');

  await shell.open('Settings');
  await page.getByRole('tab', { name: 'System' }).click();
  await expect(page.getByTestId('ocpp-url')).toHaveText(service.chargerUrls.ocpp.join('\n'));
  await shot(page, 'settings-system-light');
});

test('choosing TLS for a station on a service without a TLS port warns and says how to enable it', async ({
  page,
  service,
}) => {
  await setUpAndLogIn(page, service.httpUrl);
  const shell = new Shell(page);
  await shell.treeItem('Harbour View Apartments').click();
  await new SitePage(page).createFloor('Level 1', 1);
  await shell.treeItem('Level 1').click();
  await new FloorPage(page).createStation('BAY-0009', 'Bay 9');
  await expect(pageHeading(page)).toContainText('Bay 9');

  await page.getByRole('button', { name: 'Edit' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit station' });
  const tls = dialog.getByRole('radio', { name: '2 — TLS + Basic auth' });
  // The whole control fits in the dialog (it used to be cut off on the right).
  await expect(tls).toBeInViewport();
  await expect(dialog.getByTestId('no-tls-warning')).toHaveCount(0);
  await tls.check();
  await expect(dialog.getByTestId('no-tls-warning')).toContainText('--tls-port');
  await shot(page, 'edit-station-no-tls-light');
  await shell.page.keyboard.press('Escape');
  await shell.themeToggle.click();
  await page.getByRole('button', { name: 'Edit' }).click();
  await dialog.getByRole('radio', { name: '2 — TLS + Basic auth' }).check();
  await shot(page, 'edit-station-no-tls-dark');
});
