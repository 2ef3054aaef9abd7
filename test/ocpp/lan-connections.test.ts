// Sockets on the OCPP port: one that never sends anything (or never finishes its request head) is
// closed, and one address cannot hold more than its share of connections; an upgraded charger
// connection is not an idle socket.
import { connect, type Socket } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ocppCore, rawSocket, waitFor } from './helpers';

function tcp(port: number, from = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    // `closed` (stream state) turns true once the server has closed it.
    const s = connect({ port, host: '127.0.0.1', localAddress: from });
    s.on('error', () => undefined);
    s.once('connect', () => resolve(s));
    s.once('error', reject);
    onTestFinished(() => void s.destroy());
  });
}

describe('OCPP port connection limits', () => {
  it('closes a socket that sends nothing, or only part of a request, but not a charger', async () => {
    const o = await ocppCore({
      ocpp: {
        host: '127.0.0.1',
        port: 0,
        limits: { idleTimeoutMs: 300, handshakeTimeoutMs: 300 },
      },
    });
    const { identity } = await o.station();
    const charger = await rawSocket(o.url, identity);
    const port = Number(new URL(o.url).port);
    const silent = await tcp(port);
    const partial = await tcp(port);
    partial.write(`GET /ocpp/${identity} HTTP/1.1\r\nHost: x\r\n`);
    await waitFor(() => silent.closed && partial.closed, 'the idle sockets closed', 10_000);
    charger.ws.send(JSON.stringify([2, 'hb', 'Heartbeat', {}]));
    await waitFor(() => charger.messages.length > 0, 'the charger still answered');
    expect(charger.ws.readyState).toBe(charger.ws.OPEN);
  });

  it('limits connections per address (others unaffected)', async () => {
    const o = await ocppCore({
      ocpp: { host: '127.0.0.1', port: 0, limits: { maxConnectionsPerAddress: 3 } },
    });
    const port = Number(new URL(o.url).port);
    const held = [
      await tcp(port, '127.0.0.6'),
      await tcp(port, '127.0.0.6'),
      await tcp(port, '127.0.0.6'),
    ];
    const extra = await tcp(port, '127.0.0.6');
    await waitFor(() => extra.closed, 'the fourth connection closed');
    expect(held.some((s) => s.closed)).toBe(false);
    const { identity } = await o.station();
    const other = await rawSocket(o.url, identity);
    expect(other.ws.protocol).toBe('ocpp1.6');
    // A freed slot can be used again.
    held[0]?.destroy();
    await waitFor(() => held[0]?.closed, 'closed');
    // (retried: the server sees the close a moment after the client).
    await waitFor(async () => {
      const again = await tcp(port, '127.0.0.6');
      again.write('GET /files/nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      let answer = '';
      again.on('data', (d) => (answer += String(d)));
      await new Promise((r) => again.once('close', r));
      return answer.startsWith('HTTP/1.1 404');
    }, 'an answer on the freed slot');
  });
});
