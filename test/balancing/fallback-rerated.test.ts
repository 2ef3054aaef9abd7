// A station re-wired or re-rated on the stations page changes the share that is safe for every
// charger at once: each connected charger gets its fallback again, through the gateway, so that
// the building stays within every limit if they all fall back together.
import { describe, expect, it } from 'vitest';
import { waitFor } from '../ocpp/helpers';
import { toModel } from '../../src-shared/balancing/config';
import { checkWithinLimits } from '../../src-main/balancing/invariant';
import type { SimCharger } from '../../src-main/sim/charger';
import { balancedSite, fallbackIn } from './sim-site';

describe('fallbacks after a station is re-wired', () => {
  it('reinstalls every charger’s fallback at the new safe share when a station is re-wired or re-rated', async () => {
    const site = await balancedSite();
    const { o, sims, ids } = site;
    // D on the building's L1 only: L1 carries A, B, D and L2 A, B, C (40 A / 3 = 13.3 A each).
    await o.t.ok(o.admin, 'station-update', { id: ids.D ?? 0, phases: 'L1' });
    // Chargers that refuse a limit of 0 A get the share that is safe for all of them at once.
    for (const sim of Object.values(sims)) sim.smart.rejectZero = true;
    for (const sim of Object.values(sims)) await sim.start();
    const fallbacks = () => Object.values(sims).map((s) => fallbackIn(s)?.limitA ?? null);
    await waitFor(() => fallbacks().every((a) => a === 13.3), 'fallbacks of 13.3 A');

    // The electrician puts D back on three phases: L2 now carries four chargers (10 A each).
    // At 13.3 A each, all four falling back at once would draw 53.2 A on the MSB's 40 A.
    await o.t.ok(o.admin, 'station-update', { id: ids.D ?? 0, phases: 'three' });
    await waitFor(() => fallbacks().every((a) => a === 10), 'fallbacks of 10 A');
    const got = await o.t.ok(o.admin, 'balancing-get', { siteId: o.siteId });
    const model = toModel(got.config, {
      stations: new Map(got.stations.map((s) => [s.id, s])),
      accounts: new Map(),
    });
    const allFallenBack = Object.entries(sims).map(([n, sim]) => ({
      stationId: String(ids[n]),
      amps: fallbackIn(sim as SimCharger)?.limitA ?? 32,
    }));
    expect(checkWithinLimits(model, allFallenBack)).toEqual([]);
    const log = await o.t.ok(o.admin, 'balancing-log', { siteId: o.siteId });
    expect(
      log.filter((e) => e.action === 'fallback' && e.toA === 10).map((e) => e.stationName),
    ).toEqual(expect.arrayContaining(['Bay A', 'Bay B', 'Bay C', 'Bay D']));

    // Re-rated: C's outlet is now 8 A, so no charger's fallback may assume more than that.
    await o.t.ok(o.admin, 'station-update', { id: ids.C ?? 0, maxCurrentA: 8 });
    await waitFor(() => fallbacks().every((a) => a === 8), 'fallbacks of 8 A');
  });
});
