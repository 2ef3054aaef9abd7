// The simulated car: it draws min(what the charger allows, its on-board charger, its taper), on
// the phases both share, nothing below the pilot minimum or once full; and the simulated charger
// reports that draw per phase to a real core (MeterValues, status), on the building's phases
// through its rotation.
import { describe, expect, it, onTestFinished } from 'vitest';
import { CAR_KINDS, SimCar, toBuildingPhases } from '../../../src-main/sim/car';
import { ocppCore, waitFor } from '../../ocpp/helpers';
import type { DomainEventOf } from '../../../src-main/platform/domain-events';

describe('the simulated car', () => {
  it('draws what it is offered up to its on-board charger, on its own phases', () => {
    const car = new SimCar({ ...CAR_KINDS.hatch1p32, socPercent: 20 });
    // A 1-phase car on a three-phase charger: the charger's L1 only.
    expect(car.draw(20, 3)).toEqual([20, 0, 0]);
    expect(car.draw(40, 3)).toEqual([32, 0, 0]);
    const phev = new SimCar({ ...CAR_KINDS.phev1p16, socPercent: 20 });
    expect(phev.draw(32, 3)).toEqual([16, 0, 0]);
    const sedan = new SimCar({ ...CAR_KINDS.sedan3p16, socPercent: 20 });
    expect(sedan.draw(32, 3)).toEqual([16, 16, 16]);
    expect(sedan.draw(10, 3)).toEqual([10, 10, 10]);
    // A three-phase car behind a single-phase charger uses its one phase.
    expect(sedan.draw(32, 1)).toEqual([16, 0, 0]);
    // Never above the offer, to the tenth of an amp.
    expect(sedan.draw(13.33, 3)).toEqual([13.3, 13.3, 13.3]);
  });

  it('takes nothing below the 6 A pilot minimum (a paused car) or when full', () => {
    const car = new SimCar({ ...CAR_KINDS.suv3p32, socPercent: 50 });
    expect(car.draw(5.9, 3)).toEqual([0, 0, 0]);
    expect(car.draw(0, 3)).toEqual([0, 0, 0]);
    expect(car.draw(6, 3)).toEqual([6, 6, 6]);
    const full = new SimCar({ ...CAR_KINDS.suv3p32, socPercent: 100 });
    expect(full.full).toBe(true);
    expect(full.draw(32, 3)).toEqual([0, 0, 0]);
    const limited = new SimCar({ ...CAR_KINDS.suv3p32, socPercent: 79, targetPercent: 80 });
    limited.charge([32, 32, 32], 230, 3600);
    expect(limited.socPercent).toBe(80);
    expect(limited.draw(32, 3)).toEqual([0, 0, 0]);
  });

  it('tapers above 80 % down to its floor, and reaches full in finite time', () => {
    const car = new SimCar({ ...CAR_KINDS.sedan3p16, socPercent: 80 });
    expect(car.acceptA()).toBe(16);
    car.socPercent = 90;
    expect(car.acceptA()).toBe(8);
    car.socPercent = 99.5;
    expect(car.acceptA()).toBe(2);
    // Charge minute by minute from 70 %: the draw falls as it passes 80 %, never rises, and the
    // battery is full within a few hours.
    const c = new SimCar({ ...CAR_KINDS.hatch1p32, socPercent: 70 });
    const draws: number[] = [];
    let minutes = 0;
    while (!c.full && minutes < 600) {
      const d = c.draw(32, 1);
      draws.push(d[0]);
      c.charge(d, 230, 60);
      minutes++;
    }
    expect(c.full).toBe(true);
    expect(minutes).toBeLessThan(300);
    expect(draws[0]).toBe(32);
    expect(draws.every((d, i) => i === 0 || d <= (draws[i - 1] ?? 0))).toBe(true);
    expect(Math.min(...draws)).toBe(2);
    // The energy taken is the battery's 30 % (40 kWh × 0.3).
    expect(Math.round(c.chargedWh)).toBe(12_000);
  });

  it('puts the charger’s phases on the building’s through the rotation', () => {
    expect(toBuildingPhases([16, 0, 0], 'L1-L2-L3')).toEqual([16, 0, 0]);
    expect(toBuildingPhases([16, 0, 0], 'L2-L3-L1')).toEqual([0, 16, 0]);
    expect(toBuildingPhases([16, 0, 0], 'L3-L1-L2')).toEqual([0, 0, 16]);
    expect(toBuildingPhases([1, 2, 3], 'L3-L2-L1')).toEqual([3, 2, 1]);
  });

  it('refuses a car without a battery or an on-board charger, in words', () => {
    expect(() => new SimCar({ ...CAR_KINDS.sedan3p16, capacityWh: 0, socPercent: 1 })).toThrow(
      /battery capacity/,
    );
    expect(() => new SimCar({ ...CAR_KINDS.sedan3p16, onboardMaxA: 0, socPercent: 1 })).toThrow(
      /on-board charger/,
    );
  });
});

