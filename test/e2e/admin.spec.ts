import { readFileSync } from 'node:fs';
import { test, expect, shot } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { Shell } from './pages/shell';
import { LoginPage } from './pages/login-page';
import { SitePage, pageHeading } from './pages/site-page';
import { AuditPage, UsersPage } from './pages/admin-pages';

test('the audit log shows the changes and exports them as CSV', async ({ page, service }) => {
  const admin = await setUpAndLogIn(page, service.httpUrl);
  const shell = new Shell(page);
  await shell.treeItem('Harbour View Apartments').click();
  await new SitePage(page).createFloor('Level P2', -2);
  await expect(shell.treeItem('Level P2')).toBeVisible();

  await shell.open('Audit log');
  const audit = new AuditPage(page);
  await expect(audit.table).toContainText('floor-create');
  await expect(audit.table).toContainText('setup-complete');
  await expect(audit.table).toContainText(admin.email);
  await shot(page, '10-audit');

  // Filtering narrows the table; the export follows the filter.
  await audit.search.fill('Level P2');
  await expect(audit.table).not.toContainText('setup-complete');
  const download = await audit.download();
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8');
  expect(csv).toContain('floor-create');
  expect(csv).toContain('Level P2');
});

test('a Support user logs in and does not see Users or the audit log', async ({
  page,
  service,
}) => {
  await setUpAndLogIn(page, service.httpUrl);
  const shell = new Shell(page);
  await shell.open('Users');
  const users = new UsersPage(page);
  const support = {
    name: 'Sam Sparky',
    email: 'sam@electrical.example',
    role: 'Support',
    password: 'a long enough passphrase',
  };
  await users.create(support);
  await expect(users.table).toContainText(support.email);
  await shot(page, '11-users');

  await shell.logout();
  const login = new LoginPage(page);
  await login.login(support.email, support.password);
  await expect(shell.userMenu).toContainText('Sam Sparky');
  await expect(shell.userMenu).toContainText('Support');
  await expect(shell.navLink('Dashboard')).toBeVisible();
  await expect(shell.navLink('Settings')).toBeVisible();
  await expect(shell.navLink('Users')).toHaveCount(0);
  await expect(shell.navLink('Audit log')).toHaveCount(0);
  // Support operates chargers: the sites are in the navigator.
  await expect(shell.treeItem('Harbour View Apartments')).toBeVisible();
  // And typing the address does not reveal the page either.
  await page.goto(service.httpUrl + '#/users');
  await expect(pageHeading(page)).toHaveText('Overview');
  await shot(page, '12-support-dashboard');
});
