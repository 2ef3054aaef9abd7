// A new user's first hour, end to end on the built service started with --demo on a fresh data
// folder: setup (every error of a step shown at once), the charger address shown is the LAN one
// the service printed, a commissioning window onto a site the user chooses (not the first one,
// which is the demo's) registers a real simulated charger there, and the demo is removed in one
// action without touching the user's own site.
import { test, expect } from '@playwright/test';
import { anAdmin, anOrganisation, aSite, shot } from './pages/fixtures';
import { SetupPage } from './pages/setup-page';
import { Shell } from './pages/shell';
import { SitePage, pageHeading } from './pages/site-page';
import { startService } from './support/server';
import { SimCharger } from '../../src-main/sim/charger';

const DEMO = 'Demo — Harbour Towers';

test('fresh start → setup → LAN charger address → commissioning onto a chosen site → demo removed', async ({
  page,
}) => {
  const svc = await startService({ args: ['--demo'] });
  const charger = new SimCharger({
    url: svc.ocppBaseUrl.replace(/\/$/, ''),
    identity: 'NEW-CHARGER-01',
  });
  try {
    expect(svc.output()).toContain('6 simulated chargers connected');
    expect(svc.output()).toContain('Remove demo data');

    // Nothing the page asks for is missing (the favicon was a 404 on every page).
    const missing: string[] = [];
    page.on('response', (r) => {
      if (r.status() === 404) missing.push(r.url());
    });

    // Setup: Next on the empty first step shows every missing field at once, not one per click.
    await page.goto(svc.httpUrl);
    const setup = new SetupPage(page);
    await expect(setup.form).toBeVisible();
    await setup.next.click();
    await expect.poll(async () => (await setup.fieldErrors()).length).toBeGreaterThanOrEqual(3);
    await expect(setup.field('Your name')).toHaveAttribute('aria-invalid', 'true');
    await expect(setup.field('Email')).toHaveAttribute('aria-invalid', 'true');
    await shot(page, 'new-user-1-setup-errors');
    const admin = anAdmin();
    const site = aSite();
    await setup.complete(admin, anOrganisation(), site);
    const shell = new Shell(page);
    await expect(shell.userMenu).toContainText(admin.name);

    // The address to type into a charger: this machine's LAN address(es), as the banner said.
    await shell.open('New chargers');
    expect(svc.chargerUrls.ocpp.join()).not.toContain('127.0.0.1');
    await expect(page.getByTestId('ocpp-url')).toHaveText(svc.chargerUrls.ocpp.join('\n'));

    // A floor on the user's own site, then the commissioning window onto it.
    await shell.treeItem(site.name).click();
    await new SitePage(page).createFloor('Level 1', 1);
    await shell.open('New chargers');
    await page.getByRole('combobox', { name: 'Register them on site' }).click();
    await page.getByRole('option', { name: site.name }).click();
    await page.getByRole('combobox', { name: 'Floor' }).click();
    await page.getByRole('option', { name: 'Level 1' }).click();
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect(page.getByTestId('commissioning-state')).toContainText('Open until');
    await expect(page.getByTestId('commissioning-target')).toContainText(`${site.name}, Level 1`);
    await shot(page, 'new-user-2-commissioning');

    // A charger nobody registered connects: it is accepted and lands on the chosen floor.
    expect(await charger.start()).toBe('Accepted');
    await shell.treeItem('Level 1').click();
    await expect(page.getByRole('main')).toContainText('NEW-CHARGER-01');

    // The demo: one action removes it all; the user's site and the new charger stay.
    await shell.treeItem(DEMO).click();
    await expect(pageHeading(page)).toContainText(DEMO);
    await page.getByRole('button', { name: 'Remove demo data' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove demo data' });
    await shot(page, 'new-user-3-remove-demo');
    await dialog.getByRole('button', { name: 'Remove demo data' }).click();
    await expect(shell.treeItem(DEMO)).toHaveCount(0);
    await expect(shell.treeItem(site.name)).toBeVisible();
    await shell.treeItem('Level 1').click();
    await expect(page.getByRole('main')).toContainText('NEW-CHARGER-01');
    const icon = await page.request.get(new URL('favicon.svg', svc.httpUrl).href);
    expect(icon.status()).toBe(200);
    expect(missing).toEqual([]);
  } catch (e) {
    console.log(svc.output());
    throw e;
  } finally {
    await charger.close();
    await svc.stop({ removeData: true });
  }
});
