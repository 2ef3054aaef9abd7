// The controller against real simulated chargers on a real socket (sim-site.ts): after every
// change of what any charger may draw (a profile applied, a transaction started or ended) the
// per-phase sums of the limits in force at the chargers are checked against every circuit: at no
// instant above a limit.
import { describe, expect, it } from 'vitest';
import { waitFor } from '../ocpp/helpers';
import type { SimCharger } from '../../src-main/sim/charger';
import { balancedSite, bootAll, fallbackIn, freePort, settle } from './sim-site';

describe('the load-balancing controller with simulated chargers', () => {
  it('keeps every circuit within its limit on every phase while cars come and go', async () => {
    const site = await balancedSite();
    const { sims } = site;
    await bootAll(site);
    // The fallback of an idle outlet is 0 A: any more would be taken from the cars charging
    // at every instant (a car may plug in), and a new car waits only for its TxProfile.
    for (const sim of Object.values(sims)) expect(fallbackIn(sim)?.limitA).toBe(0);

    const arrive = async (n: string) => {
      await (sims[n] as SimCharger).startTransaction(1, 'CAR');
      site.check(`car arrived at ${n}`);
    };
    const leave = async (n: string) => {
      await (sims[n] as SimCharger).stopTransaction(1);
      site.check(`car left ${n}`);
    };

    await arrive('A');
    await settle(site, { A: 32 });
    await arrive('C');
    // C draws on the building's L2 only (its L1, rotated): A and C share the MSB's L2.
    await settle(site, { A: 20, C: 20 });
    await arrive('B');
    // Three cars on the MSB's L2 (40 / 3) before DB-A (32 / 2) fills.
    await settle(site, { A: 13.3, B: 13.3, C: 13.3 });
    await arrive('D');
    // Four cars on the MSB's L2: 10 A each.
    await settle(site, { A: 10, B: 10, C: 10, D: 10 });
    await leave('B');
    await settle(site, { A: 13.3, C: 13.3, D: 13.3, B: 0 });
    await leave('A');
    await settle(site, { C: 20, D: 20, A: 0 });

    // Reductions were sent before increases: every increase came after the last reduction
    // before it was confirmed (the invariant checks above would have caught an overlap).
    expect(site.checks).toBeGreaterThan(20);
    expect(site.violations).toEqual([]);
    // The wire log: every SetChargingProfile with its time and answer.
    const wire = Object.values(sims).flatMap((s) => s.smart.log);
    expect(wire.every((r) => r.status === 'Accepted')).toBe(true);
    expect(wire.filter((r) => r.purpose === 'TxProfile').length).toBeGreaterThanOrEqual(10);

    // The live view explains it, and the log keeps the reasons.
    const live = await site.live();
    const c = live.connectors.find((x) => x.stationName === 'Bay C');
    expect(c).toMatchObject({ limitA: 20, allowedA: 20, phases: ['L2'] });
    const msb = live.nodes.find((n) => n.id === 'MSB');
    expect(msb?.phases.find((p) => p.phase === 'L2')?.allowedA).toBe(40);
    expect(msb?.phases.find((p) => p.phase === 'L1')?.allowedA).toBe(20); // D alone on L1
    const log = await site.o.t.ok(site.o.admin, 'balancing-log', { siteId: site.o.siteId });
    expect(log.some((e) => e.action === 'reduction' && /Fair share/.test(e.reason))).toBe(true);
    expect(log.some((e) => e.action === 'fallback')).toBe(true);
  });

  it('counts a charger that refuses profiles at its full rating and rebalances the others', async () => {
    const site = await balancedSite();
    const { sims } = site;
    await bootAll(site);
    (sims.D as SimCharger).smart.rejectAll = true;
    await (sims.A as SimCharger).startTransaction(1, 'CAR');
    await settle(site, { A: 32 });
    await (sims.D as SimCharger).startTransaction(1, 'CAR');
    // D refuses, is retried, then counts at 32 A on the MSB: A gets what is left (40 − 32).
    for (let i = 0; i < 5; i++) {
      await site.o.t.clock.advance(1_000);
      const live = await site.live();
      if (live.connectors.find((x) => x.stationName === 'Bay D')?.reason.kind === 'uncontrolled')
        break;
    }
    await settle(site, { A: 8 });
    const live = await site.live();
    const d = live.connectors.find((x) => x.stationName === 'Bay D');
    expect(d?.reason.text).toBe('Does not accept limits; assumed at its full rating (32 A)');
    expect((sims.D as SimCharger).smart.log.some((r) => r.status === 'Rejected')).toBe(true);
    const log = await site.o.t.ok(site.o.admin, 'balancing-log', { siteId: site.o.siteId });
    expect(log.some((e) => e.action === 'uncontrolled' && e.stationName === 'Bay D')).toBe(true);
    expect(site.violations).toEqual([]);
  });

  it('raises a load-balancing alarm for a charger refusing every profile and clears it when it accepts or is removed', async () => {
    const site = await balancedSite();
    const { sims, o } = site;
    const lbAlarms = async () =>
      (await o.t.ok(o.admin, 'alarm-list', { view: 'active' })).alarms.filter(
        (a) => a.rule === 'load-balancing-fault',
      );
    const untilUncontrolled = async () => {
      for (let i = 0; i < 10; i++) {
        const alarms = await lbAlarms();
        if (alarms.length > 0) return alarms;
        await o.t.clock.advance(1_000);
      }
      return waitFor(async () => {
        const a = await lbAlarms();
        return a.length > 0 ? a : null;
      }, 'the load-balancing alarm');
    };
    await bootAll(site);
    const d = sims.D as SimCharger;
    d.smart.rejectAll = true;
    await d.startTransaction(1, 'CAR');
    expect(await lbAlarms()).toEqual([]);
    const [raised] = await untilUncontrolled();
    expect(raised).toMatchObject({
      stationId: site.ids.D,
      connectorNumber: 1,
      severity: 'critical',
      state: 'active',
    });
    expect(raised?.title).toBe('Bay D outlet 1 does not accept charging limits');
    expect(raised?.detail).toContain('counted at its full rating (32 A)');

    // It accepts again after a restart of the charger: the alarm clears by itself.
    d.smart.rejectAll = false;
    await d.boot();
    await waitFor(async () => (await lbAlarms()).length === 0, 'the alarm cleared');
    const history = (await o.t.ok(o.admin, 'alarm-list', { view: 'history' })).alarms;
    expect(history.find((a) => a.id === raised?.id)?.state).toBe('cleared');

    // Refusing the reduction a new car needs raises it again; taking the charger out of the
    // model clears it.
    d.smart.rejectAll = true;
    await (sims.A as SimCharger).startTransaction(1, 'CAR');
    await untilUncontrolled();
    const got = await o.t.ok(o.admin, 'balancing-get', { siteId: o.siteId });
    await o.t.ok(o.admin, 'balancing-save', {
      ...got.config,
      siteId: o.siteId,
      stations: got.config.stations.filter((s) => s.stationId !== site.ids.D),
    });
    await waitFor(async () => (await lbAlarms()).length === 0, 'cleared once D is removed');
  });

  it('holds the invariant across a restart mid-session (reads the ledger, does not replay)', async () => {
    const port = await freePort();
    const site = await balancedSite({ port });
    const { sims, o } = site;
    await bootAll(site);
    await (sims.A as SimCharger).startTransaction(1, 'CAR');
    await (sims.B as SimCharger).startTransaction(1, 'CAR');
    await settle(site, { A: 16, B: 16 });
    await o.t.restart();
    // The chargers keep their profiles while the service is away; they reconnect to it.
    for (const sim of Object.values(sims)) await sim.reconnect();
    await o.t
      .ok(o.admin, 'session-login', {
        email: 'admin@example.com',
        password: 'correct horse battery',
      })
      .catch(() => undefined);
    await (sims.D as SimCharger).startTransaction(1, 'CAR');
    // D's arrival after the restart: the MSB's L1 holds A, B and D → 40 / 3 = 13.3 A.
    await settle(site, { A: 13.3, B: 13.3, D: 13.3 });
    await (sims.A as SimCharger).stopTransaction(1);
    await settle(site, { B: 20, D: 20 });
    expect(site.violations).toEqual([]);
  });

  it('sends W to a charger that accepts only W (from its own configuration keys)', async () => {
    const site = await balancedSite();
    const { sims } = site;
    const d = sims.D as SimCharger;
    d.config.set('ChargingScheduleAllowedChargingRateUnit', { value: 'Power', readonly: true });
    d.config.set('ChargeProfileMaxStackLevel', { value: '0', readonly: true });
    await bootAll(site);
    await d.startTransaction(1, 'CAR');
    await settle(site, { D: 32 });
    const tx = d.profiles.filter(
      (p) =>
        (p.profile as { chargingProfilePurpose?: string }).chargingProfilePurpose === 'TxProfile',
    );
    const last = tx.at(-1)?.profile as {
      stackLevel: number;
      chargingSchedule: { chargingRateUnit: string; chargingSchedulePeriod: { limit: number }[] };
    };
    // 32 A on three phases at 230 V, and the stack level the charger allows.
    expect(last.chargingSchedule.chargingRateUnit).toBe('W');
    expect(last.chargingSchedule.chargingSchedulePeriod[0]?.limit).toBe(22_080);
    expect(last.stackLevel).toBe(0);
    const fallback = d.profiles.find(
      (p) =>
        (p.profile as { chargingProfilePurpose?: string }).chargingProfilePurpose ===
        'TxDefaultProfile',
    )?.profile as { chargingSchedule: { chargingRateUnit: string } } | undefined;
    expect(fallback?.chargingSchedule.chargingRateUnit).toBe('W');
    expect(site.violations).toEqual([]);
  });
});
