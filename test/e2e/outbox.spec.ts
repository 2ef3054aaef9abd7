// The Outbox with rows, against a real SMTP server started by the spec (127.0.0.1, port 0): an
// alarm email (an unknown charger tried to connect) goes out and its row says Sent; with a wrong
// mail password the next one fails at once with the reason and the server's answer shown (and
// the alarm about it is not emailed through the same broken server: one failed row, not two);
// once the password is fixed, "Retry now" sends it. Nobody presses Refresh: the page is live.
import type { Locator, Page } from '@playwright/test';
import { test, expect, shot } from './pages/fixtures';
import { adminApi } from './pages/charger';
import { setUpAndLogIn } from './pages/session';
import { Shell } from './pages/shell';
import { startSmtpServer } from './support/smtp';

/** The outbox row whose subject names `identity`. */
const rowFor = (page: Page, identity: string): Locator =>
  page
    .getByRole('table', { name: 'Outbox' })
    .getByRole('row')
    .filter({ hasText: `Unknown charger ${identity} tried to connect` });

/** The page updates itself as the message is queued, sent or fails (no Refresh pressed):
 *  sending happens after the commit that queued the message, a moment later. */
async function untilState(row: Locator, state: string) {
  await expect(row).toContainText(state, { timeout: 15_000 });
}

test('the outbox shows an email sent, one failed with the reason, and sends it on retry', async ({
  page,
  service,
  charger,
}) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  const smtp = await startSmtpServer();
  try {
    const admin = await setUpAndLogIn(page, service.httpUrl);
    const api = await adminApi(service, admin);
    const mailServer = {
      host: '127.0.0.1',
      port: smtp.port,
      security: 'none',
      user: smtp.user,
      from: 'alarms@harbourview.example',
    };
    await api.call('mail-settings-update', { ...mailServer, password: smtp.password });
    // The administrator asks for warnings by email (an unknown charger is one).
    await api.call('alarm-prefs-set', {
      emailSeverities: ['warning'],
      siteIds: null,
      quietFrom: null,
      quietTo: null,
      digest: false,
      digestAt: '08:00',
      popupSeverities: [],
    });

    await expect(charger('NEW-CP-1').connect()).rejects.toThrow();
    await new Shell(page).open('Email');
    await page.getByRole('tab', { name: 'Outbox' }).click();
    const first = rowFor(page, 'NEW-CP-1');
    await untilState(first, 'Sent');
    await expect(first).toContainText(admin.email);
    await expect(first.getByRole('button', { name: 'Retry now' })).toHaveCount(0);
    expect(smtp.received.filter((m) => m.raw.includes('NEW-CP-1')).map((m) => m.to)).toEqual([
      [admin.email],
    ]);

    // A wrong password: the next email fails at once (not retried for ever), saying why.
    await api.call('mail-settings-update', { ...mailServer, password: 'not the password' });
    await expect(charger('NEW-CP-2').connect()).rejects.toThrow();
    const second = rowFor(page, 'NEW-CP-2');
    await untilState(second, 'Failed');
    await expect(second).toContainText(/refused the user name or password/);
    await expect(second).toContainText(/535/);
    await shot(page, 'outbox-failed');
    expect(smtp.received.filter((m) => m.raw.includes('NEW-CP-2'))).toEqual([]);

    // Fixed: Retry now sends it, once.
    await api.call('mail-settings-update', { ...mailServer, password: smtp.password });
    api.close();
    await second.getByRole('button', { name: 'Retry now' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Queued' })).toBeVisible();
    await untilState(second, 'Sent');
    await expect(second.getByRole('button', { name: 'Retry now' })).toHaveCount(0);
    await shot(page, 'outbox-retried');
    expect(smtp.received.filter((m) => m.raw.includes('NEW-CP-2')).map((m) => m.to)).toEqual([
      [admin.email],
    ]);
    // The first message went out once, never again.
    expect(smtp.received.filter((m) => m.raw.includes('NEW-CP-1'))).toHaveLength(1);
  } finally {
    await smtp.stop();
  }
});
