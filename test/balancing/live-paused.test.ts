// The live view's paused cars: when not every car can get the minimum, the one left out is shown
// paused since it was left out, and (its turn will come) by when it charges again at the latest:
// the rotation period after it paused. Real simulated chargers on a socket, the injected clock.
import { describe, expect, it } from 'vitest';
import { ocppCore, waitFor } from '../ocpp/helpers';

describe('paused cars in the live view', () => {
  it('say since when they wait and by when their turn comes', async () => {
    const o = await ocppCore({ balancing: { retryMs: 200, maxFailures: 2, timeoutMs: 1_000 } });
    const a = await o.station({ identity: 'P-1', name: 'Bay 1', maxCurrentA: 10 });
    const b = await o.station({ identity: 'P-2', name: 'Bay 2', maxCurrentA: 10 });
    await o.station({ identity: 'P-3', name: 'Bay 3', maxCurrentA: 10 });
    const got = await o.t.ok(o.admin, 'balancing-get', { siteId: o.siteId });
    // 10 A: room for one car at the 6 A minimum, not two.
    await o.t.ok(o.admin, 'balancing-save', {
      siteId: o.siteId,
      ...got.config,
      enabled: true,
      supply: { ...got.config.supply, phaseLimitA: 10 },
      circuits: got.config.circuits.map((c) => ({ ...c, limitA: 10 })),
      policy: { ...got.config.policy, rotationPeriodS: 600 },
    });
    await o.t.ok(o.admin, 'id-tag-upsert', { idTag: 'CAR' });
    const sims = ['P-1', 'P-2', 'P-3'].map((id) => o.sim(id, { phases: 3, maxCurrentA: 10 }));
    for (const s of sims) await s.start();
    const [s1, s2, s3] = sims;
    if (!s1 || !s2 || !s3) throw new Error('three chargers');
    await s1.startTransaction(1, 'CAR');
    await waitFor(() => s1.allowedA(1) === 10, 'the first car at 10 A');
    const pausedAt = o.t.clock.now();
    await s2.startTransaction(1, 'CAR');

    const live = await waitFor(async () => {
      const l = await o.t.ok(o.admin, 'balancing-live', { siteId: o.siteId });
      return l.connectors.some((c) => c.pausedSince !== null) ? l : null;
    }, 'a paused car');
    const paused = live.connectors.filter((c) => c.pausedSince !== null);
    expect(paused).toHaveLength(1);
    const [p] = paused;
    if (!p) return;
    expect([a.id, b.id]).toContain(p.stationId);
    expect(p).toMatchObject({ limitA: 0, reason: { kind: 'paused-rotation' } });
    expect(p.reason.text).toMatch(/^Paused: .* is full; charges in its turn$/);
    expect(p.pausedSince).toBeGreaterThanOrEqual(pausedAt);
    expect(p.resumesBy).toBe((p.pausedSince ?? 0) + 600_000);
    // The other car charges: 10 A is all there is.
    const charging = live.connectors.find((c) => c.stationId !== p.stationId);
    expect(charging?.limitA).toBe(10);

    // A third car queues behind the second: its turn is two periods away, not one.
    await o.t.clock.advance(1_000);
    await s3.startTransaction(1, 'CAR');
    const queue = await waitFor(async () => {
      const l = await o.t.ok(o.admin, 'balancing-live', { siteId: o.siteId });
      const q = l.connectors.filter((c) => c.pausedSince !== null);
      return q.length === 2 ? q.sort((x, y) => (x.pausedSince ?? 0) - (y.pausedSince ?? 0)) : null;
    }, 'two paused cars');
    const [first, second] = queue;
    expect(first?.stationId).toBe(p.stationId);
    expect(first?.resumesBy).toBe((first?.pausedSince ?? 0) + 600_000);
    expect(second?.resumesBy).toBe((second?.pausedSince ?? 0) + 2 * 600_000);
  });
});
