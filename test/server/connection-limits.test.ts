// The admin UI's port: a socket that sends nothing is closed, one address cannot open thousands
// of connections, and the UI's API socket (upgraded) is not an idle socket.
import { connect, type Socket } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runServer } from '../../src-main/http/service';
import { createMemoryLogger } from '../../src-main/platform/logger';
import { Capture, fakeRendererBuild, openApi, tempDir, waitFor } from './support';

async function start(connectionLimits: { idleMs?: number; maxPerAddress?: number }) {
  const { rendererDir } = fakeRendererBuild();
  const dataDir = tempDir('data');
  const { service } = await runServer(
    ['--data-dir', dataDir, '--http-port', '0', '--ocpp-port', '0'],
    {},
    {
      rendererDir,
      logger: createMemoryLogger(),
      stdout: new Capture(),
      stderr: new Capture(),
      connectionLimits,
    },
  );
  if (!service) throw new Error('service did not start');
  onTestFinished(() => service.close());
  return service;
}

function tcp(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    // `closed` (stream state) turns true once the server has closed it.
    const s = connect({ port, host: '127.0.0.1' });
    s.on('error', () => undefined);
    s.once('connect', () => resolve(s));
    s.once('error', reject);
    onTestFinished(() => void s.destroy());
  });
}

describe('admin port connection limits', () => {
  it('closes a fully idle socket, but not the API socket', async () => {
    const service = await start({ idleMs: 300 });
    const api = await openApi(service);
    const idle = await tcp(Number(new URL(service.httpUrl).port));
    await waitFor(() => (idle.closed ? true : undefined), 'the idle socket closed', 10_000);
    const r = await api.call('setup-status', {});
    expect(r.ok).toBe(true);
  });

  it('closes a silent socket with the default limits (Node re-arms idle timers each 30 s sweep)', async () => {
    // Node 20's headers-timeout sweep (every 30 s) re-arms a socket's idle timer, so an idle
    // timeout above 30 s never fired: a silent socket stayed open for good.
    const service = await start({});
    const idle = await tcp(Number(new URL(service.httpUrl).port));
    await waitFor(() => (idle.closed ? true : undefined), 'the idle socket closed', 45_000);
  }, 60_000);

  it('limits connections per address', async () => {
    const service = await start({ maxPerAddress: 3 });
    const port = Number(new URL(service.httpUrl).port);
    const held = [await tcp(port), await tcp(port), await tcp(port)];
    const extra = await tcp(port);
    await waitFor(() => (extra.closed ? true : undefined), 'the fourth connection closed');
    expect(held.some((s) => s.closed)).toBe(false);
  });
});
