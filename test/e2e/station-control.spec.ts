// The Control tab asks before it interrupts someone's charging (Stop, Unlock, Inoperative),
// naming the card, the session and the energy so far; and it shows a firmware update's
// progress as the charger reports it, live and again after a reload.
import { test, expect, shot } from './pages/fixtures';
import { adminApi, stationInUi } from './pages/charger';

test('Stop, Unlock and Inoperative ask first and name the session they affect; firmware progress shows', async ({
  page,
  service,
  charger,
}) => {
  const { admin, shell, station } = await stationInUi(page, service, {
    identity: 'SIM-CTRL-1',
    name: 'Bay 3',
  });
  const api = await adminApi(service, admin);
  await api.call('id-tag-upsert', { idTag: 'TAG-APT-204', status: 'Accepted', label: 'Apt 204' });
  api.close();
  const sim = charger('SIM-CTRL-1');
  expect(await sim.start()).toBe('Accepted');
  await sim.startTransaction(1, 'TAG-APT-204');
  await station.tab('Control').click();
  const sessions = page.getByRole('table', { name: 'Active transactions' });
  await expect(sessions).toContainText('TAG-APT-204');

  // Stop: a dialog names the card, its label and the session; Cancel sends nothing.
  await sessions.getByRole('button', { name: 'Stop' }).click();
  let dialog = page.getByRole('dialog', { name: 'Stop charging' });
  await expect(dialog).toContainText('card TAG-APT-204 (Apt 204), session');
  await expect(dialog).toContainText('so far');
  await shot(page, 'control-stop-confirm-light');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  expect(sim.received.some((m) => m.action === 'RemoteStopTransaction')).toBe(false);

  // Unlock and Inoperative name the same session.
  await station.card('Unlock connector').getByRole('button', { name: 'Unlock' }).click();
  dialog = page.getByRole('dialog', { name: 'Unlock outlet' });
  await expect(dialog).toContainText('card TAG-APT-204 (Apt 204)');
  await expect(dialog).toContainText('stops that session');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await station.card('Availability').getByRole('button', { name: 'Inoperative' }).click();
  dialog = page.getByRole('dialog', { name: 'Take out of service' });
  await expect(dialog).toContainText('card TAG-APT-204 (Apt 204)');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  expect(sim.received.some((m) => m.action === 'ChangeAvailability')).toBe(false);

  // Confirmed, the stop reaches the charger.
  await sessions.getByRole('button', { name: 'Stop' }).click();
  await page
    .getByRole('dialog', { name: 'Stop charging' })
    .getByRole('button', { name: 'Stop charging' })
    .click();
  await expect
    .poll(() => sim.received.some((m) => m.action === 'RemoteStopTransaction'))
    .toBe(true);

  // Firmware: the progress the charger reports appears, and is still there after a reload.
  const card = station.card('Firmware and diagnostics');
  await card.locator('input[type=file]').setInputFiles({
    name: 'fw-2.1.bin',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from('FIRMWARE 2.1'),
  });
  await card.getByRole('button', { name: 'Update firmware' }).click();
  const progress = card.getByTestId('firmware-progress').getByTestId('file-status');
  await expect(progress).toHaveText('Installed');
  expect(sim.firmwareStatuses).toEqual(['Downloading', 'Downloaded', 'Installing', 'Installed']);
  await shot(page, 'control-firmware-light');
  await page.reload();
  await expect(station.card('Firmware and diagnostics').getByTestId('file-status')).toHaveText(
    'Installed',
  );
  await shell.themeToggle.click();
  await shot(page, 'control-firmware-dark');
  await sim.close();
});
