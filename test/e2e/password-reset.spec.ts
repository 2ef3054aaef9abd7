// A forgotten password (issue 8 #6): the administrator resets it on the Users page, the one-time
// password is shown once, and the user must choose their own before they can do anything else.
import { test, expect, shot } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { Shell } from './pages/shell';
import { LoginPage } from './pages/login-page';
import { UsersPage } from './pages/admin-pages';

test('an administrator resets a password; the user logs in with it once and must choose a new one', async ({
  page,
  service,
}) => {
  await setUpAndLogIn(page, service.httpUrl);
  const shell = new Shell(page);
  await shell.open('Users');
  const users = new UsersPage(page);
  const sam = {
    name: 'Sam Sparky',
    email: 'sam@electrical.example',
    role: 'Support',
    password: 'a long enough passphrase',
  };
  await users.create(sam);

  await users.table.getByRole('button', { name: `Reset password of ${sam.name}` }).click();
  const confirm = page.getByRole('dialog', { name: 'Reset password' });
  await expect(confirm).toContainText(sam.email);
  await confirm.getByRole('button', { name: 'Reset password' }).click();
  const shown = page.getByRole('dialog', { name: `One-time password for ${sam.name}` });
  await expect(confirm).toBeHidden();
  const oneTime = (await shown.getByTestId('one-time-password').textContent()) ?? '';
  expect(oneTime).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
  await shot(page, '40-one-time-password');
  await shown.getByRole('button', { name: 'Done' }).click();
  await expect(users.table).toContainText('password reset');

  await shell.logout();
  const login = new LoginPage(page);
  await login.login(sam.email, sam.password);
  await expect(login.error).toBeVisible(); // the old password is gone
  await login.login(sam.email, oneTime);
  const choose = page.getByRole('dialog', { name: 'Choose a new password' });
  await expect(choose).toBeVisible();
  await expect(shell.userMenu).toHaveCount(0); // nothing else until a new password is chosen
  await page.keyboard.press('Escape');
  await expect(choose).toBeVisible();
  await shot(page, '41-choose-new-password');

  await choose.getByLabel('One-time password').fill(oneTime);
  await choose.getByLabel('New password', { exact: true }).fill('my very own passphrase');
  await choose.getByLabel('Confirm new password').fill('my very own passphrase');
  await choose.getByRole('button', { name: 'Change password' }).click();
  await expect(choose).toBeHidden();
  await expect(shell.userMenu).toContainText(sam.name);

  await shell.logout();
  await login.login(sam.email, 'my very own passphrase');
  await expect(shell.userMenu).toContainText(sam.name);
});
