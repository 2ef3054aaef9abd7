// The station's Transactions tab: server-paged (PagedTable + pager) and the CSV export holds
// every session matching the filters (fetched page by page with `next`), not only the page shown.
import { readFile } from 'node:fs/promises';
import { test, expect } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { Shell } from './pages/shell';
import { SitePage, pageHeading } from './pages/site-page';
import { FloorPage, StationPage } from './pages/station-page';
import { ApiSession } from './pages/api';
import { SimCharger } from '../../src-main/sim/charger';

test('the Transactions tab pages its sessions and exports them', async ({ page, service }) => {
  const admin = await setUpAndLogIn(page, service.httpUrl);
  const shell = new Shell(page);
  await shell.treeItem('Harbour View Apartments').click();
  await new SitePage(page).createFloor('Basement 1', -1);
  await shell.treeItem('Basement 1').click();
  await new FloorPage(page).createStation('SIM-TX-1', 'Bay 7');
  await expect(pageHeading(page)).toContainText('Bay 7');
  const api = await ApiSession.open(service.apiUrl);
  await api.call('session-login', { email: admin.email, password: admin.password });
  await api.call('id-tag-upsert', { idTag: 'TAG-APT-305', status: 'Accepted', label: 'Apt 305' });
  api.close();

  const sim = new SimCharger({ url: service.ocppBaseUrl.replace(/\/$/, ''), identity: 'SIM-TX-1' });
  try {
    expect(await sim.start()).toBe('Accepted');
    await sim.startTransaction(1, 'TAG-APT-305');
    await new StationPage(page).tab('Transactions').click();
    const table = page.getByRole('table', { name: 'Transactions' });
    await expect(table).toContainText('TAG-APT-305');
    await expect(page.getByTestId('pager-status')).toHaveText('Showing 1–1 of 1 sessions');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const path = await download.path();
    const csv = await readFile(path, 'utf8');
    expect(csv.split(/\r?\n/)[0]).toContain('Id,Outlet,Card');
    expect(csv).toContain('TAG-APT-305');
  } finally {
    await sim.close();
  }
});
