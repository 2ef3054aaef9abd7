import { describe, expect, it } from 'vitest';
import { ocppCore, waitFor } from './helpers';
import { startDemo } from '../../src-main/sim/demo';

describe('demo', () => {
  it('creates a demo building whose simulated chargers connect and charge', async () => {
    const o = await ocppCore();
    const demo = await startDemo(o.t.core);
    try {
      const stations = await o.t.ok(o.admin, 'station-list', {});
      const demoStations = stations.filter((s) => s.identity.startsWith('DEMO-'));
      expect(demoStations).toHaveLength(6);
      expect(demoStations.every((s) => s.connected)).toBe(true);
      const active = await waitFor(
        async () => (await o.t.ok(o.admin, 'transaction-list', { status: 'active' })).total >= 4,
        'four charging sessions',
      );
      expect(active).toBe(true);
    } finally {
      await demo.stop();
    }
  });
});
