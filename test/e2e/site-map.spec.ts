// The site map with no network (this machine has none; the tile server here is a closed port so
// the failure is certain and quick): the buildings still appear on a plain background, the page
// says why, a site without coordinates is listed, and clicking a pin opens the site. With
// SCREENSHOTS=1 (`npm run screenshots`) it refreshes docs/screenshots/site-map.png.
import type { Locator } from '@playwright/test';
import { test, expect } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { ApiSession } from './pages/api';
import { pageHeading } from './pages/site-page';

/** A node's computed background colour (the tests' tsconfig has no DOM types). */
const background = (l: Locator) =>
  l.evaluate((e) => {
    const view = globalThis as unknown as {
      getComputedStyle(el: unknown): { backgroundColor: string };
    };
    return view.getComputedStyle(e).backgroundColor;
  });

test('the site map shows the sites and says why when tiles cannot be loaded', async ({
  page,
  service,
  charger,
}) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  const admin = await setUpAndLogIn(page, service.httpUrl);
  const api = await ApiSession.open(service.apiUrl);
  let parramatta = { id: 0 };
  let harbour = { id: 0 };
  try {
    await api.call('session-login', { email: admin.email, password: admin.password });
    const [first] = await api.call<{ id: number; name: string; timeZone: string }[]>(
      'site-list',
      {},
    );
    if (!first) throw new Error('setup created no site');
    harbour = first;
    await api.call('site-update', {
      id: first.id,
      name: first.name,
      timeZone: first.timeZone,
      latitude: -33.8688,
      longitude: 151.2093,
    });
    parramatta = await api.call<{ id: number }>('site-create', {
      name: 'Parramatta Towers',
      timeZone: 'Australia/Sydney',
      latitude: -33.815,
      longitude: 151.0011,
    });
    await api.call('site-create', { name: 'Bondi Court', timeZone: 'Australia/Sydney' });
    await api.call('station-create', {
      siteId: parramatta.id,
      identity: 'PT-1',
      name: 'Bay 1',
      connectorCount: 1,
    });
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

  // Each pin takes the colour of its site's worst charger, as the navigator does, live.
  const pin = map.getByTestId(`site-pin-${parramatta.id}`);
  await expect(pin).toHaveAttribute('data-tone', 'offline');
  await expect(map.getByTestId(`site-pin-${harbour.id}`)).toHaveAttribute('data-tone', 'none');
  const legend = page.getByRole('region', { name: 'Legend' });
  await expect(legend).toContainText('A charger faulted');
  await expect(legend).toContainText('No chargers yet');
  const sim = charger('PT-1');
  expect(await sim.start()).toBe('Accepted');
  await expect(pin).toHaveAttribute('data-tone', 'available');
  await sim.statusNotification(1, 'Faulted', 'GroundFailure', { info: 'RCD tripped' });
  await expect(pin).toHaveAttribute('data-tone', 'fault');
  // The same red as the navigator's faulted station.
  const swatch = page.getByTestId('nav-station-PT-1').locator('.mantine-ColorSwatch-colorOverlay');
  expect(await background(pin)).toBe(await background(swatch));
  // Its alarm: counted on the pin in the critical colour.
  await expect(map.getByTestId(`site-alarm-${parramatta.id}`)).toHaveAttribute(
    'data-severity',
    'critical',
  );
  await expect(map.getByTestId(`site-alarm-${parramatta.id}`)).toHaveText('1');
  if (process.env.SCREENSHOTS) {
    // The pop-up for the fault would cover the legend in the picture.
    await page.locator('.mantine-Notification-closeButton').click();
    await expect(page.getByTestId('alarm-toast')).toBeHidden();
    await page.screenshot({ path: 'docs/screenshots/site-map.png', fullPage: true });
  }
  // A wrong tile address is refused in words, naming what is missing.
  const tileInput = page.getByLabel('Tile server (administrators)');
  await tileInput.fill('https://tiles.example.com/{z}/{x}.png');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('must contain {z}, {x} and {y}')).toBeVisible();
  await map.getByText('Parramatta Towers').click();
  await expect(pageHeading(page)).toContainText('Parramatta Towers');
});