describe('a simulated charger with a car', () => {
  it('reports the car’s draw per phase, its energy and its status to the server', async () => {
    const o = await ocppCore();
    await o.station({ identity: 'CAR-1', name: 'Bay 1' });
    await o.t.ok(o.admin, 'id-tag-upsert', { idTag: 'CAR' });
    const meters: DomainEventOf<'transaction.meter'>[] = [];
    const statuses: string[] = [];
    const events = o.t.core.services.domainEvents;
    onTestFinished(events.subscribe('transaction.meter', (e) => meters.push(e)));
    onTestFinished(events.subscribe('connector.status', (e) => statuses.push(e.status)));
    const sim = o.sim('CAR-1', { phases: 3, maxCurrentA: 32, rotation: 'L2-L3-L1' });
    await sim.start();
    // A plug-in hybrid on one phase at 16 A, nearly full.
    const car = sim.plugIn(1, new SimCar({ ...CAR_KINDS.phev1p16, socPercent: 95 }));
    await sim.startTransaction(1, 'CAR');
    expect(sim.phaseCurrentsA(1)).toEqual([4, 0, 0]); // tapering: 16 A × (100 − 95) / 20
    expect(sim.buildingCurrentsA(1)).toEqual([0, 4, 0]);
    expect(sim.powerW(1)).toBe(920);
    const startWh = sim.connector(1).registerWh;
    await sim.sample(60);
    const first = await waitFor(() => meters.at(-1), 'a meter value at the server');
    // Sampled after the minute: the battery rose a little, the draw fell a little.
    const [l1] = sim.phaseCurrentsA(1);
    expect(l1).toBeCloseTo(3.9, 0);
    expect(first.currentA).toEqual({ L1: l1, L2: 0, L3: 0 });
    expect(first.powerW).toBe(Math.round(l1 * 230));
    expect(sim.connector(1).registerWh - startWh).toBe(15); // 920 W for a minute

    // The charger allows less: the car takes that.
    sim.connector(1).limitA = 3;
    expect(sim.currentA(1)).toBe(0); // below the pilot minimum: paused
    await sim.sample(60);
    await waitFor(() => statuses.includes('SuspendedEVSE'), 'SuspendedEVSE at the server');
    sim.connector(1).limitA = null;

    // Until it is full: then it takes nothing and says so (SuspendedEV).
    for (let i = 0; i < 200 && !car.full; i++) await sim.sample(60);
    expect(car.full).toBe(true);
    await waitFor(() => statuses.at(-1) === 'SuspendedEV', 'SuspendedEV at the server');
    await waitFor(() => meters.at(-1)?.powerW === 0, 'no power once full');
    expect(meters.at(-1)?.currentA).toEqual({ L1: 0, L2: 0, L3: 0 });
    // What the meter counted is what the battery took.
    expect(sim.connector(1).registerWh - startWh).toBeCloseTo(car.chargedWh, -1);
    await sim.stopTransaction(1);
    expect(sim.connector(1).car).toBeNull();
  });
});
