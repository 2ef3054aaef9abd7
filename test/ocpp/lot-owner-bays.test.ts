// A private bay belongs to its lot: when the lot changes hands, the old owner's card stops at
// settlement, the new owner's starts there (the bay charger's local list follows on that date,
// woken by the scheduler on the injected clock), and a plug-in session on the bay goes to
// whoever owned the lot when it started.
import { describe, expect, it } from 'vitest';
import { ocppCore, waitFor } from './helpers';

const tags = (sim: { localList: { entries: unknown[] } }) =>
  sim.localList.entries.map((e) => (e as { idTag: string }).idTag).sort();

describe('a private bay when its lot changes owner', () => {
  it('serves the lot’s owner at each moment, online, offline and for billing', async () => {
    const o = await ocppCore();
    const bay = await o.station();
    const sim = o.sim(bay.identity);
    await sim.start();
    const jane = await o.t.ok(o.admin, 'account-create', {
      siteId: o.siteId,
      lotNumber: '5',
      ownerNames: 'Jane Citizen',
    });
    const [connector] = await o.t.ok(o.admin, 'bay-list', { siteId: o.siteId });
    await o.t.ok(o.admin, 'bay-set', {
      connectorId: connector?.connectorId ?? 0,
      kind: 'private',
      accountId: jane.id,
      label: 'Lot 5 bay',
    });
    await o.t.ok(o.admin, 'card-issue', {
      siteId: o.siteId,
      accountId: jane.id,
      number: 'AA000005',
    });
    await waitFor(() => tags(sim).join() === 'AA000005', 'Jane’s card on the bay');

    // Plug-in (free vend) session before settlement: Jane's.
    const before = await sim.startTransaction(1, 'FREEVEND');
    await sim.stopTransaction(1);

    const settlement = o.t.clock.now() + 2 * 60_000;
    const { opened: sam } = await o.t.ok(o.admin, 'account-change-owner', {
      id: jane.id,
      at: settlement,
      ownerNames: 'Sam Buyer',
    });
    await o.t.ok(o.admin, 'card-issue', {
      siteId: o.siteId,
      accountId: sam.id,
      number: 'BB000005',
    });
    // Sam's account opens at settlement: not yet.
    expect(await sim.authorize('BB000005')).toBe('Expired');
    // Jane's card in the list now carries the settlement as its expiry (offline too).
    const janeEntry = sim.localList.entries.find(
      (e) => (e as { idTag: string }).idTag === 'AA000005',
    ) as { idTagInfo: { expiryDate?: string } } | undefined;
    expect(janeEntry?.idTagInfo.expiryDate).toBe(new Date(settlement).toISOString());

    // Every sync for the changes above has finished before the clock moves.
    await o.t.core.services.residents.localList?.idle();
    const sent = sim.received.length;
    await o.t.clock.advance(3 * 60_000);
    // Nobody touched a card: the list follows at settlement by itself.
    await waitFor(() => tags(sim).join() === 'BB000005', 'Sam’s card on the bay after settlement');
    expect(sim.received.slice(sent).map((r) => r.action)).toContain('SendLocalList');
    expect(await sim.authorize('AA000005')).toBe('Expired');
    expect(await sim.authorize('BB000005')).toBe('Accepted');
    const after = await sim.startTransaction(1, 'FREEVEND');
    await sim.stopTransaction(1);
    await sim.goOffline();
    expect(await sim.authorize('AA000005')).toBe('Invalid');
    expect(await sim.authorize('BB000005')).toBe('Accepted');

    const janes = await o.t.ok(o.admin, 'account-sessions', { id: jane.id });
    const sams = await o.t.ok(o.admin, 'account-sessions', { id: sam.id });
    expect(janes.map((s) => s.id)).toEqual([before.transactionId]);
    expect(sams.map((s) => s.id)).toEqual([after.transactionId]);
  });

  it('moves the bay’s sessions since a settlement entered late to the new owner, not invoiced ones', async () => {
    const o = await ocppCore();
    const bay = await o.station();
    const sim = o.sim(bay.identity);
    await sim.start();
    const jane = await o.t.ok(o.admin, 'account-create', {
      siteId: o.siteId,
      lotNumber: '6',
      ownerNames: 'Jane Citizen',
    });
    const [connector] = await o.t.ok(o.admin, 'bay-list', { siteId: o.siteId });
    await o.t.ok(o.admin, 'bay-set', {
      connectorId: connector?.connectorId ?? 0,
      kind: 'private',
      accountId: jane.id,
    });
    const before = await sim.startTransaction(1, 'FREEVEND');
    await sim.stopTransaction(1);
    await o.t.clock.advance(10 * 60_000);
    const settlement = o.t.clock.now() - 5 * 60_000;
    await o.t.clock.advance(60_000);
    // Plugged in after the lot was sold, before the manager heard of it.
    const after = await sim.startTransaction(1, 'FREEVEND');
    await sim.stopTransaction(1);
    expect((await o.t.ok(o.admin, 'account-sessions', { id: jane.id })).length).toBe(2);

    const { opened: sam } = await o.t.ok(o.admin, 'account-change-owner', {
      id: jane.id,
      at: settlement,
      ownerNames: 'Sam Buyer',
    });
    const janes = await o.t.ok(o.admin, 'account-sessions', { id: jane.id });
    const sams = await o.t.ok(o.admin, 'account-sessions', { id: sam.id });
    expect(janes.map((s) => s.id)).toEqual([before.transactionId]);
    expect(sams.map((s) => s.id)).toEqual([after.transactionId]);
  });
});
