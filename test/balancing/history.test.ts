// The history behind the live view's chart: per minute, the supply's and each circuit's current
// per phase (the rest of the building plus the chargers' draw) against its limit, the peak of
// each minute kept, bucketed for long windows, forgotten after 14 days, scoped to its site.
import { describe, expect, it } from 'vitest';
import { ocppCore, waitFor, type OcppTest } from '../ocpp/helpers';
import type { MethodInput } from '../../src-shared/api/contract';

async function balanced(o: OcppTest) {
  const st = await o.station({ identity: 'H-1', name: 'Bay 1' });
  const model = (typedA: number[]): MethodInput<'balancing-save'> => ({
    siteId: o.siteId,
    enabled: true,
    supply: {
      phaseLimitA: 63,
      nominalVoltageV: 230,
      phases: 3,
      usablePercent: 100,
      reserveA: 0,
      assumedOtherLoadA: 20,
    },
    circuits: [
      {
        id: 'MSB',
        name: 'Main',
        parentId: null,
        limitA: 63,
        phases: ['L1', 'L2', 'L3'],
        assumedOtherLoadA: 0,
      },
      {
        id: 'DB-1',
        name: 'Car park',
        parentId: 'MSB',
        limitA: 40,
        phases: ['L1', 'L2', 'L3'],
        assumedOtherLoadA: 0,
      },
    ],
    stations: [
      {
        stationId: st.id,
        circuitId: 'DB-1',
        wiring: 'three-phase',
        rotation: 'L1-L2-L3',
        priority: 'normal',
        capA: null,
      },
    ],
    policy: { minCurrentA: 6, rotationPeriodS: 900, hysteresisA: 1, drawMarginA: 2 },
    loadSources: [{ target: 'supply', kind: 'typed', typedA, modbus: null }],
    accountPolicies: [],
  });
  return { model };
}

const history = (o: OcppTest, nodeId: string, hours = 1) =>
  o.t.ok(o.admin, 'balancing-history', { siteId: o.siteId, nodeId, hours });

describe('the balancing history', () => {
  it('keeps per minute the peak current per phase against the limit', async () => {
    const o = await ocppCore();
    const { model } = await balanced(o);
    const minute = (at: number) => Math.floor(at / 60_000) * 60_000;
    const t0 = minute(o.t.clock.now()) + 60_000;
    await o.t.clock.advance(t0 - o.t.clock.now());

    await o.t.ok(o.admin, 'balancing-save', model([10, 8, 9]));
    const first = await waitFor(async () => {
      const h = await history(o, 'supply');
      return h.points.length === 1 ? h : null;
    }, 'a first point');
    // The offline charger counts at its full 32 A in what may be drawn; nothing drawn yet.
    expect(first.points[0]).toEqual({
      at: t0,
      currentA: [10, 8, 9],
      allowedA: [42, 40, 41],
      limitA: [63, 63, 63],
    });

    // Within the same minute the building peaks at 30 A on L1, then falls back: the peak stays.
    await o.t.clock.advance(15_000);
    await o.t.ok(o.admin, 'balancing-save', model([30, 8, 9]));
    const l1 = async () => (await history(o, 'supply')).points[0]?.currentA[0];
    await waitFor(async () => (await l1()) === 30, 'the 30 A sample');
    await o.t.clock.advance(15_000);
    await o.t.ok(o.admin, 'balancing-save', model([12, 8, 9]));
    await waitFor(async () => {
      const live = await o.t.ok(o.admin, 'balancing-live', { siteId: o.siteId });
      return live.nodes.find((n) => n.id === 'supply')?.phases[0]?.otherA === 12;
    }, 'the 12 A allocation');
    expect(await l1()).toBe(30);

    // The next minute is its own point.
    await o.t.clock.advance(60_000);
    await o.t.ok(o.admin, 'balancing-save', model([12, 8, 9]));
    const two = await waitFor(async () => {
      const h = await history(o, 'supply');
      return h.points.length === 2 ? h : null;
    }, 'a second point');
    expect(two.points.map((p) => [p.at - t0, p.currentA])).toEqual([
      [0, [30, 8, 9]],
      [60_000, [12, 8, 9]],
    ]);
    // A circuit has its own line: the car park's 40 A, the charger's 32 A allowed.
    const db = await history(o, 'DB-1');
    expect(db.points.at(-1)).toMatchObject({
      currentA: [0, 0, 0],
      allowedA: [32, 32, 32],
      limitA: [40, 40, 40],
    });
  });

  it('buckets a long window (peaks kept), forgets after 14 days, and is scoped to its site', async () => {
    const o = await ocppCore();
    const { model } = await balanced(o);
    const db = o.t.core.db.$client;
    const now = o.t.clock.now();
    const insert = db.prepare(
      `INSERT INTO balancing_history (site_id, node_id, minute, phase, limit_a, current_a, allowed_a)
       VALUES (?, 'supply', ?, 'L1', 63, ?, 50)`,
    );
    // A week of minutes, 5 A except one 61 A spike.
    const start = Math.floor((now - 7 * 86_400_000) / 60_000) * 60_000;
    db.transaction(() => {
      for (let m = start; m < now; m += 60_000)
        insert.run(o.siteId, m, m === start + 3 * 86_400_000 ? 61 : 5);
      insert.run(o.siteId, now - 20 * 86_400_000, 40);
    })();
    const week = await history(o, 'supply', 7 * 24);
    expect(week.points.length).toBeLessThanOrEqual(400);
    expect(week.bucketMs).toBe(28 * 60_000);
    expect(Math.max(...week.points.map((p) => p.currentA[0] ?? 0))).toBe(61);

    // The next sample prunes what is older than 14 days.
    await o.t.ok(o.admin, 'balancing-save', model([1, 1, 1]));
    await waitFor(
      () =>
        (
          db
            .prepare('SELECT count(*) AS n FROM balancing_history WHERE minute < ?')
            .get(now - 14 * 86_400_000) as { n: number }
        ).n === 0,
      'old rows pruned',
    );

    // Another site has its own history (none here).
    const other = await o.t.ok(o.admin, 'site-create', {
      name: 'Other',
      timeZone: 'Australia/Sydney',
    });
    expect(
      (
        await o.t.ok(o.admin, 'balancing-history', {
          siteId: other.id,
          nodeId: 'supply',
          hours: 24,
        })
      ).points,
    ).toEqual([]);
  });
});
