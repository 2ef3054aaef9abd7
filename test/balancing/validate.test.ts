import { describe, expect, it } from 'vitest';
import { validateModel } from '../../src-shared/balancing/validate';
import { circuit, model, station } from './fixtures';

describe('electrical model validation', () => {
  it('accepts a supply, a tree of circuits and wired stations', () => {
    const m = model({
      circuits: [
        circuit('msb', null, 100),
        circuit('db1', 'msb', 63),
        circuit('l2', 'db1', 32, { phases: ['L2'] }),
      ],
      stations: [station('A', 'db1'), station('B', 'l2', { wiring: 'L1', rotation: 'L2-L3-L1' })],
    });
    expect(validateModel(m)).toEqual([]);
  });

  it('names every fault at once: a child above its parent, a charger on a phase its circuit lacks', () => {
    const m = model({
      circuits: [
        circuit('msb', null, 100),
        circuit('db1', 'msb', 125),
        circuit('l2', 'msb', 32, { phases: ['L2'] }),
      ],
      // Wired on its L1, rotated so that its L1 is the building's L3: the L2-only circuit lacks it.
      stations: [
        station('B', 'l2', { wiring: 'L1', rotation: 'L3-L1-L2' }),
        station('C', 'nowhere'),
      ],
    });
    const errors = validateModel(m);
    expect(errors).toEqual([
      {
        field: 'circuits.1.limitA',
        message: 'Circuit “db1” (125 A) cannot be above circuit “msb” that feeds it (100 A).',
      },
      {
        field: 'stations.0.wiring',
        message:
          'Station B draws on building phase L3 (wiring L1, rotation L3-L1-L2), which circuit “l2” does not carry.',
      },
      {
        field: 'stations.1.circuitId',
        message: 'Station C hangs on a circuit that does not exist.',
      },
    ]);
  });

  it('refuses a loop in the tree, a circuit on a phase its parent lacks, and a reserve that leaves nothing', () => {
    const m = model({
      circuits: [
        circuit('a', 'b', 50),
        circuit('b', 'a', 50),
        circuit('l1', null, 32, { phases: ['L1'] }),
        circuit('sub', 'l1', 16, { phases: ['L2'] }),
      ],
    });
    m.supply.reserveA = 120;
    const fields = validateModel(m).map((e) => e.field);
    expect(fields).toEqual([
      'supply.reserveA',
      'circuits.0.parentId',
      'circuits.1.parentId',
      'circuits.3.phases',
    ]);
  });
});
