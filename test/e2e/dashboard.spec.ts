// The dashboard's "building current per phase" panel: with no load balancing it says how to set
// it up and links to the page; once the site balances, it shows the rest of the building plus the
// chargers on each phase against the supply's limit, and follows changes live (no reload).
import { test, expect } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { adminApi, firstSiteId } from './pages/charger';
import { pageHeading } from './pages/site-page';

interface Config {
  enabled: boolean;
  loadSources: { target: string; kind: string; typedA: number[] | null; modbus: null }[];
  [k: string]: unknown;
}

test('the building current per phase, from load balancing, live', async ({
  page,
  service,
  charger,
}) => {
  const admin = await setUpAndLogIn(page, service.httpUrl);
  const api = await adminApi(service, admin);
  try {
    const siteId = await firstSiteId(api);
    await api.call('station-create', {
      siteId,
      identity: 'DB-1',
      name: 'Bay 7',
      connectorCount: 1,
    });
    await api.call('id-tag-upsert', { idTag: 'CAR' });

    const panel = page.getByRole('region', { name: 'Building current per phase' });
    await expect(panel).toContainText('No load balancing at this site yet');
    await expect(panel.getByRole('link', { name: 'Open load balancing' })).toBeVisible();

    // The supply (100 A a phase) with the rest of the building typed in: 20, 30 and 40 A.
    const got = await api.call<{ config: Config }>('balancing-get', { siteId });
    const config: Config = {
      ...got.config,
      enabled: true,
      loadSources: [{ target: 'supply', kind: 'typed', typedA: [20, 30, 40], modbus: null }],
    };
    await api.call('balancing-save', { siteId, ...config });
    // Live: the panel follows the core's balancing event, no reload.
    await expect(panel.getByTestId('building-phase-L1')).toContainText('20.0 A of 100.0 A');
    await expect(panel.getByTestId('building-phase-L3')).toContainText('40.0 A of 100.0 A');
    await expect(panel).toContainText('the rest of the building (read or typed in)');

    // A car charging on L1 adds its draw to L1 only.
    const sim = charger('DB-1', { meterIntervalSeconds: 1 });
    expect(await sim.start()).toBe('Accepted');
    await sim.startTransaction(1, 'CAR');
    await expect
      .poll(
        async () => {
          const text = (await panel.getByTestId('building-phase-L1').textContent()) ?? '';
          return Number(/([\d.]+) A of/.exec(text)?.[1] ?? 0);
        },
        { timeout: 20_000 },
      )
      .toBeGreaterThan(20);
    await expect(panel.getByTestId('building-phase-L2')).toContainText('30.0 A of 100.0 A');

    await panel.getByRole('link', { name: 'Open load balancing' }).click();
    await expect(pageHeading(page)).toContainText('Load balancing');
  } finally {
    api.close();
  }
});
