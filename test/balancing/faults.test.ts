// The balancing faults an operator sees as alarms (faults.ts): a charger that keeps drawing above
// its limit is flagged, and a circuit that what the controller cannot steer already overloads is
// raised (and logged once, not on every recompute), each cleared when it ends. Real simulated
// chargers on real sockets; the draw is reported in real MeterValues frames.
import { describe, expect, it } from 'vitest';
import { waitFor } from '../ocpp/helpers';
import { meterValue } from '../../src-main/sim/meter-values';
import type { SimCharger } from '../../src-main/sim/charger';
import { balancedSite, bootAll, settle, type Site } from './sim-site';

const lbAlarms = async (site: Site) =>
  (await site.o.t.ok(site.o.admin, 'alarm-list', { view: 'active' })).alarms.filter(
    (a) => a.rule === 'load-balancing-fault',
  );

/** A MeterValues frame in which the car draws `amps` on each phase, whatever its limit. */
async function reportDraw(sim: SimCharger, amps: number) {
  const tx = sim.connector(1).tx;
  await sim.send('MeterValues', {
    connectorId: 1,
    transactionId: tx?.transactionId ?? 0,
    meterValue: [
      meterValue({
        timestamp: new Date().toISOString(),
        context: 'Sample.Periodic',
        registerWh: 1_000,
        energyUnit: 'Wh',
        powerW: Math.round(amps * 3 * 230),
        amps: [amps, amps, amps],
        phases: 3,
        voltage: 230,
      }),
    ],
  });
}

/** Waits until the controller has taken this draw in (the live view shows it). */
const drawSeen = (site: Site, bay: string, amps: number) =>
  waitFor(async () => {
    const live = await site.live();
    return live.connectors.find((c) => c.stationName === bay && c.controlled)?.drawA === amps;
  }, `${bay} drawing ${amps} A`);

const overloadWarnings = (site: Site) =>
  site.o.t.logger.entries.filter(
    (e) => e.level === 'warn' && e.msg === 'what the controller cannot steer exceeds a limit',
  );

