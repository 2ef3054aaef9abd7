// A resident (EV user) is told what is true: the product cannot link cards to accounts yet, so
// it cannot show their sessions; it does not send them to ask for something nobody can do.
// Staff see the pages that only describe a later release marked "Coming" in the menu.
import { test, expect, shot } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { Shell } from './pages/shell';
import { LoginPage } from './pages/login-page';
import { ApiSession } from './pages/api';

test('the EV user page says what the product can do today; placeholder pages are marked coming', async ({
  page,
  service,
}) => {
  const admin = await setUpAndLogIn(page, service.httpUrl);
  const shell = new Shell(page);
  await expect(shell.navLink('Billing')).toContainText('Coming');
  await expect(shell.navLink('Users')).not.toContainText('Coming');

  const api = await ApiSession.open(service.apiUrl);
  await api.call('session-login', { email: admin.email, password: admin.password });
  const [site] = await api.call<{ id: number }[]>('site-list', {});
  const resident = { email: 'rhea@harbourview.example', password: 'a long enough passphrase' };
  await api.call('user-create', {
    ...resident,
    name: 'Rhea Resident',
    role: 'ev_user',
    siteIds: [site?.id],
  });
  api.close();

  await shell.logout();
  await new LoginPage(page).login(resident.email, resident.password);
  await expect(shell.userMenu).toContainText('Rhea Resident');
  const main = page.getByRole('main');
  await expect(main).toContainText('does not yet connect charging cards to resident accounts');
  await expect(main).not.toContainText('link your card');
  await shot(page, 'ev-user-light');
  await shell.themeToggle.click();
  await shot(page, 'ev-user-dark');
});
