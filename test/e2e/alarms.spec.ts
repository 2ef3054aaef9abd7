// Alarms as a strata manager meets them: a simulated charger on the floor plan reports a ground
// fault; the manager sees a pop-up, the alarm on the dashboard, on the plan and in the navigator,
// finds it in active alarms and receives the email on a real SMTP server; clears it saying why;
// then the charger drops off the network: after the grace period an "offline" alarm is raised,
// and it closes itself when the charger comes back. With SCREENSHOTS=1 (`npm run screenshots`)
// it refreshes docs/screenshots/alarms.png.
import { test, expect } from './pages/fixtures';
import { adminApi, stationInUi } from './pages/charger';
import { AlarmsPage } from './pages/alarms-page';
import { startSmtpServer } from './support/smtp';
import { planPng } from '../support/plan-image';

test('a fault and an outage raise alarms everywhere, by email too; cleared by hand and by themselves', async ({
  page,
  service,
  charger,
}) => {
  await page.setViewportSize({ width: 1400, height: 1000 });
  const { admin, shell } = await stationInUi(page, service, {
    identity: 'SIM-F',
    name: 'Bay 21',
  });
  const smtp = await startSmtpServer();
  const api = await adminApi(service, admin);
  try {
    await api.call('mail-settings-update', {
      host: '127.0.0.1',
      port: smtp.port,
      security: 'none',
      user: smtp.user,
      password: smtp.password,
      from: 'alarms@harbourview.example',
    });
    // The plan and the station on it (the floor-plan spec does this through the UI).
    const tree = await api.call<{
      sites: { floors: { id: number }[]; stations: { id: number }[] }[];
    }>('tree-get', {});
    const floorId = tree.sites[0]?.floors[0]?.id ?? 0;
    const stationId = tree.sites[0]?.stations[0]?.id ?? 0;
    await api.call('floor-plan-upload', {
      floorId,
      fileName: 'basement-1.png',
      data: planPng(900, 600).toString('base64'),
    });
    await api.call('station-plan-place', { stationId, position: { x: 300, y: 250 } });

    // The manager asks for critical alarms by email and shortens the offline grace period.
    const alarms = new AlarmsPage(page);
    await alarms.open('My notifications');
    await alarms.prefs
      .getByLabel('Severities emailed at once')
      .getByRole('checkbox', { name: 'Critical' })
      .check();
    await alarms.prefs.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Notification settings saved')).toBeVisible();
    await alarms.tab('Rules').click();
    await alarms.setGrace(5);

    const sim = charger('SIM-F');
    expect(await sim.start()).toBe('Accepted');
    await shell.treeItem('Basement 1').click();
    const pin = page.getByTestId('plan-station-SIM-F');
    await expect(pin).toHaveAttribute('data-state', 'available');
    await expect(page.getByTestId('plan-alarm-SIM-F')).toBeHidden();

    await sim.statusNotification(1, 'Faulted', 'GroundFailure', { info: 'RCD tripped' });
    // Live, without a reload: the pop-up, the pin's badge, the navigator.
    await expect(page.getByTestId('alarm-toast')).toContainText('ground failure');
    await expect(pin).toHaveAttribute('data-state', 'faulted');
    await expect(page.getByTestId('plan-alarm-SIM-F')).toHaveAttribute('data-severity', 'critical');
    await expect(shell.navigator.getByTestId('nav-alarm-SIM-F')).toHaveText('1');

    await shell.navLink('Dashboard').click();
    const panel = page.getByRole('region', { name: 'Active alarms' });
    await expect(panel).toContainText('Bay 21 (SIM-F) outlet 1: ground failure');
    await expect(panel.getByTestId('alarm-count-critical')).toContainText('1');
    await panel.getByRole('link', { name: 'Open the alarms page' }).click();

    const row = alarms.row('ground failure');
    await expect(row).toContainText('RCD tripped');
    await expect(row).toContainText('Critical');
    await expect(row).toContainText('New');
    if (process.env.SCREENSHOTS) {
      await page.screenshot({ path: 'docs/screenshots/alarms.png' });
    }

    await expect
      .poll(() => smtp.received.map((m) => /^Subject: (.*)$/m.exec(m.raw)?.[1]))
      .toContain('[StrataCharge] Critical: Bay 21 (SIM-F) outlet 1: ground failure');
    expect(smtp.received[0]?.to).toEqual([admin.email]);

    // Acknowledged, then cleared with a reason (a reason is required).
    await row.getByRole('button', { name: /^Acknowledge/ }).click();
    await expect(row).toContainText(admin.name);
    await row.getByRole('button', { name: /^Clear/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Clear this alarm' });
    await dialog.getByRole('button', { name: 'Clear alarm' }).click();
    await expect(dialog).toContainText('Say why it is cleared');
    await dialog
      .getByRole('textbox', { name: 'Why is it cleared?' })
      .fill('Electrician reset the RCD and tested the outlet');
    await dialog.getByRole('button', { name: 'Clear alarm' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText('No active alarms')).toBeVisible();
    await alarms.tab('Alarm history').click();
    const cleared = alarms.row('ground failure');
    await expect(cleared).toContainText(admin.name);
    await expect(cleared).toContainText('Electrician reset the RCD and tested the outlet');

    // The charger drops off: after the 5 s grace period, an offline alarm; back, it closes.
    await sim.statusNotification(1, 'Available');
    await alarms.tab('Active alarms').click();
    await sim.goOffline();
    await expect(alarms.row('is offline')).toContainText('Bay 21 (SIM-F) is offline', {
      timeout: 20_000,
    });
    await expect(shell.navigator.getByTestId('nav-alarm-SIM-F')).toBeVisible();
    await sim.reconnect({ boot: true });
    await expect(page.getByText('No active alarms')).toBeVisible();
    await alarms.tab('Alarm history').click();
    const back = alarms.row('is offline');
    await expect(back).toContainText('Cleared itself');
    await expect(back).toContainText('The charger connected again.');
    await alarms.tab('Event log').click();
    await expect(page.getByRole('table', { name: 'Alarm event log' })).toContainText(
      'Acknowledged',
    );
  } finally {
    api.close();
    await smtp.stop();
  }
});

test('pop-ups follow my choice of severities', async ({ page, service, charger }) => {
  const { shell } = await stationInUi(page, service, { identity: 'SIM-P', name: 'Bay 30' });
  const alarms = new AlarmsPage(page);
  await alarms.open('My notifications');
  const popups = alarms.prefs.getByLabel('Severities that pop up');
  await expect(popups.getByRole('checkbox', { name: 'Critical' })).toBeChecked();
  await popups.getByRole('checkbox', { name: 'Critical' }).uncheck();
  await popups.getByRole('checkbox', { name: 'Warning' }).check();
  await alarms.prefs.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Notification settings saved')).toBeVisible();

  const sim = charger('SIM-P');
  expect(await sim.start()).toBe('Accepted');
  await sim.statusNotification(1, 'Faulted', 'GroundFailure');
  await expect(shell.navigator.getByTestId('nav-alarm-SIM-P')).toHaveText('1');
  await sim.statusNotification(1, 'Available', 'OtherError', { vendorErrorCode: 'E42' });
  // The warning pops up; the critical fault before it (asked first, answered first) did not.
  await expect(page.getByTestId('alarm-toast')).toHaveAttribute('data-severity', 'warning');
  await expect(page.getByTestId('alarm-toast')).toHaveCount(1);
  await expect(page.getByTestId('alarm-toast')).toContainText('manufacturer error E42');
});
