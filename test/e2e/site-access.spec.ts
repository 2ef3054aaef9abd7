// A site administrator who opens another site's station (a shared link, an old bookmark) is told
// they have no access to it, not that it no longer exists (issue 8 #17).
import { test, expect } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { Shell } from './pages/shell';
import { LoginPage } from './pages/login-page';
import { ApiSession } from './pages/api';

test('a site administrator opening another site’s station is told they have no access', async ({
  page,
  service,
}) => {
  const admin = await setUpAndLogIn(page, service.httpUrl);
  const bayside = {
    email: 'bea@bayside.example',
    password: 'a long enough passphrase',
  };
  const api = await ApiSession.open(service.apiUrl);
  let stationId: number;
  try {
    await api.call('session-login', { email: admin.email, password: admin.password });
    const [first] = await api.call<{ id: number }[]>('site-list', {});
    if (!first) throw new Error('setup created no site');
    stationId = (
      await api.call<{ id: number }>('station-create', {
        siteId: first.id,
        identity: 'HV-BAY-01',
        name: 'Bay 1',
        connectorCount: 1,
      })
    ).id;
    const other = await api.call<{ id: number }>('site-create', {
      name: 'Bayside Towers',
      timeZone: 'Australia/Sydney',
    });
    await api.call('user-create', {
      ...bayside,
      name: 'Bea Bayside',
      role: 'site_admin',
      siteIds: [other.id],
    });
  } finally {
    api.close();
  }

  const shell = new Shell(page);
  await shell.logout();
  await new LoginPage(page).login(bayside.email, bayside.password);
  await expect(shell.userMenu).toContainText('Bea Bayside');
  await page.goto(`${service.httpUrl}#/stations/${stationId}`);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('No access');
  await expect(alert).toContainText("You do not have access to this station's site.");
  await expect(alert).not.toContainText('no longer exists');
  await expect(page.getByText('Bay 1')).toHaveCount(0);
});
