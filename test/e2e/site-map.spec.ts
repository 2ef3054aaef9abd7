// The site map with no network (this machine has none; the tile server here is a closed port so
// the failure is certain and quick): the buildings still appear on a plain background, the page
// says why, a site without coordinates is listed, and clicking a pin opens the site. With
// SCREENSHOTS=1 (`npm run screenshots`) it refreshes docs/screenshots/site-map.png.
import { test, expect } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { ApiSession } from './pages/api';
import { pageHeading } from './pages/site-page';

test('the site map shows the sites and says why when tiles cannot be loaded', async ({
  page,
  service,
}) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  const admin = await setUpAndLogIn(page, service.httpUrl);
  const api = await ApiSession.open(service.apiUrl);
  try {
    await api.call('session-login', { email: admin.email, password: admin.password });
    const [first] = await api.call<{ id: number; name: string; timeZone: string }[]>(
      'site-list',
      {},
    );
    if (!first) throw new Error('setup created no site');
    await api.call('site-update', {
      id: first.id,
      name: first.name,
      timeZone: first.timeZone,
      latitude: -33.8688,
      longitude: 151.2093,
    });
    await api.call('site-create', {
      name: 'Parramatta Towers',
      timeZone: 'Australia/Sydney',
      latitude: -33.815,
      longitude: 151.0011,
    });
    await api.call('site-create', { name: 'Bondi Court', timeZone: 'Australia/Sydney' });
    await api.call('site-map-settings-update', { tileUrl: 'http://127.0.0.1:1/{z}/{x}/{y}.png' });
  } finally {
    api.close();
  }

  await page.getByRole('link', { name: 'Site map' }).click();
  const map = page.getByRole('application', { name: 'Site map' });
  await expect(map).toBeVisible();
  await expect(map).toContainText('Harbour View Apartments');
  await expect(map).toContainText('Parramatta Towers');
  await expect(page.getByRole('alert').filter({ hasText: 'Map tiles unavailable' })).toContainText(
    '127.0.0.1:1',
  );
  await expect(page.getByText('Not on the map')).toBeVisible();
  await expect(page.getByRole('listitem').getByRole('link', { name: 'Bondi Court' })).toBeVisible();
  if (process.env.SCREENSHOTS) {
    await page.screenshot({ path: 'docs/screenshots/site-map.png' });
  }
  // A wrong tile address is refused in words, naming what is missing.
  const tileInput = page.getByLabel('Tile server (administrators)');
  await tileInput.fill('https://tiles.example.com/{z}/{x}.png');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('must contain {z}, {x} and {y}')).toBeVisible();
  await map.getByText('Parramatta Towers').click();
  await expect(pageHeading(page)).toContainText('Parramatta Towers');
});
