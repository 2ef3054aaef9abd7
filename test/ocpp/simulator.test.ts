// The simulator behaves like a real charger where the server depends on it: it sends Heartbeat
// at the interval the server gave (so an idle demo charger is not marked offline), and the
// command-line simulator, once refused, tries again instead of sitting idle.
import { describe, expect, it } from 'vitest';
import { ocppCore, waitFor } from './helpers';
import { startWithRetry } from '../../src-main/sim/start-with-retry';

describe('simulated charger', () => {
  it('heartbeats at the interval from BootNotification, and at a new one after ChangeConfiguration', async () => {
    const o = await ocppCore();
    await o.t.ok(o.admin, 'ocpp-settings-update', { heartbeatIntervalSeconds: 45 });
    const { id, identity } = await o.station();
    const sim = o.sim(identity);
    expect(await sim.start()).toBe('Accepted');
    expect(sim.heartbeatIntervalSeconds).toBe(45);
    expect((await o.t.ok(o.admin, 'station-get', { id })).lastHeartbeatAt).toBeNull();

    // The server shortens the interval: the idle charger's heartbeats reach it.
    await o.t.ok(o.admin, 'station-config-set', {
      stationId: id,
      key: 'HeartbeatInterval',
      value: '1',
    });
    expect(sim.heartbeatIntervalSeconds).toBe(1);
    await waitFor(
      async () => (await o.t.ok(o.admin, 'station-get', { id })).lastHeartbeatAt !== null,
      'a heartbeat stored on the station',
    );
    expect(sim.heartbeatsSent).toBeGreaterThan(0);
  });

  it('retries a refused start with a pause, says so, and connects once the charger is registered', async () => {
    const o = await ocppCore();
    const sim = o.sim('LATE-REG-1');
    const lines: string[] = [];
    const aborted = new AbortController();
    const started = startWithRetry(sim, {
      delaysMs: [30, 60],
      log: (l) => lines.push(l),
      signal: aborted.signal,
    });
    try {
      await waitFor(() => lines.length >= 2, 'two refusals reported');
      expect(lines[0]).toMatch(/^LATE-REG-1: refused \(.*\); retrying in 0 s$/);
      await o.t.ok(o.admin, 'station-create', {
        siteId: o.siteId,
        identity: 'LATE-REG-1',
        name: 'Bay late',
        connectorCount: 1,
      });
      expect(await started).toBe(true);
      expect(lines.at(-1)).toMatch(/^LATE-REG-1: Accepted \(attempt \d+\)$/);
    } finally {
      aborted.abort();
    }
  });
});
