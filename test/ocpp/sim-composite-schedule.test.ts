// The simulated charger answers GetCompositeSchedule with the real composite over the requested
// duration (OCPP 1.6 §3.13.4, §5.7): every period where the limit in force changes, from each
// profile's periods, validity, duration and recurrence, combined by purpose and stack level and
// capped by ChargePointMax; its own maximum where no profile limits it. Asked through the API,
// over a real socket. (It answered one period: the limit at the moment asked, for any duration.)
import { describe, expect, it } from 'vitest';
import { ocppCore } from './helpers';

const H = 3600;

describe('the simulator’s GetCompositeSchedule', () => {
  it('answers every period over the duration: schedule steps, a ChargePointMax from later, the end of a schedule', async () => {
    const o = await ocppCore();
    await o.t.ok(o.admin, 'id-tag-upsert', { idTag: 'CAR' });
    const { id, identity } = await o.station({
      maxCurrentA: 32,
      phases: 'three',
      connectorCount: 2,
    });
    const sim = o.sim(identity, { phases: 3, maxCurrentA: 32, connectors: 2 });
    await sim.start();
    await sim.startTransaction(1, 'CAR');
    const t0 = o.t.clock.now();
    const iso = (s: number) => new Date(t0 + s * 1000).toISOString();
    const txOf = () => sim.connector(1).tx?.transactionId ?? null;
    // TxDefault: 16 A for the first hour, then 8 A, for three hours in all.
    sim.smart.set(
      1,
      {
        chargingProfileId: 1,
        stackLevel: 0,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Absolute',
        chargingSchedule: {
          chargingRateUnit: 'A',
          startSchedule: iso(0),
          duration: 3 * H,
          chargingSchedulePeriod: [
            { startPeriod: 0, limit: 16 },
            { startPeriod: H, limit: 8 },
          ],
        },
      },
      txOf,
    );
    // The whole charger capped at 10 A from half an hour in.
    sim.smart.set(
      0,
      {
        chargingProfileId: 2,
        stackLevel: 0,
        chargingProfilePurpose: 'ChargePointMaxProfile',
        chargingProfileKind: 'Absolute',
        validFrom: iso(H / 2),
        chargingSchedule: {
          chargingRateUnit: 'A',
          startSchedule: iso(0),
          chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }],
        },
      },
      txOf,
    );
    const got = await o.t.ok(o.admin, 'station-composite-schedule-get', {
      stationId: id,
      connectorNumber: 1,
      durationSeconds: 4 * H,
    });
    expect(got.status).toBe('Accepted');
    expect(got.scheduleStart).toBe(t0);
    expect(got.chargingSchedule?.duration).toBe(4 * H);
    expect(got.chargingSchedule?.chargingSchedulePeriod).toEqual([
      { startPeriod: 0, limit: 16 },
      { startPeriod: H / 2, limit: 10 },
      { startPeriod: H, limit: 8 },
      // The TxDefault ends after three hours: the ChargePointMax alone.
      { startPeriod: 3 * H, limit: 10 },
    ]);

    // In W, the total over its three phases at 230 V.
    const w = await o.t.ok(o.admin, 'station-composite-schedule-get', {
      stationId: id,
      connectorNumber: 1,
      durationSeconds: H,
      chargingRateUnit: 'W',
    });
    expect(w.chargingSchedule?.chargingRateUnit).toBe('W');
    expect(w.chargingSchedule?.chargingSchedulePeriod.map((p) => [p.startPeriod, p.limit])).toEqual(
      [
        [0, 16 * 230 * 3],
        [H / 2, 10 * 230 * 3],
      ],
    );

    // A Recurring daily TxDefault on connector 2 (no transaction): 6 A from 18:00 to 22:00 UTC
    // each day, over two days; otherwise its maximum, under the ChargePointMax from half an hour.
    const midnight = Date.parse(new Date(t0).toISOString().slice(0, 10) + 'T00:00:00Z');
    sim.smart.set(
      2,
      {
        chargingProfileId: 3,
        stackLevel: 0,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Recurring',
        recurrencyKind: 'Daily',
        chargingSchedule: {
          chargingRateUnit: 'A',
          startSchedule: new Date(midnight + 18 * H * 1000).toISOString(),
          duration: 4 * H,
          chargingSchedulePeriod: [{ startPeriod: 0, limit: 6 }],
        },
      },
      txOf,
    );
    const daily = await o.t.ok(o.admin, 'station-composite-schedule-get', {
      stationId: id,
      connectorNumber: 2,
      durationSeconds: 2 * 24 * H,
    });
    const at = (p: { startPeriod: number; limit: number }) => [
      new Date(t0 + p.startPeriod * 1000).toISOString().slice(11, 16),
      p.limit,
    ];
    const steps = daily.chargingSchedule?.chargingSchedulePeriod.map(at) ?? [];
    const hhmm = (s: number) => new Date(t0 + s * 1000).toISOString().slice(11, 16);
    expect(hhmm(0) < '17:30').toBe(true); // the test clock starts before the evening
    expect(steps).toEqual([
      [hhmm(0), 32],
      [hhmm(H / 2), 10],
      ['18:00', 6],
      ['22:00', 10],
      ['18:00', 6],
      ['22:00', 10],
    ]);

    // A connector the charger does not have: Rejected (§5.7), not a made-up schedule.
    const none = await o.t.ok(o.admin, 'station-composite-schedule-get', {
      stationId: id,
      connectorNumber: 5,
      durationSeconds: H,
    });
    expect(none.status).toBe('Rejected');
  });
});
