// The file endpoint on the OCPP port (LAN-facing): malformed requests are answered 400 and never
// crash the service; a diagnostics upload URL works once and only for a short time.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ocppCore, rawSocket, waitFor } from './helpers';

/** A raw charger that answers GetDiagnostics with a file name but never uploads by itself. */
async function quietCharger(url: string, identity: string) {
  const { ws, messages } = await rawSocket(url, identity);
  ws.on('message', (d) => {
    const f = JSON.parse(String(d)) as unknown[];
    if (f[0] === 2)
      ws.send(JSON.stringify([3, f[1], f[2] === 'GetDiagnostics' ? { fileName: 'd.log' } : {}]));
  });
  return { ws, messages };
}

const put = (location: string, name: string, body = 'log') =>
  fetch(`${location}/${name}`, { method: 'PUT', body });

/** Sends raw bytes to a port and returns the first line of the answer. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => s.write(text));
    let got = '';
    s.on('data', (d) => (got += String(d)));
    s.on('close', () => resolve(got.split('\r\n')[0] ?? ''));
    s.on('error', reject);
  });
}

describe('OCPP file endpoint', () => {
  it('answers a malformed file name 400 and keeps serving; an upload URL works once', async () => {
    const o = await ocppCore();
    const { id: stationId, identity } = await o.station();
    await quietCharger(o.url, identity);
    await waitFor(() => o.t.core.services.ocpp.isConnected(identity), 'connected');
    const { location } = await o.t.ok(o.admin, 'station-diagnostics-request', { stationId });

    // Truncated percent escape: decodeURIComponent throws URIError (it used to exit the process).
    expect((await put(location, '%E0%A4%A')).status).toBe(400);
    const port = Number(new URL(o.url).port);
    expect(
      await rawRequest(port, 'GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
    ).toMatch(/^HTTP\/1.1 4\d\d/);
    expect(
      await rawRequest(
        port,
        'GET http://[ HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
      ),
    ).toMatch(/^HTTP\/1.1 400/);
    // The same bad escape in the charger's identity of a WebSocket upgrade.
    expect(
      await rawRequest(
        port,
        'GET /ocpp/%E0%A4%A HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
          'Sec-WebSocket-Protocol: ocpp1.6\r\n\r\n',
      ),
    ).toMatch(/^HTTP\/1.1 400/);

    expect((await put(location, 'first.log', 'one')).status).toBe(201);
    // Spent: the same URL cannot be used to store (or overwrite) anything else.
    expect((await put(location, 'second.log', 'two')).status).toBe(404);
    const files = await o.t.ok(o.admin, 'station-diagnostics-list', { stationId });
    expect(files.map((f) => f.fileName)).toEqual(['first.log']);
  });

  it('refuses an upload URL older than 30 minutes', async () => {
    const o = await ocppCore();
    const { id: stationId, identity } = await o.station();
    await quietCharger(o.url, identity);
    await waitFor(() => o.t.core.services.ocpp.isConnected(identity), 'connected');
    const { location } = await o.t.ok(o.admin, 'station-diagnostics-request', { stationId });
    await o.t.clock.advance(31 * 60_000);
    expect((await put(location, 'late.log')).status).toBe(404);
    expect(await o.t.ok(o.admin, 'station-diagnostics-list', { stationId })).toEqual([]);
  });
});
