// Settings the server had but the UI lacked: heartbeat interval, offline timeout, message-log
// retention (Settings → Chargers), and the wss:// certificate (import or generate).
import { test, expect, shot } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { Shell } from './pages/shell';
import { adminApi, firstSiteId } from './pages/charger';

test('an administrator sets the heartbeat interval, offline timeout and log retention; a charger booting gets the interval', async ({
  page,
  service,
  charger,
}) => {
  const admin = await setUpAndLogIn(page, service.httpUrl);
  const shell = new Shell(page);
  await shell.open('Settings');
  await page.getByRole('tab', { name: 'Chargers' }).click();
  const form = page.getByRole('form', { name: 'OCPP settings' });
  const heartbeat = form.getByRole('textbox', { name: 'Heartbeat interval (seconds)' });
  await expect(heartbeat).toHaveValue('300');
  await heartbeat.fill('120');
  await form.getByRole('textbox', { name: 'Offline after (seconds)' }).fill('400');
  await form.getByRole('textbox', { name: 'Keep the OCPP message log (days)' }).fill('30');
  await form.getByRole('button', { name: 'Save OCPP settings' }).click();
  await expect(page.getByText('OCPP settings saved')).toBeVisible();
  await expect(page.getByTestId('tls-off')).toContainText('--tls-port');
  await shot(page, 'settings-chargers-light');

  await page.reload();
  await page.getByRole('tab', { name: 'Chargers' }).click();
  await expect(heartbeat).toHaveValue('120');
  await expect(form.getByRole('textbox', { name: 'Keep the OCPP message log (days)' })).toHaveValue(
    '30',
  );

  // The next charger to boot is told the new interval.
  const api = await adminApi(service, admin);
  await api.call('station-create', {
    siteId: await firstSiteId(api),
    identity: 'HB-1',
    name: 'Bay HB',
    connectorCount: 1,
  });
  api.close();
  const sim = charger('HB-1');
  expect(await sim.start()).toBe('Accepted');
  expect(sim.heartbeatIntervalSeconds).toBe(120);
  await sim.close();

  // The certificate: a pair that is not PEM is refused, and none is installed; a self-signed
  // one can be generated.
  await page
    .getByRole('textbox', { name: 'Certificate (PEM, with its chain)' })
    .fill('not a certificate');
  await page.getByRole('textbox', { name: 'Private key (PEM)' }).fill('not a key');
  await page.getByRole('button', { name: 'Import certificate' }).click();
  const refused = page.getByRole('alert').filter({ hasText: 'That did not work' });
  await expect(refused).toBeVisible();
  await expect(page.getByTestId('tls-certificate')).toHaveCount(0);
  // The toast sits over the card's buttons (and a hovered toast stays open): dismiss it.
  await refused.getByRole('button').click();
  await page.getByRole('button', { name: 'Generate self-signed' }).click();
  await expect(page.getByTestId('tls-certificate')).toContainText('Self-signed');
  await shell.themeToggle.click();
  await shot(page, 'settings-chargers-dark');
});
