// The configuration tab checks a standard key's value as it is typed (the core's own table),
// shows the charger's answer in words, never shows a secret key's value, and lists what the
// post-boot setup could not set (issue 8 #11, #12; issue 7 #6).
import { test, expect, shot } from './pages/fixtures';
import { stationInUi } from './pages/charger';

test('configuration values are checked, answers are in words, secrets stay hidden', async ({
  page,
  service,
  charger,
}) => {
  const { station } = await stationInUi(page, service, { identity: 'SIM-CFG1', name: 'Bay 7' });
  const sim = charger('SIM-CFG1', { connectors: 1 });
  // A charger whose sample interval is fixed, and which takes its Basic-auth key over OCPP.
  sim.config.set('MeterValueSampleInterval', { value: '900', readonly: true });
  sim.config.set('AuthorizationKey', { value: 'the-old-key-0123456789', readonly: false });
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
  await sim.close();
});
