// OCPP test helpers: a real core with the OCPP listener on port 0, an administrator, a site,
// and simulated chargers connected over real sockets. No fixed sleeps: `waitFor` polls.
import { onTestFinished } from 'vitest';
import { makeCore, type MakeCoreOptions, type TestCore } from '../support/make-core';
import { aStation, setupAdmin } from '../support/factories';
import { SimCharger, type SimOptions } from '../../src-main/sim/charger';
import type { MethodInput } from '../../src-shared/api/contract';
import type { Connection } from '../../src-main/api/context';

export interface OcppTest {
  t: TestCore;
  admin: Connection;
  siteId: number;
  url: string;
  /** Registers a station through the API. */
  station(
    update?: Partial<MethodInput<'station-create'>>,
  ): Promise<{ id: number; identity: string }>;
  /** A simulated charger for this server (closed after the test). */
  sim(identity: string, opts?: Partial<SimOptions>): SimCharger;
}

export async function ocppCore(opts: MakeCoreOptions = {}): Promise<OcppTest> {
  const t = await makeCore({
    backupTimer: false,
    ocpp: { host: '127.0.0.1', port: 0, callTimeoutMs: 2_000 },
    // The load-balancing review (every 30 s by default) is a scheduler job: a test advancing the
    // clock by weeks would step through ~3,000 reviews a day (ManualClock stops at each). Hourly
    // here; a balancing test that needs the review passes its own.
    balancing: { reviewMs: 60 * 60_000 },
    ...opts,
  });
  const { admin, site } = await setupAdmin(t);
  const url = t.core.info.ocppUrl;
  return {
    t,
    admin,
    siteId: site.id,
    url,
    async station(update = {}) {
      const s = await t.ok(admin, 'station-create', aStation(site.id, update));
      return { id: s.id, identity: s.identity };
    },
    sim(identity, o = {}) {
      const sim = new SimCharger({
        url,
        identity,
        now: () => t.clock.now(),
        callTimeoutMs: 5_000,
        ...o,
      });
      onTestFinished(() => sim.close());
      return sim;
    },
  };
}

export async function waitFor<T>(
  probe: () => T | Promise<T>,
  what: string,
  timeoutMs = 5_000,
): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (last) return last as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Opens a raw WebSocket to the OCPP endpoint (for malformed-frame tests). */
export async function rawSocket(url: string, identity: string, protocols: string[] = ['ocpp1.6']) {
  const { WebSocket } = await import('ws');
  const ws = new WebSocket(`${url}/${identity}`, protocols);
  const messages: unknown[] = [];
  ws.on('message', (d) => {
    try {
      messages.push(JSON.parse(String(d)));
    } catch {
      messages.push(String(d));
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  onTestFinished(() => ws.terminate());
  return { ws, messages };
}
