// The sessions page and the review queue in the browser. A simulated charger charges on two
// residents' cards and once with a meter that goes backwards; the manager filters the sessions,
// exports exactly that view (the downloaded CSV is read back), then resolves the flagged session
// in the review queue, with the reason the core requires.
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { test, expect, shot } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { ApiSession } from './pages/api';

const MIN = 60_000;

test('filter sessions, export the view, resolve a flagged session', async ({
  page,
  service,
  charger,
}) => {
  await page.setViewportSize({ width: 1500, height: 1100 });
  const admin = await setUpAndLogIn(page, service.httpUrl);
  const api = await ApiSession.open(service.apiUrl);
  await api.call('session-login', { email: admin.email, password: admin.password });
  const [site] = await api.call<{ id: number }[]>('site-list', {});
  if (!site) throw new Error('setup created no site');
  await api.call('station-create', {
    siteId: site.id,
    identity: 'SIM-SESS',
    name: 'Bay 4',
    connectorCount: 1,
    phases: 'L1',
    maxCurrentA: 32,
  });
  for (const [lot, owner, number] of [
    ['5', 'Jane Citizen', 'A1A1A1A1'],
    ['6', 'Sam Buyer', 'B2B2B2B2'],
  ] as const) {
    const account = await api.call<{ id: number }>('account-create', {
      siteId: site.id,
      lotNumber: lot,
      ownerNames: owner,
    });
    await api.call('card-issue', { siteId: site.id, accountId: account.id, number });
  }
  // The charger's clock: the sessions ran over the last few hours.
  let clock = Date.now() - 5 * 60 * MIN;
  const sim = charger('SIM-SESS', { phases: 1, maxCurrentA: 32, voltage: 230, now: () => clock });
  expect(await sim.start()).toBe('Accepted');
  // Jane: one hour at 7.36 kW; Sam: half an hour.
  for (const [tag, minutes] of [
    ['A1A1A1A1', 60],
    ['B2B2B2B2', 30],
  ] as const) {
    await sim.startTransaction(1, tag);
    clock += minutes * MIN;
    sim.advanceMeter(1, minutes * 60);
    await sim.meterValues(1);
    await sim.stopTransaction(1, 'EVDisconnected');
    clock += 10 * MIN;
  }
  // A meter that goes backwards: 7,360 Wh after an hour, then 2,000 Wh less.
  await sim.startTransaction(1, 'A1A1A1A1');
  clock += 60 * MIN;
  sim.advanceMeter(1, 3600);
  await sim.meterValues(1);
  clock += MIN;
  sim.connector(1).registerWh -= 2000;
  await sim.meterValues(1);
  await sim.stopTransaction(1);

  // The sessions page: three sessions; Lot 5's two.
  await page.goto(`${service.httpUrl}#/sessions`);
  await expect(page.getByRole('heading', { name: 'Charging sessions' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Charging sessions' });
  await expect(table.locator('tbody tr')).toHaveCount(3);
  await expect(page.getByTestId('pager-status')).toHaveText('Showing 1–3 of 3 sessions');
  // At 1400 px (a common laptop) every column fits: the flagged session's badges in the last
  // column are whole and inside the window, not cut off at its edge.
  await page.setViewportSize({ width: 1400, height: 1000 });
  const toReview = table.getByText('To review', { exact: true });
  await expect(toReview).toBeVisible();
  for (const cell of [toReview, table.getByText('Meter went backwards', { exact: true })]) {
    const box = await cell.boundingBox();
    expect(box).not.toBeNull();
    // ... and inside the table's frame (the table does not overflow it).
    const frame = await table.locator('xpath=..').boundingBox();
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(
      Math.min(1400, (frame?.x ?? 0) + (frame?.width ?? 0)),
    );
    expect(await table.evaluate((t) => t.scrollWidth <= (t.parentElement?.clientWidth ?? 0))).toBe(
      true,
    );
    // A badge cut short by its own width (ellipsis) is as bad as one off the edge.
    expect(await cell.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
  }
  expect(await page.locator('html').evaluate((h) => h.scrollWidth)).toBeLessThanOrEqual(1400);
  await shot(page, 'sessions-1400');
  await page.setViewportSize({ width: 1500, height: 1100 });
  await page.getByLabel('Lot or unit').fill('6');
  await expect(table.locator('tbody tr')).toHaveCount(1);
  const row = table.locator('tbody tr').first();
  await expect(row).toContainText('B2B2B2B2');
  await expect(row).toContainText('3.68 kWh');
  await expect(row).toContainText('7,360 W');
  await expect(row).toContainText('30 min');
  await shot(page, 'sessions-filtered');

  // The export is exactly this view.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const file = await (await download).path();
  const csv = readFileSync(file, 'utf8').replace(/^\ufeff/, '');
  const parsed = Papa.parse<Record<string, string>>(csv.trim(), { header: true });
  expect(parsed.data).toHaveLength(1);
  expect(parsed.data[0]).toMatchObject({
    Card: 'B2B2B2B2',
    Lot: '6',
    'Energy (kWh)': '3.680',
    'Average power (W)': '7360',
    'Duration (min)': '30.0',
    'Stop reason': 'EVDisconnected',
  });

  // The row links to its session page.
  await row.getByRole('link').click();
  await expect(page).toHaveURL(/#\/sessions\/\d+$/);

  // The review queue: the backwards meter, resolved with a reason.
  await page.getByRole('link', { name: 'Review queue' }).click();
  await expect(page.getByRole('heading', { name: 'Review queue' })).toBeVisible();
  const queue = page.getByRole('table', { name: 'Sessions to review' });
  await expect(queue.locator('tbody tr')).toHaveCount(1);
  await expect(queue).toContainText('Meter went backwards');
  await queue.locator('tbody tr').first().click();
  const panel = page.locator('[data-testid^="review-"]');
  await expect(panel).toContainText('the meter went backwards');
  await expect(panel.getByRole('table', { name: 'Raw meter readings' })).toContainText(
    'Energy.Active.Import.Register',
  );
  await panel.getByLabel('Set the stop reading from the meter samples').check();
  await panel.getByLabel('Meter sample to take the stop reading from').click();
  // The first sample: the highest reading, before the meter went back.
  await page.getByRole('option').first().click();
  await panel.getByRole('button', { name: 'Resolve' }).click();
  await expect(panel.getByText('Say why: the reason is kept')).toBeVisible();
  await shot(page, 'review-open');
  await panel
    .getByLabel('Reason')
    .fill('Meter module swapped mid-session; the last good reading stands');
  await panel.getByRole('button', { name: 'Resolve' }).click();
  await expect(page.getByText(/Session \d+ resolved/)).toBeVisible();
  await expect(page.getByTestId('empty-state')).toContainText('Nothing to review');

  await page.getByText('Reviewed', { exact: true }).click();
  await expect(queue.locator('tbody tr')).toHaveCount(1);
  await expect(queue).toContainText('Reviewed');
  await shot(page, 'review-resolved');

  const audit = await api.call<{ entries: { method: string; after: { action: string } }[] }>(
    'audit-list',
    { method: 'session-resolve' },
  );
  expect(audit.entries.map((e) => e.after.action)).toEqual(['set-stop-reading']);
});
