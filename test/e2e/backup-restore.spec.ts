// Restoring a backup from Settings → Backups while chargers are connected: every charger is
// disconnected and must reconnect against the restored data (a charger added since the backup
// is refused), the restore is in the audit log, and the daily backup time names its zone.
import { test, expect } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { ApiSession } from './pages/api';
import { SimCharger } from '../../src-main/sim/charger';

const CLOSED = 3; // ocpp-rpc client state

test('a restore from the UI drops every charger; only those in the backup come back', async ({
  page,
  service,
}) => {
  const admin = await setUpAndLogIn(page, service.httpUrl);
  const api = await ApiSession.open(service.apiUrl);
  await api.call('session-login', { email: admin.email, password: admin.password });
  const [site] = await api.call<{ id: number; timeZone: string }[]>('site-list', {});
  if (!site) throw new Error('setup created no site');
  const addStation = (identity: string) =>
    api.call('station-create', { siteId: site.id, identity, name: identity, connectorCount: 1 });
  const sims: SimCharger[] = [];
  const charger = (identity: string) => {
    const sim = new SimCharger({ url: service.ocppBaseUrl.replace(/\/$/, ''), identity });
    sims.push(sim);
    return sim;
  };

  try {
    await addStation('KEEP-0001');
    const keep = charger('KEEP-0001');
    expect(await keep.start()).toBe('Accepted');

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Backups' }).click();
    // The daily time is in the site's zone, and says so.
    await expect(page.getByText(`At (${site.timeZone})`)).toBeVisible();
    await page.getByRole('button', { name: 'Back up now' }).click();
    const backups = page.getByRole('table', { name: 'Backups' });
    await expect(backups.getByRole('row')).toHaveCount(2); // header + the manual backup

    // Added after the backup, and connected.
    await addStation('LATER-0001');
    const later = charger('LATER-0001');
    expect(await later.start()).toBe('Accepted');

    await backups.getByRole('button', { name: 'Restore' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Restore' }).click();
    await expect(page.getByText('Backup restored')).toBeVisible();

    await expect.poll(() => [keep.client?.state, later.client?.state]).toEqual([CLOSED, CLOSED]);
    await keep.reconnect();
    expect(await keep.boot()).toBe('Accepted');
    await expect(later.reconnect()).rejects.toThrow();

    const audit = await api.call<{ entries: { method: string; userEmail: string | null }[] }>(
      'audit-list',
      { method: 'backup-restore' },
    );
    expect(audit.entries).toEqual([
      expect.objectContaining({ method: 'backup-restore', userEmail: admin.email }),
    ]);
  } finally {
    for (const sim of sims) await sim.close();
    api.close();
  }
});
