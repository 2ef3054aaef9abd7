// The station's Transactions tab: server-paged (PagedTable + pager) and the CSV export holds
// every session matching the filters, not only the page shown (the sessions CSV, streamed by the
// core, filtered to this station).
import { readFile } from 'node:fs/promises';
import { test, expect } from './pages/fixtures';
import { adminApi, stationInUi } from './pages/charger';

test('the Transactions tab pages its sessions and exports them', async ({
  page,
  service,
  charger,
}) => {
  const { admin, station } = await stationInUi(page, service, {
    identity: 'SIM-TX-1',
    name: 'Bay 7',
  });
  const api = await adminApi(service, admin);
  await api.call('id-tag-upsert', { idTag: 'TAG-APT-305', status: 'Accepted', label: 'Apt 305' });
  api.close();
  const sim = charger('SIM-TX-1');
  expect(await sim.start()).toBe('Accepted');
  await sim.startTransaction(1, 'TAG-APT-305');
  await station.tab('Transactions').click();
  const table = page.getByRole('table', { name: 'Transactions' });
  await expect(table).toContainText('TAG-APT-305');
  await expect(page.getByTestId('pager-status')).toHaveText('Showing 1–1 of 1 sessions');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  const path = await download.path();
  const csv = await readFile(path, 'utf8');
  expect(csv.split(/\r?\n/)[0]).toContain(
    'Transaction id,Site,Station,Charge box id,Connector,Card',
  );
  expect(csv).toContain('TAG-APT-305');
  expect(csv).toContain('SIM-TX-1');
  await sim.close();
});
