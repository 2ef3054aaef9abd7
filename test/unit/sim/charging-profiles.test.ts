// The simulated charger's composite schedule (OCPP 1.6 §3.13): periods over time, validity,
// Absolute / Relative / Recurring, stack levels falling through where the highest has nothing in
// force, ChargePointMax on connector 0 capping the rest, and malformed schedules refused.
import { describe, expect, it } from 'vitest';
import { SimChargingProfiles } from '../../../src-main/sim/charging-profiles';

const T0 = Date.parse('2026-12-01T00:00:00Z');
const H = 3_600_000;

function charger() {
  let now = T0;
  const smart = new SimChargingProfiles({ voltage: 230, phases: 3, now: () => now });
  const at = (ms: number) => {
    now = T0 + ms;
  };
  // A transaction 7 runs on connector 1.
  const txOf = (c: number) => (c === 1 ? 7 : null);
  const set = (connectorId: number, p: Record<string, unknown>) =>
    smart.set(connectorId, { chargingProfileId: Math.random(), stackLevel: 0, ...p }, txOf);
  return { smart, at, set };
}

const periods = (...p: [number, number][]) =>
  p.map(([startPeriod, limit]) => ({ startPeriod, limit }));

describe('the simulated charger’s composite schedule', () => {
  it('follows an Absolute schedule’s periods and ends with its duration', () => {
    const { smart, at, set } = charger();
    expect(
      set(1, {
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Absolute',
        chargingSchedule: {
          chargingRateUnit: 'A',
          startSchedule: new Date(T0).toISOString(),
          duration: 3 * 3600,
          chargingSchedulePeriod: periods([0, 16], [3600, 8]),
        },
      }),
    ).toBe('Accepted');
    at(0.5 * H);
    expect(smart.limitA(1, true)).toBe(16);
    at(1.5 * H);
    expect(smart.limitA(1, true)).toBe(8);
    at(3 * H);
    expect(smart.limitA(1, true)).toBeNull(); // past its duration: unconstrained
  });

  it('falls through to the next stack level where the highest has nothing in force', () => {
    const { smart, at, set } = charger();
    set(1, {
      chargingProfilePurpose: 'TxDefaultProfile',
      stackLevel: 0,
      chargingProfileKind: 'Relative',
      chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: periods([0, 32]) },
    });
    set(1, {
      chargingProfilePurpose: 'TxDefaultProfile',
      stackLevel: 3,
      chargingProfileKind: 'Absolute',
      validFrom: new Date(T0 + H).toISOString(),
      validTo: new Date(T0 + 2 * H).toISOString(),
      chargingSchedule: {
        chargingRateUnit: 'A',
        startSchedule: new Date(T0).toISOString(),
        chargingSchedulePeriod: periods([0, 10]),
      },
    });
    expect(smart.limitA(1, true)).toBe(32); // not valid yet
    at(1.5 * H);
    expect(smart.limitA(1, true)).toBe(10);
    at(2 * H);
    expect(smart.limitA(1, true)).toBe(32); // expired
  });

  it('counts a Relative TxProfile from the start of the transaction; a TxProfile beats TxDefault', () => {
    const { smart, at, set } = charger();
    set(0, {
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Relative',
      chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: periods([0, 6]) },
    });
    set(1, {
      chargingProfilePurpose: 'TxProfile',
      transactionId: 7,
      chargingProfileKind: 'Relative',
      chargingSchedule: {
        chargingRateUnit: 'A',
        duration: 7200,
        chargingSchedulePeriod: periods([0, 20], [1800, 12]),
      },
    });
    const started = T0 - 0.25 * H;
    at(0);
    expect(smart.limitA(1, true, started)).toBe(20);
    at(0.5 * H);
    expect(smart.limitA(1, true, started)).toBe(12);
    at(2 * H);
    // Its duration is over: the connector-0 TxDefault applies again.
    expect(smart.limitA(1, true, started)).toBe(6);
    expect(smart.limitA(1, false)).toBe(6); // no transaction: TxDefault
  });

  it('repeats a Recurring Daily schedule, and ChargePointMax caps everything', () => {
    const { smart, at, set } = charger();
    // Off-peak: 32 A from midnight for 7 hours, every day (a building's night tariff).
    set(1, {
      chargingProfilePurpose: 'TxDefaultProfile',
      stackLevel: 2,
      chargingProfileKind: 'Recurring',
      recurrencyKind: 'Daily',
      chargingSchedule: {
        chargingRateUnit: 'A',
        startSchedule: new Date(T0).toISOString(),
        duration: 7 * 3600,
        chargingSchedulePeriod: periods([0, 32]),
      },
    });
    set(1, {
      chargingProfilePurpose: 'TxDefaultProfile',
      stackLevel: 0,
      chargingProfileKind: 'Relative',
      chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: periods([0, 10]) },
    });
    at(3 * H);
    expect(smart.limitA(1, true)).toBe(32);
    at(12 * H);
    expect(smart.limitA(1, true)).toBe(10);
    at(24 * H + 2 * H); // the next night
    expect(smart.limitA(1, true)).toBe(32);
    // In W per the period's phases: 11,040 W on 3 phases at 230 V = 16 A.
    expect(
      set(0, {
        chargingProfilePurpose: 'ChargePointMaxProfile',
        chargingProfileKind: 'Absolute',
        chargingSchedule: {
          chargingRateUnit: 'W',
          chargingSchedulePeriod: [{ startPeriod: 0, limit: 11_040, numberPhases: 3 }],
        },
      }),
    ).toBe('Accepted');
    expect(smart.limitA(1, true)).toBe(16);
  });

  it('refuses a schedule whose first period is not at 0, periods out of order, or a Recurring one without its start', () => {
    const { smart, set } = charger();
    const bad = [
      {
        chargingProfileKind: 'Absolute',
        chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: periods([60, 16]) },
      },
      {
        chargingProfileKind: 'Absolute',
        chargingSchedule: {
          chargingRateUnit: 'A',
          chargingSchedulePeriod: periods([0, 16], [600, 8], [300, 10]),
        },
      },
      {
        chargingProfileKind: 'Recurring',
        recurrencyKind: 'Daily',
        chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: periods([0, 16]) },
      },
      {
        chargingProfileKind: 'Absolute',
        chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [] },
      },
    ];
    for (const p of bad)
      expect(set(1, { chargingProfilePurpose: 'TxDefaultProfile', ...p })).toBe('Rejected');
    expect(smart.installed).toEqual([]);
    expect(smart.log.map((r) => r.status)).toEqual([
      'Rejected',
      'Rejected',
      'Rejected',
      'Rejected',
    ]);
  });
});
