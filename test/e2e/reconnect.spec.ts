// The API socket drops (service restarted on the same port and data, or the connection cut under
// the page): the header says "Reconnecting…", the UI reconnects by itself, resumes the session and
// keeps working without a reload.
import type { Page, WebSocketRoute } from '@playwright/test';
import { test, expect } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { Shell } from './pages/shell';
import { SitePage } from './pages/site-page';
import { startService } from './support/server';

test('the service restarts on the same port: the UI reconnects and keeps the session', async ({
  page,
  service,
}) => {
  const admin = await setUpAndLogIn(page, service.httpUrl);
  const shell = new Shell(page);
  const port = new URL(service.httpUrl).port;
  // Marks the document: a reload would lose it.
  await page.evaluate(() => {
    (globalThis as unknown as Record<string, unknown>)['noReload'] = true;
  });

  expect(await service.stop()).toBe(0);
  await expect(shell.linkState).toBeVisible();

  const again = await startService({ dataDir: service.dataDir, args: ['--http-port', port] });
  try {
    await expect(shell.linkState).toBeHidden({ timeout: 20_000 });
    await expect(shell.userMenu).toContainText(admin.name);
    // Still working: a change goes through and shows up live in the navigator.
    await shell.treeItem('Harbour View Apartments').click();
    await new SitePage(page).createFloor('Level P3', -3);
    await expect(shell.treeItem('Level P3')).toBeVisible();
    expect(
      await page.evaluate(() => (globalThis as unknown as Record<string, unknown>)['noReload']),
    ).toBe(true);
  } finally {
    await again.stop();
  }
});

/**
 * Sits between the page and the service's API socket (Playwright's WebSocket routing), so a test
 * can cut the connection and refuse new ones for a while: a network outage the page cannot tell
 * from a real one.
 */
class ApiLink {
  private up = true;
  private open: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
  /** Connections the page made while the link was down. */
  refused = 0;

  async install(page: Page): Promise<void> {
    await page.routeWebSocket(/\/api$/, (ws) => {
      if (!this.up) {
        // Accepts, then dies on the first message (the session resume): the worst moment.
        this.refused += 1;
        ws.onMessage(() => void ws.close({ code: 1012, reason: 'Service restarting' }));
        return;
      }
      this.open.push({ page: ws, server: ws.connectToServer() });
    });
  }

  async cut(): Promise<void> {
    this.up = false;
    const open = this.open;
    this.open = [];
    for (const c of open) {
      await c.server.close();
      await c.page.close({ code: 1012, reason: 'Service restarting' });
    }
  }

  restore(): void {
    this.up = true;
  }
}

test('the connection drops and stays down for a while: a change made meanwhile goes through once it is back', async ({
  page,
  service,
}) => {
  const link = new ApiLink();
  await link.install(page);
  await setUpAndLogIn(page, service.httpUrl);
  const shell = new Shell(page);
  await shell.treeItem('Harbour View Apartments').click();
  const site = new SitePage(page);
  await expect(site.heading).toHaveText('Harbour View Apartments');

  await link.cut();
  await expect(shell.linkState).toBeVisible();
  // Several reconnect attempts fail while the user fills in a form and saves it.
  const dialog = await site.openAddFloor();
  await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('Level P4');
  await dialog.getByRole('textbox', { name: 'Level', exact: true }).fill('-4');
  await dialog.getByRole('button', { name: 'Add floor' }).click();
  await expect.poll(() => link.refused).toBeGreaterThanOrEqual(2);

  link.restore();
  await expect(shell.linkState).toBeHidden({ timeout: 20_000 });
  await expect(dialog).toBeHidden();
  await expect(shell.treeItem('Level P4')).toBeVisible();
  await expect(site.floors.getByRole('link', { name: 'Level P4' })).toBeVisible();
});
