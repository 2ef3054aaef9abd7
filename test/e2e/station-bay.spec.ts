// The station page names each outlet's bay from the residents' bays: a private bay with its label
// and the lot it serves, a shared one as shared; the bay links to where bays are changed.
import { test, expect } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { adminApi, firstSiteId } from './pages/charger';
import { pageHeading } from './pages/site-page';

test('the station page shows each outlet’s bay: kind, label and lot', async ({ page, service }) => {
  const admin = await setUpAndLogIn(page, service.httpUrl);
  const api = await adminApi(service, admin);
  try {
    const siteId = await firstSiteId(api);
    const station = await api.call<{ id: number; connectors: { id: number }[] }>('station-create', {
      siteId,
      identity: 'BAY-1',
      name: 'Bays 12 and 13',
      connectorCount: 2,
    });
    const lot = await api.call<{ id: number }>('account-create', {
      siteId,
      lotNumber: '12',
      ownerNames: 'Mei Chen',
    });
    const [first] = await api.call<{ connectorId: number; stationId: number }[]>('bay-list', {
      siteId,
    });
    await api.call('bay-set', {
      connectorId: first?.connectorId ?? 0,
      kind: 'private',
      accountId: lot.id,
      label: 'B12',
    });
    await page.goto(`${service.httpUrl}#/stations/${station.id}`);
    await expect(pageHeading(page)).toContainText('Bays 12 and 13');
    const outlets = page.getByRole('table', { name: 'Outlets' });
    await expect(outlets.getByTestId('connector-1')).toContainText(
      'Private · bay B12 · Lot 12 (Mei Chen)',
    );
    await expect(outlets.getByTestId('connector-2')).toContainText('Shared');
    await outlets
      .getByTestId('connector-1')
      .getByRole('link', { name: /^Private/ })
      .click();
    await expect(pageHeading(page)).toContainText('Residents');
  } finally {
    api.close();
  }
});
