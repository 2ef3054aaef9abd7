// The configuration tab checks a standard key's value as it is typed (the core's own table),
// shows the charger's answer in words, never shows a secret key's value, and lists what the
// post-boot setup could not set (issue 8 #11, #12; issue 7 #6).
import { test, expect, shot } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { Shell } from './pages/shell';
import { SitePage } from './pages/site-page';
import { FloorPage, StationPage } from './pages/station-page';
import { SimCharger } from '../../src-main/sim/charger';

test('configuration values are checked, answers are in words, secrets stay hidden', async ({
  page,
  service,
}) => {
  await setUpAndLogIn(page, service.httpUrl);
  const shell = new Shell(page);
  await shell.treeItem('Harbour View Apartments').click();
  await new SitePage(page).createFloor('Basement 1', -1);
  await shell.treeItem('Basement 1').click();
  await new FloorPage(page).createStation('SIM-CFG1', 'Bay 7');
  const station = new StationPage(page);

  const sim = new SimCharger({
    url: service.ocppBaseUrl.replace(/\/$/, ''),
    identity: 'SIM-CFG1',
    connectors: 1,
  });
  // A charger whose sample interval is fixed, and which takes its Basic-auth key over OCPP.
  sim.config.set('MeterValueSampleInterval', { value: '900', readonly: true });
  sim.config.set('AuthorizationKey', { value: 'the-old-key-0123456789', readonly: false });
  try {
    expect(await sim.start()).toBe('Accepted');
    await expect(station.connection).toHaveText('Online');
    await station.tab('OCPP configuration').click();
    // The post-boot setup could not set the read-only interval: the tab says so.
    const refused = page.getByTestId('setup-refused');
    await expect(refused).toContainText('MeterValueSampleInterval = 60');
    await expect(refused).toContainText('read-only on the charger');

    // A wrong value is caught as it is typed, naming the key; nothing is sent.
    const hb = station.configRow('HeartbeatInterval');
    await hb.getByRole('textbox').fill('abc');
    await expect(hb).toContainText(
      'HeartbeatInterval must be a whole number from 1 to 86,400 seconds.',
    );
    await expect(station.configSave(hb)).toBeDisabled();
    await hb.getByRole('textbox').fill('120');
    await station.configSave(hb).click();
    await expect(hb.getByTestId('config-answer')).toHaveText('Accepted');

    // A key the charger does not know: its answer in words.
    sim.client?.handle('ChangeConfiguration', () => Promise.resolve({ status: 'Rejected' }));
    const lal = station.configRow('LocalAuthListEnabled');
    await lal.getByRole('textbox').fill('false');
    await station.configSave(lal).click();
    await expect(lal.getByTestId('config-answer')).toHaveText('Refused by the charger');

    // The secret: never shown, write-only.
    const key = station.configRow('AuthorizationKey');
    await expect(key).not.toContainText('the-old-key');
    await expect(key.getByLabel('Value of AuthorizationKey')).toHaveValue('');
    await key.getByLabel('Value of AuthorizationKey').fill('short');
    await expect(key).toContainText('AuthorizationKey must be at least 16 characters.');
    await shot(page, '22c-station-config-checks');
  } finally {
    await sim.close();
  }
});
