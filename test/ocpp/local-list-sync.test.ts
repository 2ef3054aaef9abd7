// The chargers' local card lists follow card changes: a replaced card is refused online at once
// and, after the differential sync, offline too (the simulator checks its real local list); a
// charger whose list version disagrees gets the whole list; the station shows version and sync.
import { describe, expect, it } from 'vitest';
import { ocppCore, waitFor } from './helpers';

describe('local authorisation list sync', () => {
  it('sends card changes as differentials and refuses a replaced card offline too', async () => {
    const o = await ocppCore();
    const { id: stationId, identity } = await o.station();
    const sim = o.sim(identity);
    await sim.start();
    // The post-boot setup sends the full list first.
    await waitFor(() => sim.received.some((r) => r.action === 'SendLocalList'), 'post-boot list');
    const lot = await o.t.ok(o.admin, 'account-create', {
      siteId: o.siteId,
      lotNumber: '7',
      ownerNames: 'Lee Owner',
    });
    const card = await o.t.ok(o.admin, 'card-issue', {
      siteId: o.siteId,
      accountId: lot.id,
      number: '0A0B0C0D',
    });
    await waitFor(() => sim.localAuthorize('0A0B0C0D') === 'Accepted', 'the card in the list');

    await o.t.ok(o.admin, 'card-replace', { id: card.id, number: '0E0E0E0E' });
    expect(await sim.authorize('0A0B0C0D')).toBe('Blocked');
    await waitFor(
      () =>
        sim.localAuthorize('0A0B0C0D') === 'Invalid' &&
        sim.localAuthorize('0E0E0E0E') === 'Accepted',
      'the replacement in the list, the old card out',
    );
    const lists = sim.received.filter((r) => r.action === 'SendLocalList');
    const last = lists.at(-1)?.params as { updateType: string; localAuthorizationList: unknown[] };
    expect(last.updateType).toBe('Differential');
    expect(last.localAuthorizationList).toEqual(expect.arrayContaining([{ idTag: '0A0B0C0D' }]));
    // The revoked card may be in the charger's cache: cleared.
    await waitFor(() => sim.received.some((r) => r.action === 'ClearCache'), 'ClearCache');
    const status = await o.t.ok(o.admin, 'station-local-list-status', { stationId });
    expect(status).toMatchObject({
      supported: true,
      version: sim.localList.version,
      result: 'Accepted',
      entries: 1,
    });
    // Cut off from the server, the charger decides from that list: the old card is refused.
    await sim.goOffline();
    expect(await sim.authorize('0A0B0C0D')).toBe('Invalid');
    expect(await sim.authorize('0E0E0E0E')).toBe('Accepted');
  });

  it('resends the whole list when the charger’s version disagrees', async () => {
    const o = await ocppCore();
    const { identity } = await o.station();
    const sim = o.sim(identity);
    await sim.start();
    await waitFor(() => sim.received.some((r) => r.action === 'SendLocalList'), 'post-boot list');
    const lot = await o.t.ok(o.admin, 'account-create', {
      siteId: o.siteId,
      lotNumber: '8',
      ownerNames: 'Kim Owner',
    });
    await o.t.ok(o.admin, 'card-issue', {
      siteId: o.siteId,
      accountId: lot.id,
      number: '01010101',
    });
    await waitFor(() => sim.localAuthorize('01010101') === 'Accepted', 'first card');
    // The charger lost its list (factory reset) but kept a higher version.
    sim.localList = { version: 50, entries: [] };
    await o.t.ok(o.admin, 'card-issue', {
      siteId: o.siteId,
      accountId: lot.id,
      number: '02020202',
    });
    await waitFor(
      () =>
        sim.localAuthorize('01010101') === 'Accepted' &&
        sim.localAuthorize('02020202') === 'Accepted',
      'both cards after the full resend',
    );
    // It was asked its version before the change, and given the whole list, newer than its 50.
    const lastTwo = sim.received.slice(-2);
    expect(lastTwo.map((r) => r.action)).toEqual(['GetLocalListVersion', 'SendLocalList']);
    expect(lastTwo[1]?.params).toMatchObject({ updateType: 'Full', listVersion: 51 });
  });

  it('publishes card.changed after each committed card change, none for a refused one', async () => {
    const o = await ocppCore();
    const got: { type: string; change?: string }[] = [];
    o.t.core.services.domainEvents.subscribeAll((e) => {
      if (e.type === 'card.changed' || e.type === 'account.changed')
        got.push({ type: e.type, change: e.change });
    });
    const lot = await o.t.ok(o.admin, 'account-create', {
      siteId: o.siteId,
      lotNumber: '9',
      ownerNames: 'Pat Owner',
    });
    const card = await o.t.ok(o.admin, 'card-issue', {
      siteId: o.siteId,
      accountId: lot.id,
      number: '09090909',
    });
    await o.t.fail(o.admin, 'card-issue', {
      siteId: o.siteId,
      accountId: lot.id,
      number: '09090909',
    });
    await o.t.ok(o.admin, 'card-block', { id: card.id });
    await o.t.ok(o.admin, 'card-unblock', { id: card.id });
    await o.t.ok(o.admin, 'card-replace', { id: card.id, number: '0A0A0A0A' });
    expect(got).toEqual([
      { type: 'account.changed', change: 'opened' },
      { type: 'card.changed', change: 'added' },
      { type: 'card.changed', change: 'blocked' },
      { type: 'card.changed', change: 'updated' },
      // The replacement and the replaced card, in one transaction.
      { type: 'card.changed', change: 'added' },
      { type: 'card.changed', change: 'blocked' },
    ]);
  });
});
