// A registered charger that sends frames the server must refuse — 800 KB nested 400,000 levels
// deep, then 1.5 MiB (above the frame limit) — back to back, without waiting for answers, as a
// broken or hostile device on the LAN could. The server may disconnect and refuse it; it must
// never go down, and a genuine charger must still be served afterwards.
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { setupAndLogin } from './support/api';
import { ReliableCharger } from './support/charger';
import { isAlive, serviceFor } from './support/service';
import { waitUntil } from './support/wait';

const HOSTILE = 5;
const DEEP = '[2,"deep","Heartbeat",' + '['.repeat(400_000) + ']'.repeat(400_000) + ']';
const HUGE = JSON.stringify([
  2,
  'huge',
  'DataTransfer',
  { vendorId: 'x', data: 'x'.repeat(1_600_000) },
]);

/** Sends deep and huge frames until the server closes the connection; resolves with its code. */
function abuse(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, ['ocpp1.6']);
    ws.on('error', () => undefined);
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      resolve(`HTTP ${res.statusCode}`);
      ws.terminate();
    });
    ws.on('open', () => {
      for (let i = 0; i < 12; i++) ws.send(i < 8 ? DEEP : HUGE, () => undefined);
    });
    ws.on('close', (code) => resolve(code));
  });
}

describe('oversize frames', () => {
  it('a charger sending 800 KB deep and 1.5 MiB frames is cut off; the service stays up', async () => {
    const svc = await serviceFor();
    const { api, siteId } = await setupAndLogin(svc.apiUrl);
    for (let i = 1; i <= HOSTILE + 1; i++) {
      await api.ok('station-create', { siteId, name: `Big ${i}`, identity: `BIG-${i}` });
    }
    api.close();

    const closes = await Promise.all(
      Array.from({ length: HOSTILE }, (_, i) => abuse(`${svc.ocppBaseUrl}BIG-${i + 1}`)),
    );
    console.info(`[reliability] oversize frames: connections ended with ${JSON.stringify(closes)}`);
    // Give a crash (an unhandled rejection after the close) the chance to happen, then check.
    const genuine = new ReliableCharger({
      identity: `BIG-${HOSTILE + 1}`,
      baseUrl: () => svc.ocppBaseUrl,
    });
    try {
      await waitUntil(() => genuine.connected || !isAlive(svc), 'a genuine charger to boot');
      expect(isAlive(svc), `the service died:\n${svc.output().slice(-3_000)}`).toBe(true);
      await genuine.call('Heartbeat', {});
      expect(isAlive(svc), `the service died:\n${svc.output().slice(-3_000)}`).toBe(true);
    } finally {
      genuine.close();
    }
  });
});
