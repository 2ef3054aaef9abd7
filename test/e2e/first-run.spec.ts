// A new strata manager installs StrataCharge: first-run setup, their building, a car-park level,
// then logs out and back in.
import { test, expect, anAdmin, anOrganisation, aSite, shot } from './pages/fixtures';
import { SetupPage } from './pages/setup-page';
import { LoginPage } from './pages/login-page';
import { Shell } from './pages/shell';
import { DashboardPage, SitePage, pageHeading } from './pages/site-page';

test('first-run setup, a site and a floor in the navigator, logout and login', async ({
  page,
  service,
}) => {
  const admin = anAdmin();
  await page.goto(service.httpUrl);

  const setup = new SetupPage(page);
  await expect(setup.form).toBeVisible();
  await shot(page, '01-setup-admin');
  await setup.fillAdmin(admin);
  await setup.fillOrganisation(anOrganisation());
  // The time zone defaults to the machine's (setup-status.defaultTimeZone).
  await expect(setup.timeZone).not.toHaveValue('');
  await setup.fillSite(aSite());
  await shot(page, '02-setup-site');
  await setup.finish.click();

  // Logged in straight away: the shell with the first site in the navigator.
  const shell = new Shell(page);
  await expect(shell.userMenu).toContainText(admin.name);
  await expect(shell.treeItem('Harbour View Apartments')).toBeVisible();
  await shot(page, '03-dashboard');

  // A second building, then its car-park level.
  await new DashboardPage(page).createSite('Marina Towers', '67890');
  const site = new SitePage(page);
  await expect(site.heading).toHaveText('Marina Towers');
  await expect(site.emptyState).toContainText('No floors yet — add the car-park levels');
  await expect(shell.siteContext).toHaveText('Marina Towers');
  await shot(page, '04-site-empty');
  await site.createFloor('Basement 1', -1);
  await expect(site.floors.getByRole('link', { name: 'Basement 1' })).toBeVisible();
  await expect(shell.treeItem('Marina Towers')).toBeVisible();
  await expect(shell.treeItem('Basement 1')).toBeVisible();
  await shot(page, '05-site-floors');

  // Tree items are links: keyboard users can reach the floor page.
  await shell.treeItem('Basement 1').focus();
  await page.keyboard.press('Enter');
  await expect(pageHeading(page)).toHaveText('Basement 1');
  await expect(page.getByTestId('empty-state')).toContainText(
    'No charging stations on this floor yet',
  );
  await shot(page, '06-floor-empty');

  await shell.logout();
  const login = new LoginPage(page);
  await expect(login.form).toBeVisible();
  await expect(login.notice).toContainText('logged out');

  // Wrong password: the generic message, which does not say whether the email exists.
  await login.login(admin.email, 'not the password at all');
  await expect(login.error).toHaveText('The email or password is not correct.');
  await shot(page, '07-login-error');

  await login.login(admin.email, admin.password);
  await expect(shell.userMenu).toContainText(admin.name);
  await expect(shell.treeItem('Basement 1')).toBeVisible();
});