describe('load-balancing faults', () => {
  it('flags a charger that keeps drawing above its limit, not one that overshoots briefly', async () => {
    const site = await balancedSite({ balancing: { overLimitMs: 60_000 } });
    const { sims, o } = site;
    const a = sims.A as SimCharger;
    const b = sims.B as SimCharger;
    await bootAll(site);
    await a.startTransaction(1, 'CAR');
    await b.startTransaction(1, 'CAR');
    // DB-A (32 A) shared by A and B.
    await settle(site, { A: 16, B: 16 });

    // A draws 25 A against 16 A (more than the 2 A margin over); B overshoots once, then follows.
    await reportDraw(a, 25);
    await reportDraw(b, 25);
    await drawSeen(site, 'Bay A', 25);
    await drawSeen(site, 'Bay B', 25);
    await o.t.clock.advance(30_000);
    await reportDraw(b, 15.5);
    await drawSeen(site, 'Bay B', 15.5);
    expect(await lbAlarms(site)).toEqual([]); // not yet: a car takes a moment to follow
    await o.t.clock.advance(31_000);
    await reportDraw(a, 25);
    const [flagged] = await waitFor(async () => {
      const alarms = await lbAlarms(site);
      return alarms.length > 0 ? alarms : null;
    }, 'the over-limit alarm');
    expect(flagged).toMatchObject({ stationId: site.ids.A, connectorNumber: 1, state: 'active' });
    expect(flagged?.title).toBe('Bay A outlet 1 draws more than its limit');
    expect(flagged?.detail).toBe(
      'It draws 25 A per phase against a limit of 16 A, for 61 s: the charger does not follow its limit.',
    );
    // Only A: B came back under its limit within the minute.
    expect(await lbAlarms(site)).toHaveLength(1);

    // A follows its limit again: the alarm clears by itself (at the sample's recompute, which
    // waits up to the controller's sampleDebounceMs on the clock).
    await reportDraw(a, 15.8);
    await o.t.clock.advance(500);
    await waitFor(async () => (await lbAlarms(site)).length === 0, 'the alarm cleared');
    expect(site.violations).toEqual([]);
  });

  it('raises no overload alarm for a model saved before the chargers connect (counted at full rating, nothing draws), and logs it once', async () => {
    // Saved before any charger connects (a first start, as the demo does): each of A, B, D is
    // three-phase and counts at 32 A on the MSB's 40 A until its safe fallback is confirmed.
    // That keeps the allocation safe, but no car draws there: no critical alarm.
    const site = await balancedSite();
    await waitFor(() => overloadWarnings(site).length === 1, 'the allocator counting them');
    expect(await lbAlarms(site)).toEqual([]);
    expect((await site.live()).overloads).toEqual([]); // nor the live view's red banner

    // Each charger's boot changes the excess (one recompute each): still one warning.
    await bootAll(site);
    await waitFor(
      () =>
        site.o.t.logger.entries.some(
          (e) => e.msg === 'what the controller cannot steer is within every limit again',
        ),
      'every fallback counted',
    );
    expect(overloadWarnings(site)).toHaveLength(1);
    const ever = [
      ...(await lbAlarms(site)),
      ...(await site.o.t.ok(site.o.admin, 'alarm-list', { view: 'history' })).alarms,
    ].filter((a) => a.rule === 'load-balancing-fault');
    expect(ever).toEqual([]);
  });

  it('names the board that is over, not the supply and switchboard its excess flows through', async () => {
    const site = await balancedSite();
    const { sims, o } = site;
    await bootAll(site);
    const a = sims.A as SimCharger;
    const b = sims.B as SimCharger;
    // A and B on DB-A (32 A) refuse every limit: each counts at its full 32 A, DB-A carries 64 A
    // (32 A over), and so do the MSB and the supply (40 A: 24 A over, all of it DB-A's).
    a.smart.rejectAll = true;
    b.smart.rejectAll = true;
    await a.startTransaction(1, 'CAR');
    await b.startTransaction(1, 'CAR');
    const overloads = async () =>
      (await lbAlarms(site)).filter((x) => / is over its limit on /.test(x.title));
    let raised: Awaited<ReturnType<typeof overloads>> = [];
    for (let i = 0; i < 20 && raised.length < 3; i++) {
      await o.t.clock.advance(1_000);
      raised = await overloads();
    }
    raised = await waitFor(async () => {
      const r = await overloads();
      return r.length >= 3 ? r : null;
    }, 'the overload alarms');
    expect(raised.map((x) => x.title).sort()).toEqual([
      'Circuit “DB-A” is over its limit on L1',
      'Circuit “DB-A” is over its limit on L2',
      'Circuit “DB-A” is over its limit on L3',
    ]);
    expect(raised[0]?.detail).toBe(
      "The building's measured load and the chargers that cannot be limited exceed it by 32.0 A; the cars that can be limited are paused there. It also takes circuit “Main” and the supply over its limit.",
    );
    // The live view names the same.
    expect(new Set((await site.live()).overloads.map((x) => x.nodeName))).toEqual(
      new Set(['circuit “DB-A”']),
    );
  });

  it('raises an overload when the building’s load rises over a charger that cannot be limited, pausing the others there', async () => {
    const site = await balancedSite();
    const { sims, o } = site;
    await bootAll(site);
    const a = sims.A as SimCharger;
    const c = sims.C as SimCharger;
    await a.startTransaction(1, 'CAR');
    await c.startTransaction(1, 'CAR');
    // A (three-phase) and C (on the building's L2) share the MSB's L2: 20 A each.
    await settle(site, { A: 20, C: 20 });
    // A drops off the network mid-charge: it keeps drawing up to its 20 A TxProfile.
    await a.goOffline();
    await waitFor(async () => {
      const live = await site.live();
      return live.connectors.find((x) => x.stationName === 'Bay A')?.reason.kind === 'offline';
    }, 'A counted offline');
    expect(await lbAlarms(site)).toEqual([]);

    // The rest of the building now draws 25 A on L2: 25 + A's 20 A > 40 A.
    const got = await o.t.ok(o.admin, 'balancing-save', {
      ...(await o.t.ok(o.admin, 'balancing-get', { siteId: o.siteId })).config,
      siteId: o.siteId,
      loadSources: [{ target: 'supply', kind: 'typed', typedA: [0, 25, 0], modbus: null }],
    });
    expect(got.saved).toBe(true);
    const [raised] = await waitFor(async () => {
      const al = await lbAlarms(site);
      return al.length > 0 ? al : null;
    }, 'the overload alarm');
    expect(raised?.title).toBe('The supply is over its limit on L2');
    expect(raised?.detail).toContain('exceed it by 5.0 A');
    // C, which can be limited, is paused on the supply's L2.
    await settle(site, { C: 0 });
    const live = await site.live();
    expect(live.connectors.find((x) => x.stationName === 'Bay C')?.reason.text).toBe(
      'Paused: no room on the supply for the minimum current',
    );

    // The load falls again: the alarm clears and C charges.
    await o.t.ok(o.admin, 'balancing-save', {
      ...(await o.t.ok(o.admin, 'balancing-get', { siteId: o.siteId })).config,
      siteId: o.siteId,
      loadSources: [{ target: 'supply', kind: 'typed', typedA: [0, 5, 0], modbus: null }],
    });
    await waitFor(async () => (await lbAlarms(site)).length === 0, 'the overload cleared');
    await settle(site, { C: 15 });
    expect(c.smart.log.every((r) => r.status === 'Accepted')).toBe(true);
  });
});
