// Load balancing in the UI: an administrator describes the supply and two circuits, sees a
// mistake named before saving, previews the allocation, turns balancing on, and watches the live
// view share the circuits as simulated cars arrive.
import { test, expect, shot } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { adminApi, firstSiteId } from './pages/charger';
import { Shell } from './pages/shell';
import { LoadBalancingPage } from './pages/load-balancing-page';

test('configure a supply and two circuits, then watch the cars share them', async ({
  page,
  service,
  charger,
}) => {
  const admin = await setUpAndLogIn(page, service.httpUrl);
  const api = await adminApi(service, admin);
  const siteId = await firstSiteId(api);
  for (const n of [1, 2, 3])
    await api.call('station-create', {
      siteId,
      identity: `LB-${n}`,
      name: `Bay ${n}`,
      connectorCount: 1,
    });
  await api.call('id-tag-upsert', { idTag: 'CAR' });
  api.close();

  await new Shell(page).open('Load balancing');
  const lb = new LoadBalancingPage(page);
  await expect(page.getByText('No electrical model yet')).toBeVisible();
  await lb.tab('Model');
  await lb.fill('Supply limit per phase', '63');
  await lb.fill('Circuit 1 limit', '40');
  await lb.addCircuit();
  await lb.fill('Circuit 2 name', 'DB-2');
  await lb.fill('Circuit 2 limit', '50');
  // Named before saving, in words.
  await expect(lb.errors).toContainText(
    'Circuit “DB-2” (50 A) cannot be above circuit “Main switchboard” that feeds it (40 A).',
  );
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();
  await lb.fill('Circuit 2 limit', '32');
  await expect(lb.errors).toBeHidden();
  await lb.choose('Bay 1 circuit', 'DB-2');
  await lb.choose('Bay 2 circuit', 'DB-2');
  await expect(page.getByText('No accounts at this site yet')).toBeVisible();
  await lb.enable();
  await page.getByRole('button', { name: 'Preview allocation' }).click();
  // Not connected yet: each counts at its full rating, and the preview says so.
  await expect(page.getByTestId('preview')).toContainText(
    'Offline; assumed at its full rating (32 A)',
  );
  await shot(page, 'load-balancing-model');
  await lb.saveAndApply();
  await expect(page.getByText('Electrical model saved.')).toBeVisible();

  const sims = [1, 2, 3].map((n) => charger(`LB-${n}`, { meterIntervalSeconds: 1 }));
  for (const sim of sims) expect(await sim.start()).toBe('Accepted');
  await lb.tab('Live');
  await expect(page.getByTestId('node-DB-2')).toBeVisible();

  const [s1, s2, s3] = sims;
  if (!s1 || !s2 || !s3) throw new Error('three chargers');
  await s1.startTransaction(1, 'CAR');
  await expect(lb.charger('Bay 1')).toContainText('32.0 A');
  await s2.startTransaction(1, 'CAR');
  // DB-2 (32 A) shared by Bays 1 and 2.
  await expect(lb.charger('Bay 1')).toContainText('16.0 A');
  await expect(lb.charger('Bay 2')).toContainText('Fair share of circuit “DB-2”');
  await s3.startTransaction(1, 'CAR');
  // The main switchboard (40 A) shared by all three.
  await expect(lb.charger('Bay 3')).toContainText('13.3 A');
  await expect(lb.charger('Bay 1')).toContainText('13.3 A');
  await expect(lb.charger('Bay 3')).toContainText('Fair share of circuit “Main switchboard”');
  await expect(page.getByTestId('node-MSB').getByTestId('phase-L1')).toContainText(
    '39.9 A allowed',
  );
  await shot(page, 'load-balancing-live');
  await lb.tab('Log');
  await expect(page.getByTestId('balancing-log')).toContainText('Fair share');
  await shot(page, 'load-balancing-log');
});
