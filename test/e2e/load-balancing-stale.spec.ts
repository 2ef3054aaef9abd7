// The live view tells current values from old ones: a typed-in building load says so (it said
// "measured load"), a charger's draw follows its meter values without a balancing event, and a
// charger whose meter values stop shows its last draw marked stale with its age (the browser's
// clock is moved on: the age is counted on the page between reads). A charger that refuses every
// limit is shown in red, counted at its full rating.
import { test, expect, shot } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { adminApi, firstSiteId } from './pages/charger';
import { Shell } from './pages/shell';
import { LoadBalancingPage } from './pages/load-balancing-page';
import { CAR_KINDS, SimCar } from '../../src-main/sim/car';
import type { MethodOutput } from '../../src-shared/api/contract';

test('the live view marks a draw no longer reported as stale, and says a typed load is typed', async ({
  page,
  service,
  charger,
}) => {
  await page.clock.install();
  const admin = await setUpAndLogIn(page, service.httpUrl);
  const api = await adminApi(service, admin);
  const siteId = await firstSiteId(api);
  for (const n of [1, 2])
    await api.call('station-create', {
      siteId,
      identity: `ST-${n}`,
      name: `Bay ${n}`,
      connectorCount: 1,
    });
  for (const n of [1, 2]) await api.call('id-tag-upsert', { idTag: `CAR-${n}` });
  const got = await api.call<MethodOutput<'balancing-get'>>('balancing-get', { siteId });
  await api.call('balancing-save', {
    ...got.config,
    siteId,
    enabled: true,
    loadSources: [{ target: 'supply', kind: 'typed', typedA: [12, 10, 8], modbus: null }],
  });
  api.close();

  const quiet = charger('ST-1', { meterIntervalSeconds: 1 });
  const refusing = charger('ST-2', { meterIntervalSeconds: 1 });
  expect(await quiet.start()).toBe('Accepted');
  expect(await refusing.start()).toBe('Accepted');
  refusing.smart.rejectAll = true;

  await new Shell(page).open('Load balancing');
  const lb = new LoadBalancingPage(page);
  await lb.tab('Live');
  await expect(page.getByTestId('node-supply').getByTestId('load-badge')).toHaveText(
    'typed-in load',
  );

  quiet.plugIn(1, new SimCar({ ...CAR_KINDS.suv3p32, socPercent: 30 }));
  await quiet.startTransaction(1, 'CAR-1');
  quiet.startMeterLoop(1);
  const drawing = (bay: string) => lb.charger(bay).getByRole('cell').nth(3);
  await expect(drawing('Bay 1')).toHaveText(/^\d+\.\d A$/);
  await refusing.startTransaction(1, 'CAR-2');
  await expect(lb.charger('Bay 2')).toContainText('Does not accept limits', { timeout: 20_000 });

  // Bay 1's meter values stop (a charger whose metering board hung; its link still up).
  quiet.stopMeterLoop();
  await expect(lb.charger('Bay 1').getByTestId('stale-draw')).toHaveCount(0);
  // Three minutes on the page's clock. A read in between (a balancing event) brings the
  // server's own time, which did not move: then move on again.
  const stale = lb.charger('Bay 1').getByTestId('stale-draw');
  await expect(async () => {
    await page.clock.fastForward('03:00');
    await expect(stale).toHaveText(/^stale · \d+ min ago$/, { timeout: 1_000 });
  }).toPass();
  await shot(page, 'load-balancing-stale');

  // It reports again: current, the mark gone.
  await quiet.meterValues(1);
  await expect(lb.charger('Bay 1').getByTestId('stale-draw')).toHaveCount(0);
});
