// Load balancing, measured load from a Modbus TCP meter (a real jsmodbus server in this test, on
// 127.0.0.1 port 0): an installer adds a register map for a meter we do not ship, tests the
// meter (sees the amps per phase), saves, finds it all again after a reload; a meter address
// that does not answer is refused on save, in words on the field, and nothing is saved.
import { test, expect, shot } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { adminApi, firstSiteId } from './pages/charger';
import { Shell } from './pages/shell';
import { LoadBalancingPage } from './pages/load-balancing-page';
import { TestMeter } from '../support/modbus-meter';
import type { MethodOutput } from '../../src-shared/api/contract';

test('add a custom register map, test the meter, save; a meter that does not answer saves nothing', async ({
  page,
  service,
}) => {
  // A made-up gateway: signed 16-bit tenths of an amp in holding registers 100-102.
  const meter = await new TestMeter().start();
  const dead = await new TestMeter().start();
  const deadPort = dead.port;
  await dead.stop();
  try {
    [41.5, 3.2, 17].forEach((a, i) => meter.holding.writeInt16BE(a * 10, (100 + i) * 2));
    const admin = await setUpAndLogIn(page, service.httpUrl);
    const api = await adminApi(service, admin);
    const siteId = await firstSiteId(api);
    await api.call('station-create', {
      siteId,
      identity: 'LB-1',
      name: 'Bay 1',
      connectorCount: 1,
    });
    api.close();

    await new Shell(page).open('Load balancing');
    const lb = new LoadBalancingPage(page);
    await lb.tab('Model');
    // The empty state says what to do.
    await expect(
      page.getByText('None yet: the building load assumed above applies.'),
    ).toBeVisible();
    await page.getByRole('button', { name: 'Add measured load' }).click();
    await lb.choose('Source', 'Modbus TCP meter');
    await lb.fill('Meter address', '127.0.0.1');
    await lb.fill('Port', String(meter.port));
    await lb.choose('Meter', 'New register map…');

    const map = page.getByTestId('register-map');
    await expect(map).toHaveCount(1);
    await lb.fill('Register map 1 name', 'Basement gateway');
    await lb.choose('Registers', 'Holding registers (03)');
    await lb.choose('Data type', 'Signed integer, 16-bit');
    await lb.fill('Current L1', '100');
    await lb.fill('Current L2', '101');
    await lb.fill('Current L3', '102');
    // A mistake is named as it is typed, and Save waits for it.
    await lb.fill('Amps = value ×', '0');
    await expect(lb.errors).toContainText(
      'Register map “Basement gateway”: the current scale must be a number above 0',
    );
    await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();
    await lb.fill('Amps = value ×', '0.1');
    await expect(lb.errors).toBeHidden();
    // The meter list names the site's map.
    await expect(page.getByRole('combobox', { name: 'Meter', exact: true })).toHaveValue(
      'Basement gateway',
    );

    await page.getByRole('button', { name: /^Test meter/ }).click();
    const result = page.getByTestId('meter-test-result');
    await expect(result).toContainText('The meter answered: L1 41.5 A · L2 3.2 A · L3 17.0 A');
    await shot(page, 'load-balancing-meter');

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByText('Electrical model saved.')).toBeVisible();
    await page.reload();
    await lb.tab('Model');
    await expect(page.getByLabel('Register map 1 name', { exact: true })).toHaveValue(
      'Basement gateway',
    );
    await expect(page.getByLabel('Current L3', { exact: true })).toHaveValue('102');
    await expect(page.getByRole('combobox', { name: 'Meter', exact: true })).toHaveValue(
      'Basement gateway',
    );

    // The meter moves to an address where nothing listens: Test meter and Save both say so.
    await lb.fill('Port', String(deadPort));
    await page.getByRole('button', { name: /^Test meter/ }).click();
    await expect(result).toContainText(`127.0.0.1:${deadPort} refused the connection`);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(lb.errors).toContainText(`127.0.0.1:${deadPort} refused the connection`);
    await expect(page.getByLabel('Meter address', { exact: true })).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    await shot(page, 'load-balancing-meter-refused');
    await page.reload();
    await lb.tab('Model');
    await expect(page.getByLabel('Port', { exact: true })).toHaveValue(String(meter.port));
  } finally {
    await meter.stop();
  }
});

test('the live view charts current per phase against the limit, per circuit', async ({
  page,
  service,
}) => {
  const admin = await setUpAndLogIn(page, service.httpUrl);
  const api = await adminApi(service, admin);
  const siteId = await firstSiteId(api);
  const st = await api.call<{ id: number }>('station-create', {
    siteId,
    identity: 'LB-1',
    name: 'Bay 1',
    connectorCount: 1,
  });
  const got = await api.call<MethodOutput<'balancing-get'>>('balancing-get', { siteId });
  await api.call('balancing-save', {
    siteId,
    ...got.config,
    enabled: true,
    supply: { ...got.config.supply, phaseLimitA: 63 },
    circuits: [
      {
        id: 'MSB',
        name: 'Main switchboard',
        parentId: null,
        limitA: 63,
        phases: ['L1', 'L2', 'L3'],
        assumedOtherLoadA: 0,
      },
      {
        id: 'DB-1',
        name: 'Car park',
        parentId: 'MSB',
        limitA: 40,
        phases: ['L1', 'L2', 'L3'],
        assumedOtherLoadA: 0,
      },
    ],
    stations: got.config.stations.map((s) =>
      s.stationId === st.id ? { ...s, circuitId: 'DB-1' } : s,
    ),
    loadSources: [{ target: 'supply', kind: 'typed', typedA: [21, 9, 14], modbus: null }],
  });
  api.close();

  await new Shell(page).open('Load balancing');
  // Per-phase bars: the building's 21 A on L1 (typed in counts as measured), the offline
  // charger at its full 32 A, against the supply's 63 A.
  const supplyL1 = page.getByTestId('node-supply').getByTestId('phase-L1');
  await expect(supplyL1).toContainText('building 21.0 A · 32.0 A allowed · 0.0 A drawn / 63.0 A');
  const chart = page.getByTestId('balancing-history');
  await expect(chart).toContainText('Current per phase against the limit');
  await expect(chart).not.toContainText('No history for this period yet');
  await expect(chart.locator('.recharts-line')).toHaveCount(4);
  await expect(chart).toContainText('L1 (building + chargers)');
  await expect(chart).toContainText('Limit');
  await shot(page, 'load-balancing-live-history');
  // Another circuit, another line; a period with nothing says what to do.
  await page.getByRole('combobox', { name: 'Circuit shown' }).click();
  await page.getByRole('option', { name: 'Car park', exact: true }).click();
  await expect(chart.locator('.recharts-line')).toHaveCount(4);
});
