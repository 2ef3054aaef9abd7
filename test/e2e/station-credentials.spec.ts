// Per-charger credentials and blocking, set from the station page, decide what the OCPP server
// lets in: a real simulated charger with a wrong password is refused, the right one is accepted,
// and a blocked station is refused at boot.
import { test, expect } from './pages/fixtures';
import { stationInUi } from './pages/charger';

const PASSWORD = 'bay-7-authorisation-key';

test('a station switched to Basic auth admits only its password, and a blocked one is rejected at boot', async ({
  page,
  service,
  charger: makeCharger,
}) => {
  const { station } = await stationInUi(page, service, {
    identity: 'BAY-0007',
    name: 'Bay 7',
    floor: 'Level 1',
    level: 1,
  });

  const edit = async () => {
    await page.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit station' });
    await expect(dialog).toBeVisible();
    return dialog;
  };

  // Security profile 1 needs a password of at least 16 characters: the form says so.
  let dialog = await edit();
  await dialog.getByText('1 — Basic auth').click();
  await dialog.getByLabel('New charger password (AuthorizationKey)').fill('short');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('At least 16 characters (OCPP AuthorizationKey)')).toBeVisible();
  await dialog.getByLabel('New charger password (AuthorizationKey)').fill(PASSWORD);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('1 — Basic auth')).toBeVisible();

  const impostor = makeCharger('BAY-0007', { password: 'not-the-right-key!' });
  await expect(impostor.start()).rejects.toThrow();
  await impostor.close();

  const charger = makeCharger('BAY-0007', { password: PASSWORD });
  expect(await charger.start()).toBe('Accepted');
  await expect(station.connection).toHaveText('Online');

  dialog = await edit();
  await dialog.getByLabel(/^Blocked/).check({ force: true });
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Blocked', { exact: true })).toBeVisible();
  // The charger's next boot is refused (OCPP 1.6 §4.2: Rejected, retry after the interval).
  await charger.close();
  expect(await charger.start()).toBe('Rejected');
  await charger.close();
});
