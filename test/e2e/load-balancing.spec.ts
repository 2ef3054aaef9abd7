// Load balancing in the UI: an administrator describes the supply and two circuits, sees a
// mistake named before saving, previews the allocation, turns balancing on, and watches the live
// view share the circuits as simulated cars arrive (cars with batteries and on-board chargers,
// sim/car.ts, reporting their draw every second): a nearly full hybrid is held near what it draws
// and the others get the spare; a car leaving gives its share back.
import { test, expect, shot } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { adminApi, firstSiteId } from './pages/charger';
import { Shell } from './pages/shell';
import { LoadBalancingPage } from './pages/load-balancing-page';
import { CAR_KINDS, SimCar } from '../../src-main/sim/car';

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
  // Each driver their own card (one card in two sessions at once is flagged for review).
  for (const n of [1, 2, 3]) await api.call('id-tag-upsert', { idTag: `CAR-${n}` });
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
  const drawing = (bay: string) => lb.charger(bay).getByRole('cell').nth(3);
  // Two big cars (three-phase, 32 A on-board) reporting what they draw every second.
  s1.plugIn(1, new SimCar({ ...CAR_KINDS.suv3p32, socPercent: 30 }));
  await s1.startTransaction(1, 'CAR-1');
  s1.startMeterLoop(1);
  await expect(lb.charger('Bay 1')).toContainText('32.0 A');
  await expect(drawing('Bay 1')).toHaveText('32.0 A');
  s2.plugIn(1, new SimCar({ ...CAR_KINDS.suv3p32, socPercent: 50 }));
  await s2.startTransaction(1, 'CAR-2');
  s2.startMeterLoop(1);
  // DB-2 (32 A) shared by Bays 1 and 2; the car on Bay 1 now draws only that.
  await expect(lb.charger('Bay 1')).toContainText('16.0 A');
  await expect(lb.charger('Bay 2')).toContainText('Fair share of circuit “DB-2”');
  await expect(drawing('Bay 1')).toHaveText('16.0 A');
  // A plug-in hybrid at 95 % (1-phase, tapering to 4 A), before its first meter value.
  s3.plugIn(1, new SimCar({ ...CAR_KINDS.phev1p16, socPercent: 95 }));
  await s3.startTransaction(1, 'CAR-3');
  // The main switchboard (40 A) shared by all three.
  await expect(lb.charger('Bay 3')).toContainText('13.3 A');
  await expect(lb.charger('Bay 1')).toContainText('13.3 A');
  await expect(lb.charger('Bay 3')).toContainText('Fair share of circuit “Main switchboard”');
  await expect(page.getByTestId('node-MSB').getByTestId('phase-L1')).toContainText(
    '39.9 A allowed',
  );
  // Its meter values show it takes 4 A: it is held near its draw (the 6 A minimum), and the
  // spare goes back to Bays 1 and 2 (DB-2's 16 A each).
  s3.startMeterLoop(1);
  await expect(drawing('Bay 3')).toHaveText(/^[34]\.\d A$/);
  await expect(lb.charger('Bay 3')).toContainText('held near its draw');
  await expect(lb.charger('Bay 3')).toContainText('6.0 A');
  await expect(lb.charger('Bay 1')).toContainText('16.0 A');
  await expect(lb.charger('Bay 2')).toContainText('16.0 A');
  await expect(page.getByTestId('node-MSB').getByTestId('phase-L1')).toContainText(
    '38.0 A allowed',
  );
  await shot(page, 'load-balancing-live');
  // Bay 2's car leaves: Bay 1 gets DB-2's whole 32 A, and its car draws it.
  await s2.stopTransaction(1);
  await expect(lb.charger('Bay 1')).toContainText('32.0 A');
  await expect(drawing('Bay 1')).toHaveText('32.0 A');
  await expect(drawing('Bay 2')).not.toHaveText(/^[1-9]/);
  await lb.tab('Log');
  await expect(page.getByTestId('balancing-log')).toContainText('Fair share');
  await shot(page, 'load-balancing-log');
});
