import { describe, expect, it } from 'vitest';
import { ocppCore, waitFor } from './helpers';
import { startDemo } from '../../src-main/sim/demo';
import { loginAs } from '../support/factories';

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
      // The building's lots: an account each, with a resident and a card, and the sessions
      // charged with those cards belong to their lots.
      const demoSite = (await o.t.ok(o.admin, 'site-list', {})).find((x) => x.id !== o.siteId);
      const accounts = await o.t.ok(o.admin, 'account-list', { siteId: demoSite?.id ?? 0 });
      expect(accounts.map((a) => [a.lotNumber, a.residents, a.cards])).toEqual([
        ['1', 1, 1],
        ['2', 1, 1],
        ['3', 1, 1],
        ['4', 1, 1],
        ['5', 1, 1],
      ]);
      const lot1 = await o.t.ok(o.admin, 'account-sessions', { id: accounts[0]?.id ?? 0 });
      expect(lot1.length).toBeGreaterThan(0);
      const bays = await o.t.ok(o.admin, 'bay-list', { siteId: demoSite?.id ?? 0 });
      expect(
        bays
          .filter((b) => b.kind !== 'shared')
          .map((b) => b.kind)
          .sort(),
      ).toEqual(['private', 'visitor']);
    } finally {
      await demo.stop();
    }
  });
});

describe('removing the demo', () => {
  it('stops the simulated chargers and deletes the demo site with everything under it, in one action', async () => {
    const o = await ocppCore();
    const mine = await o.station({ identity: 'REAL-BAY-1' });
    const demo = await startDemo(o.t.core);
    try {
      await waitFor(
        async () => (await o.t.ok(o.admin, 'transaction-list', { status: 'active' })).total >= 4,
        'demo sessions',
      );
      const { siteId } = await o.t.ok(o.admin, 'demo-get', {});
      expect(siteId).not.toBeNull();
      // Until now the demo site could not be deleted (it has floors, its stations sessions).
      expect((await o.t.fail(o.admin, 'site-delete', { id: siteId ?? 0 })).code).toBe('conflict');

      const r = await o.t.ok(o.admin, 'demo-remove', {});
      expect(r).toMatchObject({ removed: true, siteName: 'Demo — Harbour Towers', stations: 6 });
      expect(r.sessions).toBeGreaterThanOrEqual(4);

      expect((await o.t.ok(o.admin, 'site-list', {})).map((s) => s.id)).toEqual([o.siteId]);
      const stations = await o.t.ok(o.admin, 'station-list', {});
      expect(stations.map((s) => s.identity)).toEqual(['REAL-BAY-1']);
      expect(stations[0]?.id).toBe(mine.id);
      expect(demo.chargers.every((c) => c.client === null)).toBe(true);
      expect(o.t.core.services.ocpp.isConnected('DEMO-B1-01')).toBe(false);
      expect((await o.t.ok(o.admin, 'transaction-list', {})).total).toBe(0);
      expect(await o.t.ok(o.admin, 'id-tag-list', {})).toEqual([]);
      const audit = await o.t.ok(o.admin, 'audit-list', { method: 'demo-remove' });
      expect(audit.entries).toHaveLength(1);
      expect(await o.t.ok(o.admin, 'demo-get', {})).toEqual({ siteId: null });
      // Nothing left to remove: a second click says so.
      expect((await o.t.ok(o.admin, 'demo-remove', {})).removed).toBe(false);
    } finally {
      await demo.stop();
    }
  });

  it('is for administrators only', async () => {
    const o = await ocppCore();
    const demo = await startDemo(o.t.core);
    try {
      const { siteId } = await o.t.ok(o.admin, 'demo-get', {});
      const { conn } = await loginAs(o.t, o.admin, 'site_admin', [siteId ?? 0]);
      expect((await o.t.fail(conn, 'demo-remove', {})).code).toBe('forbidden');
      expect((await o.t.ok(o.admin, 'demo-get', {})).siteId).toBe(siteId);
    } finally {
      await demo.stop();
    }
  });
});
