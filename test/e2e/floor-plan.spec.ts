// The floor plan, as a strata manager uses it: upload the car park's plan (a wrong file is
// refused in words and the plan kept), drag two chargers onto it, and watch them change colour
// live as their (simulated) chargers start charging and report a fault. With SCREENSHOTS=1
// (`npm run screenshots`) it also refreshes the floor-plan picture in docs/.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { Shell } from './pages/shell';
import { SitePage, pageHeading } from './pages/site-page';
import { FloorPage } from './pages/station-page';
import { SimCharger } from '../../src-main/sim/charger';
import { planPng } from '../support/plan-image';

test('a floor plan shows its chargers live: uploaded, placed, charging, faulted', async ({
  page,
  service,
}) => {
  await page.setViewportSize({ width: 1400, height: 1000 });
  await setUpAndLogIn(page, service.httpUrl);
  const shell = new Shell(page);
  await shell.treeItem('Harbour View Apartments').click();
  await new SitePage(page).createFloor('Basement 1', -1);
  for (const [identity, name] of <const>[
    ['SIM-A', 'Bay 12'],
    ['SIM-B', 'Bay 14'],
  ]) {
    await shell.treeItem('Basement 1').click();
    await new FloorPage(page).createStation(identity, name);
    await expect(pageHeading(page)).toContainText(name);
  }
  await shell.treeItem('Basement 1').click();
  const section = page.getByRole('region', { name: 'Floor plan section' });
  await expect(section).toContainText('at most 2.5 MB');

  const dir = mkdtempSync(join(tmpdir(), 'plan-'));
  const notes = join(dir, 'minutes.png');
  writeFileSync(notes, 'Minutes of the strata committee meeting');
  const plan = join(dir, 'basement-1.png');
  writeFileSync(plan, planPng(1200, 800));
  const fileInput = section.locator('input[type=file]');

  await fileInput.setInputFiles(notes);
  await expect(section.getByRole('alert')).toContainText('not an image');
  await fileInput.setInputFiles(plan);
  await expect(section).toContainText('Plan “basement-1.png” uploaded (1200 × 800 pixels)');
  await expect(section.getByRole('alert')).toBeHidden();
  // A wrong file now: refused, the plan still shown.
  await fileInput.setInputFiles(notes);
  await expect(section.getByRole('alert')).toContainText('not an image');
  await expect(section).toContainText('basement-1.png · 1200 × 800 pixels ·');

  const map = section.getByRole('application', { name: 'Floor plan' });
  await section.getByTestId('unplaced-SIM-A').dragTo(map, { targetPosition: { x: 250, y: 200 } });
  await expect(section.getByTestId('plan-station-SIM-A')).toBeVisible();
  await section.getByTestId('unplaced-SIM-B').dragTo(map, { targetPosition: { x: 520, y: 200 } });
  const pinA = section.getByTestId('plan-station-SIM-A');
  const pinB = section.getByTestId('plan-station-SIM-B');
  await expect(pinB).toBeVisible();
  await expect(section.getByText('Every station of this floor is on the plan.')).toBeVisible();
  await expect(pinA).toHaveAttribute('data-state', 'offline');

  const url = service.ocppBaseUrl.replace(/\/$/, '');
  const simA = new SimCharger({ url, identity: 'SIM-A', connectors: 1 });
  const simB = new SimCharger({ url, identity: 'SIM-B', connectors: 1 });
  try {
    expect(await simA.start()).toBe('Accepted');
    expect(await simB.start()).toBe('Accepted');
    await expect(pinA).toHaveAttribute('data-state', 'available');
    await expect(pinB).toHaveAttribute('data-state', 'available');

    await simA.startTransaction(1, 'CARD-0042');
    await expect(pinA).toHaveAttribute('data-state', 'charging');
    await simB.statusNotification(1, 'Faulted', 'GroundFailure', { info: 'RCD tripped' });
    await expect(pinB).toHaveAttribute('data-state', 'faulted');
    // The pins share the navigator's colours for the same state.
    await expect(shell.navigator.getByTestId('nav-station-SIM-B')).toHaveAttribute(
      'data-tone',
      'fault',
    );

    await pinA.click();
    const panel = section.getByRole('region', { name: 'Station Bay 12' });
    await expect(panel).toContainText('Outlet 1: Charging');
    await expect(panel).toContainText('Card CARD-0042');
    // The session in progress links to its own page.
    await expect(panel.getByRole('link', { name: /^Session \d+$/ })).toHaveAttribute(
      'href',
      /\/sessions\/\d+$/,
    );
    if (process.env.SCREENSHOTS) {
      await page.screenshot({ path: 'docs/screenshots/floor-plan.png' });
    }
    await panel.getByRole('link', { name: 'Bay 12' }).click();
    await expect(pageHeading(page)).toContainText('Bay 12');

    // The dashboard counts the same states, lists the session, and keeps the panels chosen.
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await expect(page.getByTestId('state-count-charging')).toContainText('1');
    await expect(page.getByTestId('state-count-faulted')).toContainText('1');
    const sessions = page.getByRole('region', { name: 'Sessions in progress' });
    await expect(sessions).toContainText('CARD-0042');
    await page.getByRole('button', { name: 'Arrange panels' }).click();
    await page.getByRole('checkbox', { name: 'Latest charger messages' }).uncheck();
    await page.getByRole('checkbox', { name: 'Active alarms' }).check();
    await page.getByRole('button', { name: 'Done' }).click();
    await page.reload();
    // The fault is an alarm there too (shown by default).
    await expect(page.getByRole('region', { name: 'Active alarms' })).toContainText(
      'Bay 14 (SIM-B) outlet 1: ground failure',
    );
    await expect(page.getByRole('region', { name: 'Latest charger messages' })).toBeHidden();
    await expect(sessions).toContainText('CARD-0042');
    if (process.env.SCREENSHOTS) {
      await page.screenshot({ path: 'docs/screenshots/dashboard.png', fullPage: true });
    }
  } finally {
    await simA.close();
    await simB.close();
  }
});
