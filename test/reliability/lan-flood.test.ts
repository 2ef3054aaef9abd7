// A LAN flood while a genuine charger connects and the admin UI is used. A hostile device (its
// own process, on other loopback addresses) sends wrong-password handshakes (half on the genuine
// charger's identity), 800 KB frames nested 400,000 levels deep and 1.5 MiB frames from one
// registered charger, and a flood of MeterValues (1,000 samples each) and Heartbeats from another.
// Measured before and during the flood: the genuine charger's connect (WebSocket handshake with
// its password + BootNotification answered), its Heartbeat round trip, and the admin UI's first
// byte (GET /). The bounds are "still usable" failure thresholds, not benchmarks; the figures
// are printed and recorded in docs/security.md.
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import { setupAndLogin } from './support/api';
import { isAlive, serviceFor, type RunningServer } from './support/service';
import { percentile, since, waitUntil } from './support/wait';

const FLOOD_SCRIPT = fileURLToPath(new URL('./support/lan-flood.mjs', import.meta.url));
const PASSWORD = 'genuine-charger-key-2026';
const CONNECT_LIMIT_MS = 2_000;
const HEARTBEAT_LIMIT_MS = 1_000;
const UI_LIMIT_MS = 1_000;

interface FloodCounts {
  handshakes: number;
  handshakesAccepted: number;
  bigFrames: number;
  bigConnects: number;
  floodSent: number;
  floodAnswered: number;
  floodConnects: number;
  floodRefused: number;
}

interface Figures {
  connectMs: number[];
  heartbeatMs: number[];
  uiFirstByteMs: number[];
}

/** The genuine charger: connects with its password, boots, and times a few heartbeats. */
async function genuineCharger(baseUrl: string, identity: string, figures: Figures, beats: number) {
  const started = performance.now();
  const ws = new WebSocket(baseUrl + identity, ['ocpp1.6'], {
    headers: {
      authorization: `Basic ${Buffer.from(`${identity}:${PASSWORD}`).toString('base64')}`,
    },
    handshakeTimeout: 10_000,
  });
  const answers = new Map<string, () => void>();
  let closed: string | null = null;
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as unknown[];
    if (frame[0] === 2) ws.send(JSON.stringify([4, frame[1], 'NotImplemented', '', {}]));
    else answers.get(String(frame[1]))?.();
  });
  ws.on('close', (code, reason) => {
    closed = `closed by the server: ${code} ${String(reason)}`;
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', (e) =>
      reject(new Error(`the genuine charger could not connect: ${e.message}`)),
    );
    ws.once('unexpected-response', (_req, res) =>
      reject(new Error(`the genuine charger was refused: HTTP ${res.statusCode}`)),
    );
  });
  const call = (id: string, action: string, payload: object) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `the genuine charger's ${action} was not answered in 10 s (${closed ?? 'open'})`,
            ),
          ),
        10_000,
      );
      answers.set(id, () => {
        clearTimeout(timer);
        resolve();
      });
      ws.send(JSON.stringify([2, id, action, payload]));
    });
  try {
    await call('boot', 'BootNotification', {
      chargePointVendor: 'Genuine',
      chargePointModel: 'G1',
    });
    figures.connectMs.push(since(started));
    for (let i = 0; i < beats; i++) {
      const t = performance.now();
      await call(`hb-${i}`, 'Heartbeat', {});
      figures.heartbeatMs.push(since(t));
    }
  } finally {
    ws.close();
  }
}

/** Time to the first byte of the admin UI's page. */
function uiFirstByte(httpUrl: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(httpUrl, { timeout: 10_000 }, (res) => {
      res.once('data', () => {
        resolve(since(started));
        res.resume();
      });
      res.once('error', reject);
    });
    req.once('error', (e) => reject(new Error(`GET ${httpUrl} failed: ${e.message}`)));
    req.once('timeout', () => req.destroy(new Error('no answer in 10 s')));
    req.end();
  });
}

