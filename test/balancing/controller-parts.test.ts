// The controller's pure parts: what a charger accepts from its own configuration keys, the share
// that is safe if every charger draws it at once, and a meter gone quiet counting as no reading.
import { describe, expect, it } from 'vitest';
import { capsFromConfiguration, safeFallbackA } from '../../src-main/balancing/controller-profiles';
import { createMeasuredLoadBoard, loadsFor } from '../../src-main/balancing/measured-load';
import { circuit, model, station } from './fixtures';

const key = (k: string, value: string) => ({ key: k, value });

describe('what a charger accepts', () => {
  it('is W only when it lists Power and not Current, with its stack levels', () => {
    expect(
      capsFromConfiguration([
        key('ChargingScheduleAllowedChargingRateUnit', 'Power'),
        key('ChargeProfileMaxStackLevel', '3'),
      ]),
    ).toEqual({ unit: 'W', maxStackLevel: 3 });
    expect(
      capsFromConfiguration([key('ChargingScheduleAllowedChargingRateUnit', 'Current, Power')]),
    ).toEqual({ unit: 'A', maxStackLevel: 0 });
    expect(capsFromConfiguration([key('HeartbeatInterval', '300')])).toBeNull();
  });
});

describe('the safe share', () => {
  const m = model({
    circuits: [circuit('msb', null, 40), circuit('l2', 'msb', 32, { phases: ['L2'] })],
    stations: [
      station('A', 'msb'),
      station('B', 'msb'),
      station('C', 'l2', { wiring: 'L1', rotation: 'L2-L3-L1' }),
    ],
  });
  it('keeps every node within its limit with every charger at it', () => {
    // L2 of the main switchboard carries A, B and C: 40 / 3, in tenths, rounded down.
    const all = ['A', 'B', 'C'].map((s) => ({ stationId: s, ratingA: 32, fixed: false }));
    expect(safeFallbackA(m, all)).toBe(13.3);
  });
  it('is 0 when the minimum does not fit, and leaves room for chargers we cannot steer', () => {
    const fixedA = [
      { stationId: 'A', ratingA: 32, fixed: true },
      { stationId: 'B', ratingA: 32, fixed: false },
      { stationId: 'C', ratingA: 32, fixed: false },
    ];
    // 40 − 32 left on L2 for B and C: 4 A each, below the 6 A minimum.
    expect(safeFallbackA(m, fixedA)).toBe(0);
  });
});

describe('measured loads', () => {
  it('count while fresh and are the assumed worst case once the meter is quiet', () => {
    const board = createMeasuredLoadBoard();
    const sources = [
      {
        target: 'supply',
        kind: 'modbus' as const,
        typedA: null,
        modbus: {
          host: '10.0.0.5',
          port: 502,
          unitId: 1,
          model: 'eastron-sdm630' as const,
          pollSeconds: 5,
          timeoutSeconds: 30,
        },
      },
      { target: 'db1', kind: 'typed' as const, typedA: [1, 2, 3], modbus: null },
    ];
    board.report(7, 'supply', [20, 21, 22], 1_000);
    expect(loadsFor(7, sources, board, 20_000)).toEqual({
      loads: { supply: [20, 21, 22], db1: [1, 2, 3] },
      quiet: [],
    });
    expect(loadsFor(7, sources, board, 31_001)).toEqual({
      loads: { db1: [1, 2, 3] },
      quiet: [{ target: 'supply', since: 31_000 }],
    });
  });
});
