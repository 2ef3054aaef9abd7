// The session page and the reports page in the browser. A simulated charger charges with a
// resident's card at changing currents; the session page charts its power, energy and per-phase
// current from the stored samples, lists the raw samples and the OCPP messages. The demo
// building's history fills the reports page: totals, charts, tables that export as CSV. With
// SCREENSHOTS=1 (`npm run screenshots`) both pages are photographed into docs/screenshots/.
import { readFileSync } from 'node:fs';
import { test, expect, shot } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { ApiSession } from './pages/api';
import { Shell } from './pages/shell';
import { startService } from './support/server';
import { SimCharger } from '../../src-main/sim/charger';

test('a session’s chart, samples and messages from a simulated charger', async ({
  page,
  service,
}) => {
  await page.setViewportSize({ width: 1400, height: 1250 });
  const admin = await setUpAndLogIn(page, service.httpUrl);
  const api = await ApiSession.open(service.apiUrl);
  const sim = new SimCharger({
    url: service.ocppBaseUrl.replace(/\/$/, ''),
    identity: 'SIM-CHART',
    phases: 3,
    // The charger's clock: the session ran over the last two hours (samples every 5 minutes).
    now: () => clock,
  });
  let clock = Date.now() - 2 * 3_600_000;
  try {
    await api.call('session-login', { email: admin.email, password: admin.password });
    const [site] = await api.call<{ id: number }[]>('site-list', {});
    if (!site) throw new Error('setup created no site');
    await api.call('station-create', {
      siteId: site.id,
      identity: 'SIM-CHART',
      name: 'Bay 3',
      connectorCount: 1,
    });
    const lot = await api.call<{ id: number }>('account-create', {
      siteId: site.id,
      lotNumber: '7',
      unitNumber: '702',
      ownerNames: 'Ravi Patel',
    });
    await api.call('card-issue', {
      siteId: site.id,
      accountId: lot.id,
      number: 'C0FFEE01',
      label: 'Ravi’s card',
    });
    expect(await sim.start()).toBe('Accepted');
    const tx = await sim.startTransaction(1, 'C0FFEE01');
    // Full power, then a reduction (as load balancing would), then the car tapering off.
    for (let i = 1; i <= 24; i++) {
      sim.connector(1).limitA = i < 10 ? 32 : i < 16 ? 16 : Math.max(6, 32 - i);
      clock += 5 * 60_000;
      sim.advanceMeter(1, 300);
      await sim.meterValues(1);
    }
    clock += 60_000;
    await sim.stopTransaction(1, 'EVDisconnected');

    await page.goto(`${service.httpUrl}#/sessions/${tx.transactionId}`);
    await expect(
      page.getByRole('heading', { name: `Charging session ${tx.transactionId}` }),
    ).toBeVisible();
    const facts = page.getByTestId('session-facts');
    await expect(facts).toContainText('Lot 7 (unit 702) — Ravi Patel');
    await expect(facts).toContainText('Ravi’s card');
    await expect(facts).toContainText('2 h 1 min');
    await expect(facts).toContainText('Completed (EVDisconnected)');
    const power = page.getByTestId('session-power-chart');
    await expect(power).toContainText('25 samples');
    await expect(power.locator('.recharts-line')).toHaveCount(2);
    const current = page.getByTestId('session-current-chart');
    await expect(current.locator('.recharts-line')).toHaveCount(3);
    await expect(current).toContainText('L3');

    const samples = page.getByRole('table', { name: 'Meter samples' });
    await expect(samples.locator('tbody tr')).toHaveCount(25);
    // Newest first: the Transaction.End sample (0 A), then the last periodic one at 8 A.
    await expect(samples.locator('tbody tr').nth(1)).toContainText('8.0');
    if (process.env.SCREENSHOTS) {
      // Runs in the page (no DOM types in this tsconfig).
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: 'docs/screenshots/session.png' });
    }
    await samples.locator('tbody tr').nth(1).click();
    await expect(samples).toContainText('Current.Import L2: 8.0 A (Sample.Periodic)');

    await shot(page, 'session-full');
    await page.getByRole('tab', { name: 'OCPP messages' }).click();
    const messages = page.getByRole('table', { name: 'OCPP messages of the session' });
    await expect(messages).toContainText('StopTransaction');
    await expect(messages).toContainText('StartTransaction');
    await expect(messages.locator('tbody tr').filter({ hasText: 'MeterValues' })).toHaveCount(24);
    await shot(page, 'session-messages');
  } finally {
    api.close();
    await sim.close();
  }
});

test('the reports page shows the demo building’s months of charging', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 1250 });
  const svc = await startService({ args: ['--demo'] });
  try {
    await setUpAndLogIn(page, svc.httpUrl);
    const shell = new Shell(page);
    await shell.open('Reports');
    await expect(page.getByRole('heading', { name: 'Reports' })).toBeVisible();
    await page.getByRole('combobox', { name: 'Site' }).click();
    await page.getByRole('option', { name: 'Demo — Harbour Towers' }).click();
    await expect(page.getByText('Australia/Sydney').first()).toBeVisible();
    const byStation = page.getByRole('table', { name: 'By station' });
    await expect(byStation).toContainText('Bay B1-01');
    await expect(page.getByRole('table', { name: 'By account' })).toContainText(
      'Lot 1 (unit 101) — Priya Sharma',
    );
    await expect(
      page.getByTestId('energy-chart').locator('.recharts-bar-rectangle').first(),
    ).toBeVisible();
    await expect(page.getByTestId('hour-chart')).toBeVisible();
    if (process.env.SCREENSHOTS) {
      await page.screenshot({ path: 'docs/screenshots/reports.png' });
    }

    await shot(page, 'reports-full');
    // Each table exports what it shows.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export By station as CSV' }).click();
    const file = await (await download).path();
    const csv = readFileSync(file, 'utf8').replace(/^\ufeff/, '');
    const [header, ...lines] = csv.trim().split(/\r?\n/);
    expect(header).toBe('Station,Sessions,Energy (kWh),Plugged in (h),Occupancy (%)');
    expect(lines.length).toBe(6);

    // Per week, and a shorter period from the presets.
    await page.getByTestId('energy-chart').getByText('Week', { exact: true }).click();
    await expect(page.getByRole('table', { name: 'Energy per week' })).toContainText('Week of');
    await page.getByTestId('report-period').click();
    await page.getByRole('button', { name: 'Last 30 days' }).click();
    await expect(page.getByRole('table', { name: 'Energy per week' })).toBeVisible();
  } finally {
    await svc.stop({ removeData: true });
  }
});
