// Refused chargers on the New chargers page: each says why it was refused, and "Adopt" is offered
// only to a charger that can become a station (an OCPP 2.0.1-only charger or an id a station cannot
// have says why instead of offering a button that would do nothing).
import WebSocket from 'ws';
import { test, expect, shot } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { Shell } from './pages/shell';

/** One refused handshake, as a charger with this identity and subprotocols would make it. */
function refusedHandshake(baseUrl: string, identity: string, protocols: string[]): Promise<number> {
  const ws = new WebSocket(`${baseUrl.replace(/\/$/, '')}/${identity}`, protocols);
  return new Promise((resolve, reject) => {
    ws.once('open', () => reject(new Error(`${identity} was accepted`)));
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

test('refused chargers say why, and only adoptable ones offer Adopt', async ({ page, service }) => {
  await setUpAndLogIn(page, service.httpUrl);
  const invalid = 'X'.repeat(60);
  expect(await refusedHandshake(service.ocppBaseUrl, 'EVSE-201', ['ocpp2.0.1'])).toBe(400);
  expect(await refusedHandshake(service.ocppBaseUrl, invalid, ['ocpp1.6'])).toBe(400);
  expect(await refusedHandshake(service.ocppBaseUrl, 'EVSE-16', ['ocpp1.6'])).toBe(401);

  await new Shell(page).open('New chargers');
  const table = page.getByRole('table', { name: 'Chargers that tried to connect' });
  const row = (id: string) => table.getByRole('row').filter({ hasText: id });

  await expect(row('EVSE-201')).toContainText('speaks OCPP 2.0.1 only');
  await expect(row('EVSE-201').getByRole('button', { name: 'Adopt' })).toHaveCount(0);
  await expect(row('EVSE-201').getByTestId('not-adoptable')).toContainText('OCPP 1.6J');

  await expect(row(invalid).getByRole('button', { name: 'Adopt' })).toHaveCount(0);
  await expect(row(invalid).getByTestId('not-adoptable')).toContainText('not a valid station id');

  await expect(row('EVSE-16')).toContainText('unknown identity');
  await expect(row('EVSE-16').getByRole('button', { name: 'Adopt' })).toBeVisible();
  await expect(page.getByTestId('pager-status')).toHaveText('Showing 1–3 of 3 chargers');
  await shot(page, 'new-chargers-refused');
});
