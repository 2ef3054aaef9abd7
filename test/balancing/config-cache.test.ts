// The controller keeps each site's model and its stations' ratings and wiring in memory
// (site-config-cache.ts) instead of reading them on every recompute: a change made on the stations
// page or in the model still reaches the chargers at once.
import { describe, expect, it } from 'vitest';
import type { SimCharger } from '../../src-main/sim/charger';
import { balancedSite, bootAll, settle } from './sim-site';

describe("the controller's copy of a site's model", () => {
  it('follows a charger re-rated on the stations page and a model saved', async () => {
    const site = await balancedSite();
    const { sims, o } = site;
    await bootAll(site);
    await (sims.A as SimCharger).startTransaction(1, 'CAR');
    // Alone on DB-A (32 A): its full 32 A rating.
    await settle(site, { A: 32 });

    // Re-rated to 20 A on the stations page (a smaller breaker, say).
    await o.t.ok(o.admin, 'station-update', { id: site.ids.A ?? 0, maxCurrentA: 20 });
    await settle(site, { A: 20 });

    // A cap of 12 A on the bay, saved in the model.
    const got = await o.t.ok(o.admin, 'balancing-get', { siteId: o.siteId });
    await o.t.ok(o.admin, 'balancing-save', {
      siteId: o.siteId,
      ...got.config,
      stations: got.config.stations.map((s) =>
        s.stationId === site.ids.A ? { ...s, capA: 12 } : s,
      ),
    });
    await settle(site, { A: 12 });
    expect(site.violations).toEqual([]);
  });
});

describe("the controller's copy after a live restore", () => {
  it('is the restored model, not the one from before the restore', async () => {
    const site = await balancedSite();
    const { o } = site;
    const ratingOfA = () =>
      o.t.core.services.balancing.controller
        .recompute(o.siteId)
        ?.snapshot.model.stations.find((s) => s.stationId === String(site.ids.A))?.maxCurrentA;
    expect(ratingOfA()).toBe(32);
    const { fileName } = await o.t.ok(o.admin, 'backup-create', {});
    await o.t.ok(o.admin, 'station-update', { id: site.ids.A ?? 0, maxCurrentA: 20 });
    expect(ratingOfA()).toBe(20);
    // The backup has Bay A at 32 A: so does the controller once it is restored.
    await o.t.ok(o.admin, 'backup-restore', { fileName });
    expect(ratingOfA()).toBe(32);
  });
});
