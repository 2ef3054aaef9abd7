// The demo building has a balanced supply a newcomer can watch (issue 11): on the built service
// started with --demo, Load balancing shows the demo's circuits with per-phase bars and its cars
// sharing them; once the cars' meter values come in (every 15 s in the demo), a tapering hybrid
// is held near what it draws and the car that reached its 80 % limit draws nothing.
import { test, expect } from '@playwright/test';
import { shot } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { Shell } from './pages/shell';
import { LoadBalancingPage } from './pages/load-balancing-page';
import { startService } from './support/server';

const DEMO = 'Demo — Harbour Towers';

test('the demo building: cars share a balanced supply, and draw what their batteries take', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const svc = await startService({ args: ['--demo'] });
  try {
    await setUpAndLogIn(page, svc.httpUrl);
    await new Shell(page).open('Load balancing');
    const lb = new LoadBalancingPage(page);
    const site = page
      .getByRole('textbox', { name: 'Site' })
      .or(page.getByRole('combobox', { name: 'Site' }))
      .first();
    if ((await site.inputValue()) !== DEMO) await lb.choose('Site', DEMO);
    for (const node of ['MSB', 'DB-B1', 'DB-B2'])
      await expect(page.getByTestId(`node-${node}`)).toBeVisible();
    await expect(lb.liveChargers).toHaveCount(8);
    await expect(lb.charger('Bay B1-01').first()).toContainText('Fair share');
    // Meter values: the hybrid on B1-02 (92 %, tapering) is held near its draw; the car on B2-02
    // stopped at its 80 % limit draws nothing.
    await expect(lb.charger('Bay B1-02')).toContainText('held near its draw', { timeout: 60_000 });
    const drawing = (bay: string) => lb.charger(bay).first().getByRole('cell').nth(3);
    await expect(drawing('Bay B2-02')).toHaveText('0.0 A', { timeout: 60_000 });
    await expect(drawing('Bay B1-03')).not.toHaveText('0.0 A');
    await expect(page.getByTestId('node-DB-B1').getByTestId('phase-L1')).toContainText('drawn');
    await shot(page, 'demo-balancing-live');
  } catch (e) {
    console.log(svc.output());
    throw e;
  } finally {
    await svc.stop({ removeData: true });
  }
});
