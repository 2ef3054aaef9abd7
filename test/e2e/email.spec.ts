// The Email page against a real SMTP server started by the spec (127.0.0.1, port 0): the
// administrator enters the mail server, a wrong password is explained, the right one sends a
// test email that arrives, and the password is never shown back. Backups download as files.
import { readFileSync } from 'node:fs';
import { test, expect, shot } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { Shell } from './pages/shell';
import { startSmtpServer } from './support/smtp';

test('an administrator sets up the mail server and sends a test email', async ({
  page,
  service,
}) => {
  const smtp = await startSmtpServer();
  try {
    await setUpAndLogIn(page, service.httpUrl);
    await new Shell(page).open('Email');
    // The write-only field (its show/hide toggle carries the same label).
    const password = page.locator('input[autocomplete="new-password"]');
    await page.getByRole('tab', { name: 'Mail server' }).click();
    await page.getByLabel('Mail server (SMTP host)').fill('127.0.0.1');
    await page.getByText('None (25)').click();
    await page.getByLabel('Port').fill(String(smtp.port));
    await page.getByLabel('User name').fill(smtp.user);
    await password.fill('not the password');
    await page.getByLabel('From address').fill('billing@harbourview.example');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('A password is stored.')).toBeVisible();
    await expect(password).toHaveValue('');

    await page.getByLabel('To', { exact: true }).fill('manager@harbourview.example');
    await page.getByRole('button', { name: 'Send test email' }).click();
    await expect(page.getByText('The test email was not sent')).toBeVisible();
    await expect(page.getByText(/refused the user name or password/)).toBeVisible();
    await expect(page.getByText(/535/)).toBeVisible();
    await shot(page, 'email-wrong-password');

    await password.fill(smtp.password);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(password).toHaveValue('');
    await page.getByRole('button', { name: 'Send test email' }).click();
    await expect(page.getByText('Test email sent')).toBeVisible();
    expect(smtp.received.map((m) => m.to)).toEqual([['manager@harbourview.example']]);
    // The page never received the password back.
    expect(await page.content()).not.toContain(smtp.password);

    await page.getByRole('tab', { name: 'Outbox' }).click();
    await expect(page.getByText('No email sent yet')).toBeVisible();
  } finally {
    await smtp.stop();
  }
});

test('an administrator downloads a backup file', async ({ page, service }) => {
  await setUpAndLogIn(page, service.httpUrl);
  await new Shell(page).open('Settings');
  await page.getByRole('tab', { name: 'Backups' }).click();
  await page.getByRole('button', { name: 'Back up now' }).click();
  const row = page.getByRole('table', { name: 'Backups' }).getByRole('row').nth(1);
  await expect(row).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    row.getByRole('button', { name: 'Download' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.db$/);
  const bytes = readFileSync(await download.path());
  expect(bytes.subarray(0, 15).toString('latin1')).toBe('SQLite format 3');
});
