// A long floor name (200 characters, no spaces) wraps: neither the site's Floors table nor the
// floor's own page grows wider than the window.
import { test, expect, shot } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { Shell } from './pages/shell';
import { ApiSession } from './pages/api';

const LONG = 'BasementCarParkLevelB1EastWing'.repeat(7).slice(0, 200);

test('a 200-character floor name does not push the page wider than the window', async ({
  page,
  service,
}) => {
  const admin = await setUpAndLogIn(page, service.httpUrl);
  const api = await ApiSession.open(service.apiUrl);
  await api.call('session-login', { email: admin.email, password: admin.password });
  const [site] = await api.call<{ id: number }[]>('site-list', {});
  await api.call('floor-create', { siteId: site?.id, name: LONG, level: -1 });
  api.close();
  await page.reload();
  const shell = new Shell(page);
  const overflow = () => page.locator('html').evaluate((h) => h.scrollWidth - h.clientWidth);

  await shell.treeItem('Harbour View Apartments').click();
  const table = page.getByRole('table', { name: 'Floors' });
  await expect(table).toContainText(LONG.slice(0, 30));
  const fits = await table.evaluate((t) => t.scrollWidth <= (t.parentElement?.clientWidth ?? 0));
  expect(fits).toBe(true);
  expect(await overflow()).toBe(0);
  await shot(page, 'long-floor-site-light');

  await table.getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 2 })).toContainText(LONG.slice(0, 30));
  expect(await overflow()).toBe(0);
  await shell.themeToggle.click();
  await shot(page, 'long-floor-page-dark');
});
