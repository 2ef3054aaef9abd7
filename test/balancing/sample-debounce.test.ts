// Meter samples recompute a site at most once per sampleDebounceMs (controller-triggers.ts), on the
// scheduler's clock: a burst of samples is one recompute (one profile to the car, not one per
// sample), while an arrival or a departure is answered at once, whatever samples wait.
// Real chargers on a real socket (sim-site.ts), the test's ManualClock.
import { describe, expect, it } from 'vitest';
import type { SimCharger } from '../../src-main/sim/charger';
import { meterValue } from '../../src-main/sim/meter-values';
import { balancedSite, bootAll, settle } from './sim-site';

/** A MeterValues sample from the charger: its car draws `amps` on each phase. */
async function sample(sim: SimCharger, amps: number, at: number) {
  await sim.send('MeterValues', {
    connectorId: 1,
    transactionId: sim.connector(1).tx?.transactionId ?? 0,
    meterValue: [
      meterValue({
        timestamp: new Date(at).toISOString(),
        context: 'Sample.Periodic',
        registerWh: 0,
        energyUnit: 'Wh',
        powerW: Math.round(amps * 230 * 3),
        amps: [amps, amps, amps],
        phases: 3,
        voltage: 230,
      }),
    ],
  });
}

const txProfiles = (sim: SimCharger) => sim.smart.log.filter((r) => r.purpose === 'TxProfile');

describe('meter samples and the controller', () => {
  it('coalesces a burst of samples into one recompute, but answers arrivals and departures at once', async () => {
    const site = await balancedSite();
    const { sims, o } = site;
    const [a, b, d] = [sims.A, sims.B, sims.D] as [SimCharger, SimCharger, SimCharger];
    await bootAll(site);
    await a.startTransaction(1, 'CAR');
    await b.startTransaction(1, 'CAR');
    // A and B share DB-A's 32 A.
    await settle(site, { A: 16, B: 16 });

    // A's car draws far less than its 16 A, and its draw moves with every sample.
    const before = txProfiles(a).length;
    for (const amps of [5, 9, 4, 5]) await sample(a, amps, o.t.clock.now());
    // One more round trip: anything recomputed at once would have sent its profile by now.
    await a.heartbeat();
    expect(txProfiles(a).length).toBe(before);
    expect(a.allowedA(1)).toBe(16);

    // The debounce runs on the scheduler's clock: once it has passed, one recompute reads the
    // latest draw (5 A): A is held near it (5 + 2 A margin) and B gets the rest.
    await o.t.clock.advance(500);
    await settle(site, { A: 7, B: 25 });
    // One profile for four samples (recomputing on each would have sent 7, 16, 6 and 7 A).
    expect(
      txProfiles(a)
        .slice(before)
        .map((r) => r.limitA),
    ).toEqual([7]);

    // A sample waits for the debounce again; an arrival does not wait behind it (the clock
    // stands still), and its recompute reads the waiting sample too (A held at 5.5 + 2 A).
    await sample(a, 5.5, o.t.clock.now());
    await d.startTransaction(1, 'CAR');
    // B and D share what A leaves of the MSB's 40 A.
    await settle(site, { A: 7.5, B: 16.2, D: 16.2 });
    // Nor does a departure: B leaves, D gets its full 32 A (40 − 7.5 for A).
    await b.stopTransaction(1);
    await settle(site, { A: 7.5, B: 0, D: 32 });
    expect(site.checks).toBeGreaterThan(5);
    expect(site.violations).toEqual([]);
  });
});
