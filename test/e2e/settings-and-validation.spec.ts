import { test, expect, anAdmin, anOrganisation, aSite } from './pages/fixtures';
import { SetupPage } from './pages/setup-page';
import { Shell } from './pages/shell';
import { setUpAndLogIn } from './pages/session';

test('an invalid value is reported on the field it belongs to', async ({ page, service }) => {
  await page.goto(service.httpUrl);
  const setup = new SetupPage(page);
  // The wizard checks the step with the contract's own rules: it stays, and marks the email.
  await setup.fillAdmin(anAdmin({ email: 'not-an-email' }));
  const email = setup.field('Email');
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Email is not a valid email address')).toBeVisible();
  await email.fill('alex@harbourview.example');
  await setup.next.click();
  // The ABN checksum hint appears as soon as the field is left.
  await setup.field('ABN').fill('51 824 753 557');
  await setup.field('Organisation name').focus();
  await expect(page.getByText('This ABN fails the ATO checksum')).toBeVisible();
  await setup.field('ABN').fill(anOrganisation().abn);
  await setup.fillOrganisation(anOrganisation());
  await setup.fillSite(aSite());
  await setup.finish.click();
  await expect(new Shell(page).userMenu).toContainText('Alex Manager');
});

test('the theme toggle switches to dark and the choice survives a reload', async ({
  page,
  service,
}) => {
  await setUpAndLogIn(page, service.httpUrl);
  const shell = new Shell(page);
  await expect.poll(() => shell.colorScheme()).toBe('light');
  await shell.themeToggle.click();
  await expect.poll(() => shell.colorScheme()).toBe('dark');
  await page.reload();
  await expect(shell.userMenu).toBeVisible();
  await expect.poll(() => shell.colorScheme()).toBe('dark');
  await shell.themeToggle.click();
  await expect.poll(() => shell.colorScheme()).toBe('light');
});