async function measure(svc: RunningServer, rounds: number, phase: string): Promise<Figures> {
  const figures: Figures = { connectMs: [], heartbeatMs: [], uiFirstByteMs: [] };
  try {
    for (let i = 0; i < rounds; i++) {
      figures.uiFirstByteMs.push(await uiFirstByte(svc.httpUrl));
      await genuineCharger(svc.ocppBaseUrl, 'GENUINE-1', figures, 10);
    }
  } catch (e) {
    const state = isAlive(svc)
      ? 'the service is running'
      : `the service DIED (exit ${svc.process.exitCode ?? svc.process.signalCode}):\n${svc.output().slice(-3_000)}`;
    throw new Error(`${phase} the flood: ${(e as Error).message}; ${state}`);
  }
  return figures;
}

const summary = (values: number[]) =>
  `p50 ${percentile(values, 50)} ms, max ${Math.max(...values)} ms (${values.length})`;

describe('LAN flood', () => {
  it('keeps a genuine charger connecting and the admin UI answering', async () => {
    const svc = await serviceFor();
    const { api, siteId } = await setupAndLogin(svc.apiUrl);
    await api.ok('station-create', {
      siteId,
      name: 'Genuine',
      identity: 'GENUINE-1',
      securityProfile: 1,
      password: PASSWORD,
    });
    await api.ok('station-create', { siteId, name: 'Big frames', identity: 'HOSTILE-BIG' });
    await api.ok('station-create', { siteId, name: 'Flooder', identity: 'HOSTILE-FLOOD' });
    api.close();

    const before = await measure(svc, 5, 'before');

    const flood = spawn(
      process.execPath,
      [FLOOD_SCRIPT, svc.ocppBaseUrl, 'GENUINE-1', 'HOSTILE-BIG', 'HOSTILE-FLOOD'],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    let counts: FloodCounts | null = null;
    let out = '';
    flood.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const lines = out.split('\n');
      out = lines.pop() ?? '';
      const last = lines.at(-1);
      if (last !== undefined) counts = JSON.parse(last) as FloodCounts;
    });
    const floodExited = new Promise<void>((resolve) => flood.once('exit', () => resolve()));
    onTestFinished(async () => {
      flood.stdin.end();
      await floodExited;
    });
    // Measure once the flood is in full swing.
    await waitUntil(
      () =>
        counts !== null &&
        counts.handshakes >= 50 &&
        counts.bigFrames >= 2 &&
        counts.floodSent >= 1_000,
      () => `the flood to be running (${JSON.stringify(counts)})`,
      30_000,
    );
    const during = await measure(svc, 10, 'during');
    flood.stdin.end();
    await floodExited;
    const final = counts as FloodCounts | null;

    const lines = [
      `[reliability] LAN flood: ${JSON.stringify(final)}`,
      `  connect (handshake + boot): before ${summary(before.connectMs)}; during ${summary(during.connectMs)}`,
      `  heartbeat round trip:       before ${summary(before.heartbeatMs)}; during ${summary(during.heartbeatMs)}`,
      `  admin UI first byte:        before ${summary(before.uiFirstByteMs)}; during ${summary(during.uiFirstByteMs)}`,
    ];
    console.info(lines.join('\n'));

    expect(isAlive(svc), `the service died:\n${svc.output()}`).toBe(true);
    expect(final?.handshakesAccepted, 'wrong-password handshakes accepted').toBe(0);
    expect(Math.max(...during.connectMs), 'genuine connect during the flood (ms)').toBeLessThan(
      CONNECT_LIMIT_MS,
    );
    expect(percentile(during.heartbeatMs, 99), 'heartbeat p99 during the flood (ms)').toBeLessThan(
      HEARTBEAT_LIMIT_MS,
    );
    expect(
      Math.max(...during.uiFirstByteMs),
      'admin UI first byte during the flood (ms)',
    ).toBeLessThan(UI_LIMIT_MS);
  });
});
