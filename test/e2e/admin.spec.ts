import { readFileSync } from 'node:fs';
import { test, expect, shot } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { Shell } from './pages/shell';
import { LoginPage } from './pages/login-page';
import { SitePage, pageHeading } from './pages/site-page';
import { AuditPage, UsersPage } from './pages/admin-pages';
import { ApiSession } from './pages/api';

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

test('the audit log pages through every entry, keeps the filter, and exports the whole filtered set', async ({
  page,
  service,
}) => {
  const admin = await setUpAndLogIn(page, service.httpUrl);
  // 60 floors: more audit entries than one page holds.
  const api = await ApiSession.open(service.apiUrl);
  try {
    await api.call('session-login', { email: admin.email, password: admin.password });
    const siteId = (await api.call<{ id: number }[]>('site-list', {}))[0]?.id;
    if (siteId === undefined) throw new Error('setup created no site');
    for (let i = 1; i <= 60; i++)
      await api.call('floor-create', { siteId, name: `Level ${i}`, level: i });
  } finally {
    api.close();
  }

  const shell = new Shell(page);
  await shell.open('Audit log');
  const audit = new AuditPage(page);
  await expect(audit.pager.status).toHaveText(/^Showing 1–50 of \d+ entries$/);
  await expect(audit.rows).toHaveCount(50);
  await expect(audit.pager.previous).toBeDisabled();

  await audit.action.fill('floor-create');
  await expect(audit.pager.status).toHaveText('Showing 1–50 of 60 entries');
  await expect(audit.rows.first()).toContainText('floor-create');
  await audit.pager.next.click();
  await expect(audit.pager.status).toHaveText('Showing 51–60 of 60 entries');
  await expect(audit.rows).toHaveCount(10);
  await expect(audit.pager.next).toBeDisabled();
  await expect(audit.table).not.toContainText('setup-complete');
  await shot(page, '13-audit-page-2');

  // Rows open from the keyboard.
  await audit.rows.first().focus();
  await page.keyboard.press('Enter');
  await expect(audit.rows.first()).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('ArrowDown');
  await expect(audit.rows.nth(1)).toBeFocused();

  await audit.pager.previous.click();
  await expect(audit.pager.status).toHaveText('Showing 1–50 of 60 entries');

  const csv = readFileSync(await (await audit.download()).path(), 'utf8');
  const floorRows = csv.split('\n').filter((line) => line.includes(',floor-create,'));
  expect(floorRows).toHaveLength(60);
  expect(csv).not.toContain('setup-complete');
});
