// The live view says how fresh what it shows is: a charger's draw with the time it was sampled
// (the view marks it stale past staleAfterMs), and each node's load as typed in, metered (with
// the reading's time) or a meter gone quiet (the assumed load counts). Before, a charger whose
// meter went quiet kept showing its last draw as if current, and a typed-in load was called
// "measured".
import { describe, expect, it, onTestFinished } from 'vitest';
import { waitFor } from '../ocpp/helpers';
import { TestMeter } from '../support/modbus-meter';
import type { SimCharger } from '../../src-main/sim/charger';
import { balancedSite, bootAll, sendDraw, settle, type Site } from './sim-site';

async function saveLoads(site: Site, loadSources: unknown[]) {
  const { o } = site;
  const got = await o.t.ok(o.admin, 'balancing-get', { siteId: o.siteId });
  await o.t.ok(o.admin, 'balancing-save', {
    ...got.config,
    siteId: o.siteId,
    loadSources: loadSources as typeof got.config.loadSources,
  });
}

describe('the live view’s freshness', () => {
  it('gives each draw its sample time, so a charger whose meter went quiet shows as stale', async () => {
    const site = await balancedSite();
    const { o, sims } = site;
    await bootAll(site);
    const a = sims.A as SimCharger;
    await a.startTransaction(1, 'CAR');
    await settle(site, { A: 32 });
    const sampledAt = o.t.clock.now();
    await sendDraw(site, a, 12);
    const bayA = async () => {
      const live = await site.live();
      return { live, a: live.connectors.find((c) => c.stationName === 'Bay A') };
    };
    await waitFor(async () => (await bayA()).a?.drawA === 12, 'the draw seen');
    expect((await bayA()).a?.drawAt).toBe(sampledAt);

    // Three minutes without a MeterValues: the same value, but its age says it is old.
    await o.t.clock.advance(3 * 60_000);
    const quiet = await bayA();
    expect(quiet.a).toMatchObject({ drawA: 12, drawAt: sampledAt });
    expect(quiet.live.now - sampledAt).toBeGreaterThan(quiet.live.staleAfterMs);

    // A new sample: current again.
    await sendDraw(site, a, 14);
    await waitFor(async () => (await bayA()).a?.drawA === 14, 'the new draw seen');
    const fresh = await bayA();
    expect(fresh.live.now - (fresh.a?.drawAt ?? 0)).toBeLessThan(fresh.live.staleAfterMs);
  });

  it('says whether a node’s load is typed in, metered (and when read) or from a quiet meter', async () => {
    const m = await new TestMeter().start();
    onTestFinished(() => m.stop());
    m.sdm630([5, 5, 5]);
    const site = await balancedSite();
    const { o } = site;
    const supplyLoad = async () =>
      (await site.live()).nodes.find((n) => n.kind === 'supply')?.load ?? null;
    expect(await supplyLoad()).toBeNull(); // assumed: no source

    await saveLoads(site, [{ target: 'supply', kind: 'typed', typedA: [3, 3, 3], modbus: null }]);
    expect(await supplyLoad()).toEqual({ kind: 'typed', at: null, quiet: false });

    await saveLoads(site, [
      {
        target: 'MSB',
        kind: 'modbus',
        typedA: null,
        modbus: {
          host: '127.0.0.1',
          port: m.port,
          unitId: 1,
          model: 'eastron-sdm630',
          pollSeconds: 5,
          timeoutSeconds: 15,
        },
      },
    ]);
    const msbLoad = async () => (await site.live()).nodes.find((n) => n.id === 'MSB')?.load;
    const read = await waitFor(async () => {
      const l = await msbLoad();
      return l?.at != null ? l : null;
    }, 'a meter reading');
    expect(read).toMatchObject({ kind: 'meter', quiet: false });
    const lastAt = read.at;

    // The meter loses power: past its 15 s timeout it is quiet, its last reading's time kept.
    await m.stop();
    for (let i = 0; i < 5; i++) await o.t.clock.advance(5_000);
    expect(await msbLoad()).toEqual({ kind: 'meter', at: lastAt, quiet: true });
  });
});
