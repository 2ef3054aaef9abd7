// Adversarial check of issue 10's offline authorisation: a card replaced (or blocked) while a
// charger is cut off from the server. A charger back after a network outage usually does not
// boot again, so the post-boot setup (which sends the whole list) never runs; the changes made
// meanwhile must still reach its local list, or the lost card keeps working offline.
import { describe, expect, it } from 'vitest';
import { ocppCore, waitFor } from '../ocpp/helpers';

describe('local list after a network outage without a reboot', () => {
  it('refuses offline a card replaced while the charger was disconnected', async () => {
    const o = await ocppCore();
    const { t, admin, siteId } = o;
    const { id: stationId, identity } = await o.station();
    const sim = o.sim(identity);
    await sim.start();
    const lot = await t.ok(admin, 'account-create', {
      siteId,
      lotNumber: '4',
      ownerNames: 'Ann Owner',
    });
    const card = await t.ok(admin, 'card-issue', { siteId, accountId: lot.id, number: '0C0C0C01' });
    await waitFor(() => sim.localAuthorize('0C0C0C01') === 'Accepted', 'the card in the list');

    // The link drops; meanwhile the resident reports the card lost and gets a new one.
    await sim.goOffline();
    await waitFor(
      async () => !(await t.ok(admin, 'station-get', { id: stationId })).connected,
      'the server to see the charger gone',
    );
    await t.ok(admin, 'card-replace', { id: card.id, number: '0C0C0C02' });
    const other = await t.ok(admin, 'card-issue', {
      siteId,
      accountId: lot.id,
      number: '0C0C0C03',
    });
    await t.ok(admin, 'card-block', { id: other.id });
    expect(sim.localAuthorize('0C0C0C01')).toBe('Accepted'); // stale: it could not be told

    // Back on the network, no BootNotification (the charger did not restart).
    await sim.reconnect({ boot: false });
    await waitFor(
      () =>
        sim.localAuthorize('0C0C0C01') === 'Invalid' &&
        sim.localAuthorize('0C0C0C02') === 'Accepted',
      'the replacement in the list and the lost card out, after the reconnect',
    );
    expect(sim.received.some((r) => r.action === 'BootNotification')).toBe(false);
    // The next outage: the lost card and the blocked one are refused by the charger itself.
    await sim.goOffline();
    expect(await sim.authorize('0C0C0C01')).toBe('Invalid');
    expect(await sim.authorize('0C0C0C03')).not.toBe('Accepted');
    expect(await sim.authorize('0C0C0C02')).toBe('Accepted');
  });
});
