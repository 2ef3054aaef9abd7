// A simulated OCPP 1.6J charger (src-main/sim) connects to the service; the station page follows
// its status live and shows the charger's own answers to operations.
import { readFileSync } from 'node:fs';
import { test, expect, shot } from './pages/fixtures';
import { stationInUi } from './pages/charger';

test('a simulated charger connects, its status changes live, and a reset shows its answer', async ({
  page,
  service,
  charger,
}) => {
  const { shell, station } = await stationInUi(page, service, {
    identity: 'SIM-0001',
    name: 'Bay 12',
  });
  await expect(station.connection).toHaveText('Offline');
  const sim = charger('SIM-0001', { connectors: 1 });
  expect(await sim.start()).toBe('Accepted');
  // Live, without reloading: connection and outlet status arrive as events.
  await expect(station.connection).toHaveText('Online');
  await expect(station.outletStatus(1)).toHaveText('Available');
  await expect(page.getByText('StrataSim', { exact: true })).toBeVisible();
  await expect(shell.navigator.getByTestId('nav-station-SIM-0001')).toHaveAttribute(
    'data-tone',
    'available',
  );

  await sim.statusNotification(1, 'Charging');
  await expect(station.outletStatus(1)).toHaveText('Charging');
  await expect(shell.navigator.getByTestId('nav-station-SIM-0001')).toHaveAttribute(
    'data-tone',
    'charging',
  );
  await shot(page, '20-station-general');

  await station.tab('Control').click();
  const outcome = await station.reset('Soft');
  await expect(outcome).toHaveAttribute('data-status', 'Accepted');
  await expect(outcome).toContainText('The charger accepted the request');
  await shot(page, '21-station-control');

  // Configuration: edit a key and see the charger's answer.
  await station.tab('OCPP configuration').click();
  const refresh = page.getByRole('button', { name: 'Refresh from charger' });
  await refresh.click();
  // The refreshed keys replace the rows: edit once they are in.
  await expect(refresh).not.toHaveAttribute('data-loading');
  const row = station.configRow('HeartbeatInterval');
  await row.getByRole('textbox').fill('120');
  await station.configSave(row).click();
  await expect(row.getByTestId('config-answer')).toHaveText('Accepted');
  // Saved: nothing left to save until the value changes again.
  await expect(station.configSaved(row)).toBeDisabled();
  await row.getByRole('textbox').fill('90');
  await expect(station.configSave(row)).toBeEnabled();
  await row.getByRole('textbox').fill('120');
  await expect(station.configSaved(row)).toBeDisabled();
  await shot(page, '22-station-config');

  // A key this charger only applies after a reset: the page says so and offers the reset.
  // (ocpp-rpc: a second handler for an action replaces the simulator's own.)
  sim.client?.handle('ChangeConfiguration', () => Promise.resolve({ status: 'RebootRequired' }));
  const meter = station.configRow('MeterValueSampleInterval');
  await meter.getByRole('textbox').fill('30');
  await station.configSave(meter).click();
  await expect(meter.getByTestId('config-answer')).toHaveText('Accepted, applies after a reset');
  await expect(station.configSaved(meter)).toBeDisabled();
  await expect(station.rebootNotice).toContainText('MeterValueSampleInterval');
  await expect(station.rebootNotice).toContainText('until it is reset');
  await shot(page, '22b-station-config-reboot');
  await station.rebootNotice.getByRole('button', { name: 'Reset charger now' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Soft reset' }).click();
  await expect(page.getByTestId('outcome')).toHaveAttribute('data-status', 'Accepted');
  await expect(station.rebootNotice).toBeHidden();
  await expect.poll(() => sim.received.some((m) => m.action === 'Reset')).toBe(true);

  await station.tab('OCPP log').click();
  await expect(page.getByRole('table', { name: 'OCPP messages' })).toContainText(
    'BootNotification',
  );
  await shot(page, '23-station-log');
  // The export is a streamed download of every message, the charger's answers included.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^SIM-0001-ocpp-log-\d{8}\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8');
  expect(csv.split(/\r?\n/)[0]).toContain('at_utc,at_local,identity,direction');
  expect(csv).toMatch(/BootNotification.*"currentTime/);
  await sim.close();
  // The charger went away: the page says so.
  await station.tab('General').click();
  await expect(station.connection).toHaveText('Offline');
});
