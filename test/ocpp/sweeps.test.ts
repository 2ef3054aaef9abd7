// The OCPP sweeps run on the scheduler, driven by the injected clock: advancing a ManualClock
// runs each sweep at the instant it comes due, with no sweep() called by hand.
import { describe, expect, it } from 'vitest';
import { ocppCore, waitFor } from './helpers';

describe('OCPP sweeps on the injected clock', () => {
  it('marks a silent charger offline when its silence limit comes round, not later', async () => {
    const o = await ocppCore();
    await o.t.ok(o.admin, 'ocpp-settings-update', { offlineAfterSeconds: 600 });
    const { identity, id } = await o.station();
    const sim = o.sim(identity);
    await sim.start();
    await sim.heartbeat();
    const lastHeard = o.t.clock.now();
    const offlineAt: number[] = [];
    o.t.core.services.domainEvents.subscribe('station.disconnected', (e) => {
      offlineAt.push(e.at);
    });

    await o.t.clock.advance(600_000 - 1_000);
    expect((await o.t.ok(o.admin, 'station-get', { id })).connected).toBe(true);
    // Past the limit: the sweep ran when the limit came round, not at the end of the advance.
    await o.t.clock.advance(60 * 60_000);
    await waitFor(() => offlineAt.length > 0, 'station.disconnected');
    // (The sweep runs at most once a second: silent for more than 600 s is seen within 1 s.)
    expect(offlineAt).toHaveLength(1);
    expect(offlineAt[0]).toBeGreaterThan(lastHeard + 600_000);
    expect(offlineAt[0]).toBeLessThanOrEqual(lastHeard + 601_000);
    expect((await o.t.ok(o.admin, 'station-get', { id })).connected).toBe(false);
    expect(o.t.core.services.ocpp.isConnected(identity)).toBe(false);
  });

  it('a charger that keeps talking stays connected however far the clock moves', async () => {
    const o = await ocppCore();
    await o.t.ok(o.admin, 'ocpp-settings-update', { offlineAfterSeconds: 600 });
    const { identity, id } = await o.station();
    const sim = o.sim(identity);
    await sim.start();
    for (let i = 0; i < 6; i++) {
      await o.t.clock.advance(300_000);
      await sim.heartbeat();
    }
    expect((await o.t.ok(o.admin, 'station-get', { id })).connected).toBe(true);
  });

  it('a shorter silence limit applies from the next sweep, without waiting for the old one', async () => {
    const o = await ocppCore();
    const { identity, id } = await o.station();
    const sim = o.sim(identity);
    await sim.start();
    await sim.heartbeat();
    const lastHeard = o.t.clock.now();
    // The default limit is 720 s: the next sweep is armed for then.
    await o.t.clock.advance(100_000);
    await o.t.ok(o.admin, 'ocpp-settings-update', { offlineAfterSeconds: 120 });
    await o.t.clock.advance(30_000);
    await waitFor(
      async () => !(await o.t.ok(o.admin, 'station-get', { id })).connected,
      'offline after the shorter limit',
    );
    expect(o.t.clock.now()).toBeLessThan(lastHeard + 720_000);
  });
});
