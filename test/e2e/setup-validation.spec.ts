// Issue 8 #5, #14, #16 in the browser: the first-run wizard checks each step before it advances and
// shows every error of the step at once, in words naming the field; the time zone starts at the
// browser's; a strata plan typed with its prefix is shown with it once.
import { test, expect, anAdmin, anOrganisation, aSite, shot } from './pages/fixtures';
import { SetupPage } from './pages/setup-page';
import { Shell } from './pages/shell';

// A zone the service machine (UTC on the build machines) does not have: the default must come
// from the browser.
test.use({ timezoneId: 'Australia/Perth' });

test('setup shows every error of a step at once and advances only when the step is valid', async ({
  page,
  service,
}) => {
  await page.goto(service.httpUrl);
  const setup = new SetupPage(page);
  await expect(setup.form).toBeVisible();

  // Next on the empty first step: all three errors together, and the step stays.
  await setup.next.click();
  await expect
    .poll(() => setup.fieldErrors())
    .toEqual([
      'Your name is required.',
      'Email is required.',
      'Password must be at least 10 characters long.',
    ]);
  await expect(setup.currentStep()).toContainText('Administrator');
  await expect(setup.field('Your name')).toHaveAttribute('aria-invalid', 'true');
  await shot(page, 'setup-errors-admin');

  // Partly fixed: the remaining errors only; a mismatched confirmation is one of them.
  const admin = anAdmin();
  await setup.field('Your name').fill(admin.name);
  await setup.field('Email').fill('not-an-email');
  await setup.field('Password').fill(admin.password);
  await setup.field('Confirm password').fill('something else entirely');
  await setup.next.click();
  await expect
    .poll(() => setup.fieldErrors())
    .toEqual([
      'Email is not a valid email address, e.g. name@example.com.',
      'The passwords do not match.',
    ]);
  await expect(setup.currentStep()).toContainText('Administrator');

  await setup.fillAdmin(admin);
  await expect(setup.currentStep()).toContainText('Organisation');
  await expect.poll(() => setup.fieldErrors()).toEqual([]);

  // The organisation step: name missing, ABN and email wrong, a 300-character phone: all at once.
  await setup.field('ABN').fill('51 824 753 557');
  await setup.field('Email').fill('office at harbourview');
  await setup.field('Phone').fill('0'.repeat(300));
  await setup.next.click();
  await expect
    .poll(() => setup.fieldErrors())
    .toEqual([
      'Organisation name is required.',
      'This ABN fails the ATO checksum — check for a mistyped digit',
      'Organisation email is not a valid email address, e.g. name@example.com.',
      'Phone must be at most 40 characters long.',
    ]);
  await expect(setup.currentStep()).toContainText('Organisation');
  await shot(page, 'setup-errors-organisation');
  await setup.field('ABN').fill('');
  await setup.field('Phone').fill('');
  await setup.fillOrganisation(anOrganisation());
  await expect(setup.currentStep()).toContainText('First site');

  // The browser's time zone, not the service's.
  await expect(setup.timeZone).toHaveValue('Australia/Perth');

  // Finish with the site name missing and a latitude out of range: both shown, nothing sent.
  await setup.field('Latitude (optional)').fill('95');
  await setup.finish.click();
  await expect
    .poll(() => setup.fieldErrors())
    .toEqual(['Site name is required.', 'Latitude must be at most 90°.']);
  // Not clamped to 90 behind the user's back.
  await expect(setup.field('Latitude (optional)')).toHaveValue('95');
  await shot(page, 'setup-errors-site');

  await setup.field('Latitude (optional)').fill('');
  await setup.fillSite(aSite({ strataPlan: 'SP 99999' }));
  await setup.finish.click();

  const shell = new Shell(page);
  await expect(shell.userMenu).toContainText(admin.name);
  // The prefix typed with the number is shown once.
  await expect(shell.navigator.getByText('SP 99999', { exact: true })).toBeVisible();
  await expect(page.getByText('SP SP')).toHaveCount(0);
});
