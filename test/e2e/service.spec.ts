// The built headless service as a process: SIGTERM shuts it down cleanly and a restart on the
// same data directory keeps every record; a taken port is reported with exit code 1.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { expect, test } from '@playwright/test';
import WebSocket from 'ws';
import { newDataDir, SERVER_JS, startService } from './support/server';

/** One API call over a fresh socket (the service keeps the session per socket). */
async function callApi(apiUrl: string, calls: { method: string; input: unknown }[]) {
  const ws = new WebSocket(apiUrl);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const results: unknown[] = [];
  for (const [i, c] of calls.entries()) {
    ws.send(JSON.stringify({ id: i + 1, method: c.method, input: c.input }));
    results.push(
      await new Promise((resolve) => {
        const onMessage = (data: WebSocket.RawData) => {
          const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown };
          if (msg.id === i + 1) {
            ws.off('message', onMessage);
            resolve(msg.result);
          }
        };
        ws.on('message', onMessage);
      }),
    );
  }
  ws.close();
  return results;
}

const setup = {
  admin: { email: 'admin@example.com', name: 'Ada Admin', password: 'correct horse battery' },
  organisation: { name: 'Harbour Strata Management' },
  site: { name: 'Harbour View', timeZone: 'Australia/Sydney' },
};

test('SIGTERM stops the service cleanly and a restart keeps the records', async () => {
  const first = await startService();
  const [done] = await callApi(first.apiUrl, [{ method: 'setup-complete', input: setup }]);
  expect(done).toMatchObject({ ok: true });
  expect(await first.stop()).toBe(0);
  expect(first.output()).toContain('SIGTERM: stopping StrataCharge');

  const second = await startService({ dataDir: first.dataDir });
  try {
    const [status, login, sites] = await callApi(second.apiUrl, [
      { method: 'setup-status', input: {} },
      {
        method: 'session-login',
        input: { email: setup.admin.email, password: setup.admin.password },
      },
      { method: 'site-list', input: {} },
    ]);
    expect(status).toMatchObject({ ok: true, value: { needsSetup: false } });
    expect(login).toMatchObject({ ok: true });
    expect(sites).toMatchObject({ ok: true, value: [{ name: 'Harbour View' }] });
  } finally {
    expect(await second.stop({ removeData: true })).toBe(0);
  }
});

test('a taken HTTP port ends the process with exit code 1 and says which flag to use', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const address = blocker.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  try {
    const child = spawn(
      process.execPath,
      [
        SERVER_JS,
        '--data-dir',
        newDataDir(),
        '--http-port',
        String(address.port),
        '--ocpp-port',
        '0',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain(
      `Port ${address.port} is already in use. Choose another with --http-port <port> (or STRATACHARGE_HTTP_PORT).`,
    );
  } finally {
    blocker.close();
  }
});
