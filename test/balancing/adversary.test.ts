// Issue 11's done-when, played against by chargers that misbehave on a real socket: one that
// answers its profiles late (after the controller stopped waiting, applying them then), and one
// whose meter says it draws nothing while its car takes what it is allowed. After every change of
// what any charger may draw, the per-phase sums of the limits in force at the chargers stay within
// every circuit (sim-site.ts checks), and what the cars really draw stays within them too.
import { describe, expect, it } from 'vitest';
import { waitFor } from '../ocpp/helpers';
import type { SimCharger } from '../../src-main/sim/charger';
import { checkWithinLimits } from '../../src-main/balancing/invariant';
import { balancedSite, bootAll, sendDraw, settle, type Site } from './sim-site';

/** What the cars really draw, per charger, against every circuit. */
function realDrawViolations(site: Site) {
  const drawn = Object.entries(site.sims).map(([n, sim]) => ({
    stationId: String(site.ids[n]),
    amps: sim.currentA(1),
  }));
  return checkWithinLimits(site.model, drawn);
}

describe('load balancing against misbehaving chargers', () => {
  it('keeps every circuit within its limit when a charger answers its profiles after the timeout', async () => {
    const site = await balancedSite();
    const { sims, o } = site;
    await bootAll(site);
    const a = sims.A as SimCharger;
    const b = sims.B as SimCharger;
    await a.startTransaction(1, 'CAR');
    await settle(site, { A: 32 });
    // A now answers 1.5 s after each request: the controller gives up after 1 s.
    a.answerDelayMs = 1_500;
    const sent = a.smart.log.length;
    await b.startTransaction(1, 'CAR');
    // A's reduction (DB-A's 32 A shared with B) is in flight, then unanswered: until A says
    // so, it may still draw 32 A, and B gets nothing beyond what DB-A leaves.
    await waitFor(() => a.smart.log.length > sent, 'A applying its reduction, late', 10_000);
    for (let i = 0; i < 20; i++) {
      await o.t.clock.advance(500);
      expect(b.allowedA(1) + a.allowedA(1)).toBeLessThanOrEqual(32);
    }
    expect(site.violations).toEqual([]);
    expect(realDrawViolations(site)).toEqual([]);
    // It answers in time again: the two share DB-A.
    a.answerDelayMs = 0;
    await waitFor(
      async () => {
        await o.t.clock.advance(1_000);
        return a.allowedA(1) === 16 && b.allowedA(1) === 16;
      },
      'A and B at 16 A each',
      20_000,
    );
    expect(site.violations).toEqual([]);
  });

  it('stays within the limits when a charger’s meter says it draws nothing while its car charges', async () => {
    const site = await balancedSite();
    const { sims } = site;
    await bootAll(site);
    const a = sims.A as SimCharger;
    const b = sims.B as SimCharger;
    await a.startTransaction(1, 'CAR');
    await b.startTransaction(1, 'CAR');
    await settle(site, { A: 16, B: 16 });
    // A's meter reports 0 A while its car (an ideal one) takes whatever it is allowed: the
    // controller holds A near what it claims (the 6 A minimum) and gives B the spare. A's own
    // charger enforces 6 A, so what the cars really draw still fits DB-A's 32 A.
    await sendDraw(site, a, 0);
    // (A moved draw is recomputed after a short debounce on the site's clock.)
    await waitFor(
      async () => {
        await site.o.t.clock.advance(1_000);
        return a.allowedA(1) === 6 && b.allowedA(1) === 26;
      },
      'A held at 6 A, B at 26 A',
      20_000,
    );
    expect(a.currentA(1)).toBe(6);
    expect(realDrawViolations(site)).toEqual([]);
    expect(site.violations).toEqual([]);
  });
});
