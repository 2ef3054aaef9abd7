// The demo building has a balanced supply a newcomer can watch: its cars get limits from the
// controller, within every circuit on every phase, and the live view explains each one.
import { describe, expect, it } from 'vitest';
import { ocppCore, waitFor } from '../ocpp/helpers';
import { startDemo } from '../../src-main/sim/demo';

describe('the demo building', () => {
  it('balances its chargers on a supply the live view shows', async () => {
    const o = await ocppCore();
    const demo = await startDemo(o.t.core);
    try {
      const site = (await o.t.ok(o.admin, 'site-list', {})).find((s) => s.id !== o.siteId);
      const siteId = site?.id ?? 0;
      const live = await waitFor(
        async () => {
          const l = await o.t.ok(o.admin, 'balancing-live', { siteId });
          const charging = l.connectors.filter((c) => c.controlled && c.allowedA > 0);
          return charging.length >= 4 && charging.every((c) => !c.inFlight) ? l : null;
        },
        'four cars with confirmed limits',
        15_000,
      );
      expect(live.enabled).toBe(true);
      expect(live.nodes.map((n) => n.name)).toEqual([
        'Supply',
        'Main switchboard',
        'Car park B1',
        'Car park B2',
      ]);
      // Every node-phase within its limit: the rest of the building plus what the chargers may draw.
      for (const n of live.nodes)
        for (const p of n.phases)
          expect(p.otherA + p.allowedA).toBeLessThanOrEqual(p.limitA + 1e-6);
      for (const c of live.connectors.filter((x) => x.controlled))
        expect(c.reason.text).toMatch(/Fair share|maximum|Paused/);
      // What the chargers hold matches: every TxProfile they received was accepted.
      const wire = demo.chargers.flatMap((c) => c.smart.log);
      expect(wire.some((r) => r.purpose === 'TxProfile')).toBe(true);
      expect(wire.every((r) => r.status === 'Accepted')).toBe(true);

      // Its cars draw what their batteries let them: a few minutes of meter samples later the
      // tapering hybrid on B1-02 is capped near its draw (the spare goes to the others), and the
      // car set to stop at 80 % on B2-02 has stopped drawing and says so.
      const at = (identity: string) => {
        const c = demo.chargers.find((x) => x.identity === identity);
        if (!c) throw new Error(identity);
        return c;
      };
      const hybrid = at('DEMO-B1-02');
      const stopping = at('DEMO-B2-02');
      expect(hybrid.connector(1).car?.acceptA()).toBeLessThan(hybrid.allowedA(1) - 4);
      const capped = await waitFor(
        async () => {
          await Promise.all(demo.chargers.map((c) => c.sample(60)));
          const l = await o.t.ok(o.admin, 'balancing-live', { siteId });
          const row = l.connectors.find((c) => c.stationName === 'Bay B1-02');
          const drawA = hybrid.currentA(1);
          return stopping.connector(1).status === 'SuspendedEV' &&
            row?.reason.kind === 'draw' &&
            hybrid.allowedA(1) <= drawA + 2 + 1e-6
            ? row
            : null;
        },
        'the hybrid capped near its draw, the car at its limit stopped',
        15_000,
      );
      expect(capped.reason.text).toMatch(/draw/i);
      expect(stopping.connector(1).car?.full).toBe(true);
      expect(stopping.currentA(1)).toBe(0);
    } finally {
      await demo.stop();
    }
  });
});
