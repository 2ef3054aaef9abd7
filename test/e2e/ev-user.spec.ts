// A resident (EV user) is told what is true: until their login is linked to their lot's account
// the page says so and who can link it; once linked it shows their own cards.
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
  // Billing is built now (issue 13): no longer marked coming.
  await expect(shell.navLink('Billing')).not.toContainText('Coming');
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

  await shell.logout();
  await new LoginPage(page).login(resident.email, resident.password);
  await expect(shell.userMenu).toContainText('Rhea Resident');
  const main = page.getByRole('main');
  await expect(main).toContainText('Your login is not linked to a lot yet');
  await expect(main).not.toContainText('link your card');

  // The manager links the login to lot 3's resident where the page says: Residents & cards →
  // the account → the resident. The resident's page then shows the lot and its card.
  const account = await api.call<{ id: number }>('account-create', {
    siteId: site?.id,
    lotNumber: '3',
    ownerNames: 'Rhea Resident',
  });
  await api.call('resident-create', {
    accountId: account.id,
    firstName: 'Rhea',
    lastName: 'Resident',
  });
  await api.call('card-issue', { siteId: site?.id, accountId: account.id, number: 'AB12CD34' });
  api.close();
  await shell.logout();
  await new LoginPage(page).login(admin.email, admin.password);
  await page.getByRole('link', { name: 'Residents & cards' }).click();
  await page.getByRole('row', { name: /Rhea Resident/ }).click();
  const drawer = page.getByRole('dialog', { name: 'Account' });
  await drawer.getByLabel('EV-user login for Rhea Resident').click();
  await page.getByRole('option', { name: resident.email }).click();
  await drawer.getByRole('button', { name: 'Link' }).click();
  await expect(drawer).toContainText(`EV-user login: ${resident.email}`);
  await shot(page, 'resident-login-linked');
  await page.keyboard.press('Escape');
  await shell.logout();
  await new LoginPage(page).login(resident.email, resident.password);
  await expect(main).toContainText('Lot 3');
  await expect(main).toContainText('AB12CD34');
  await shot(page, 'ev-user-light');
  await shell.themeToggle.click();
  await shot(page, 'ev-user-dark');
});
