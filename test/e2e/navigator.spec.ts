// The navigator with a 60-bay car park: the big floor starts folded, a search finds one bay and
// unfolds the way to it, and what the user folds or unfolds is remembered across a reload.
import { test, expect, shot } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { Shell } from './pages/shell';
import { ApiSession } from './pages/api';

test('a 60-bay floor starts folded, search finds a bay, and folds are remembered', async ({
  page,
  service,
}) => {
  const admin = await setUpAndLogIn(page, service.httpUrl);
  const api = await ApiSession.open(service.apiUrl);
  await api.call('session-login', { email: admin.email, password: admin.password });
  const [site] = await api.call<{ id: number }[]>('site-list', {});
  const siteId = site?.id ?? 0;
  const floor = await api.call<{ id: number }>('floor-create', {
    siteId,
    name: 'Car park B1',
    level: -1,
  });
  await api.call('floor-create', { siteId, name: 'Visitors', level: 0 });
  for (let n = 1; n <= 60; n++) {
    const bay = String(n).padStart(3, '0');
    await api.call('station-create', {
      siteId,
      floorId: floor.id,
      identity: `BAY-${bay}`,
      name: `Bay ${bay}`,
      connectorCount: 1,
    });
  }
  api.close();
  await page.reload();
  const shell = new Shell(page);
  const nav = shell.navigator;

  // Folded: the floor says how many stations it holds; no bay link is rendered.
  await expect(shell.treeItem('Car park B1')).toContainText('60 stations');
  await expect(nav.getByTestId('nav-station-BAY-001')).toHaveCount(0);
  await expect(shell.treeItem('Visitors')).toBeVisible();
  await shot(page, 'navigator-folded-light');

  // Search by charge box id: just that bay, the way to it unfolded.
  const search = nav.getByRole('textbox', { name: 'Find a station by name or charge box id' });
  await search.fill('bay-042');
  await expect(nav.getByTestId('nav-station-BAY-042')).toBeVisible();
  await expect(nav.getByTestId('nav-station-BAY-041')).toHaveCount(0);
  await expect(shell.treeItem('Visitors')).toHaveCount(0);
  await search.fill('nothing like it');
  await expect(nav.getByTestId('navigator-no-match')).toBeVisible();
  await nav.getByRole('button', { name: 'Clear the search' }).click();

  // Unfold the car park; fold the site; both survive a reload.
  await nav.getByRole('button', { name: 'Unfold Car park B1' }).click();
  await expect(nav.getByTestId('nav-station-BAY-060')).toBeVisible();
  await shot(page, 'navigator-unfolded-light');
  await page.reload();
  await expect(nav.getByTestId('nav-station-BAY-060')).toBeVisible();
  await nav.getByRole('button', { name: 'Fold Harbour View Apartments' }).click();
  await expect(shell.treeItem('Car park B1')).toHaveCount(0);
  await page.reload();
  await expect(shell.treeItem('Harbour View Apartments')).toBeVisible();
  await expect(shell.treeItem('Car park B1')).toHaveCount(0);
  await shell.themeToggle.click();
  await shot(page, 'navigator-folded-dark');
});
