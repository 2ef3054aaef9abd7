// Which cards each charger's local list holds and how it gets there: a charger whose connectors
// are all private bays holds only its lot's cards (a shared one every card of the site); a list
// longer than the charger takes in one message goes in pieces; a site with more cards than the
// charger holds keeps the private bay's lot and the most recently used cards, and the station
// status says how many were left out; a charger without the profile is shown as such; a card
// charging on one charger is answered ConcurrentTx on another.
import { describe, expect, it } from 'vitest';
import { ocppCore, waitFor, type OcppTest } from './helpers';

async function lot(o: OcppTest, lotNumber: string, ownerNames: string) {
  return o.t.ok(o.admin, 'account-create', { siteId: o.siteId, lotNumber, ownerNames });
}
async function card(o: OcppTest, accountId: number, number: string) {
  return o.t.ok(o.admin, 'card-issue', { siteId: o.siteId, accountId, number });
}
async function connectorOf(o: OcppTest, stationId: number, connectorNumber = 1) {
  const bays = await o.t.ok(o.admin, 'bay-list', { siteId: o.siteId });
  const b = bays.find((x) => x.stationId === stationId && x.connectorNumber === connectorNumber);
  if (!b) throw new Error('no such connector');
  return b.connectorId;
}
const tags = (sim: { localList: { entries: unknown[] } }) =>
  sim.localList.entries.map((e) => (e as { idTag: string }).idTag).sort();

describe('what each charger’s local list holds', () => {
  it('a private bay’s charger holds only its lot’s cards; a shared one every card', async () => {
    const o = await ocppCore();
    const priv = await o.station();
    const shared = await o.station();
    const simPriv = o.sim(priv.identity);
    const simShared = o.sim(shared.identity);
    await simPriv.start();
    await simShared.start();
    const ann = await lot(o, '1', 'Ann Owner');
    const bob = await lot(o, '2', 'Bob Owner');
    await card(o, ann.id, 'AA000001');
    await card(o, bob.id, 'BB000002');
    await waitFor(() => tags(simPriv).length === 2 && tags(simShared).length === 2, 'both lists');

    await o.t.ok(o.admin, 'bay-set', {
      connectorId: await connectorOf(o, priv.id),
      kind: 'private',
      accountId: ann.id,
      label: 'Ann’s bay',
    });
    // The bay change alone (bay.changed) takes Bob's card off the private charger.
    await waitFor(() => tags(simPriv).join() === 'AA000001', 'Ann’s card only');
    expect(tags(simShared)).toEqual(['AA000001', 'BB000002']);
    // Online the same rule: Bob's card may not start Ann's bay, Ann's may.
    const refused = await simPriv.startTransaction(1, 'BB000002');
    expect(refused.idTagStatus).toBe('Invalid');
    await simPriv.stopTransaction(1);
    // Offline the charger decides from its list: the same answers.
    await simPriv.goOffline();
    expect(await simPriv.authorize('BB000002')).toBe('Invalid');
    expect(await simPriv.authorize('AA000001')).toBe('Accepted');
  });

  it('sends a long list in pieces and keeps the private lot and recent cards when it does not fit', async () => {
    const o = await ocppCore();
    const st = await o.station();
    const sim = o.sim(st.identity);
    // This charger takes 2 entries per message and holds 3.
    sim.config.set('SendLocalListMaxLength', { value: '2', readonly: true });
    sim.config.set('LocalAuthListMaxLength', { value: '3', readonly: true });
    await sim.start();
    const accounts = [];
    for (let i = 1; i <= 5; i++) accounts.push(await lot(o, String(i), `Owner ${i}`));
    // One file, one transaction: the list is synced once it committed.
    const csv = [
      'lot_number,card_number',
      ...accounts.map((a, i) => `${a.lotNumber},0000000${i + 1}`),
    ].join('\n');
    await o.t.ok(o.admin, 'residents-import', { siteId: o.siteId, csv, mode: 'all' });
    await waitFor(() => tags(sim).length === 3, 'a full list');
    // Lots 4 and 5 charge: their cards are the most recently used.
    const s4 = await sim.startTransaction(1, '00000004');
    expect(s4.idTagStatus).toBe('Accepted');
    await sim.stopTransaction(1);
    await o.t.clock.advance(60_000);
    const s5 = await sim.startTransaction(1, '00000005');
    expect(s5.idTagStatus).toBe('Accepted');
    await sim.stopTransaction(1);
    // A sixth card: the list is rebuilt to the 3 that matter most (most recent sessions first,
    // then the newest issued).
    const six = await lot(o, '6', 'Owner 6');
    await card(o, six.id, '00000006');
    await waitFor(
      () => tags(sim).join() === '00000004,00000005,00000006',
      'the recent and the newest cards',
    );
    const lists = sim.received
      .filter((r) => r.action === 'SendLocalList')
      .map((r) => r.params as { localAuthorizationList: unknown[] });
    expect(Math.max(...lists.map((l) => l.localAuthorizationList.length))).toBeLessThanOrEqual(2);
    const status = await o.t.ok(o.admin, 'station-local-list-status', { stationId: st.id });
    expect(status).toMatchObject({
      supported: true,
      entries: 3,
      wanted: 6,
      omitted: 3,
      capacity: 3,
      version: sim.localList.version,
    });
    // The cards left out still charge online.
    expect(await sim.authorize('00000001')).toBe('Accepted');
  });

  it('shows a charger without LocalAuthListManagement as such and sends it no list', async () => {
    const o = await ocppCore();
    const st = await o.station();
    const sim = o.sim(st.identity);
    sim.config.set('SupportedFeatureProfiles', { value: 'Core,RemoteTrigger', readonly: true });
    await sim.start();
    const a = await lot(o, '1', 'Ann Owner');
    await card(o, a.id, 'AA000001');
    const status = await waitFor(async () => {
      const s = await o.t.ok(o.admin, 'station-local-list-status', { stationId: st.id });
      return s.result === 'NotSupported' ? s : null;
    }, 'not supported recorded');
    expect(status).toMatchObject({ supported: false, version: null });
    expect(sim.received.filter((r) => r.action === 'SendLocalList')).toEqual([]);
    // Online the card works all the same.
    expect(await sim.authorize('AA000001')).toBe('Accepted');
  });

  it('answers ConcurrentTx for a card already charging elsewhere', async () => {
    const o = await ocppCore();
    const one = await o.station({ connectorCount: 2 });
    const two = await o.station();
    const simOne = o.sim(one.identity, { connectors: 2 });
    const simTwo = o.sim(two.identity);
    await simOne.start();
    await simTwo.start();
    const a = await lot(o, '1', 'Ann Owner');
    await card(o, a.id, 'AA000001');
    const tx = await simOne.startTransaction(1, 'AA000001');
    expect(tx.idTagStatus).toBe('Accepted');
    // Another charger: refused as in use; the charging one may be tapped to stop.
    expect(await simTwo.authorize('AA000001')).toBe('ConcurrentTx');
    expect(await simOne.authorize('AA000001')).toBe('Accepted');
    // Another connector of the same charger: a second car on one card.
    const second = await simOne.startTransaction(2, 'AA000001');
    expect(second.idTagStatus).toBe('ConcurrentTx');
    await simOne.stopTransaction(2);
    await simOne.stopTransaction(1);
    expect(await simTwo.authorize('AA000001')).toBe('Accepted');
  });

  it('tries the whole list after a refused differential, and shows the refusal', async () => {
    const o = await ocppCore();
    const st = await o.station();
    const sim = o.sim(st.identity);
    await sim.start();
    const a = await lot(o, '1', 'Ann Owner');
    await card(o, a.id, 'AA000001');
    await waitFor(() => tags(sim).length === 1, 'the first card');
    // The charger's memory turns out smaller than it reported at boot: one entry.
    sim.config.set('LocalAuthListMaxLength', { value: '1', readonly: true });
    await card(o, a.id, 'AA000002');
    const status = await waitFor(async () => {
      const s = await o.t.ok(o.admin, 'station-local-list-status', { stationId: st.id });
      return s.result === 'Failed' ? s : null;
    }, 'the refusal recorded');
    const sent = sim.received
      .filter((r) => r.action === 'SendLocalList')
      .slice(-2)
      .map((r) => (r.params as { updateType: string }).updateType);
    expect(sent).toEqual(['Differential', 'Full']);
    // What the charger still holds is what we show: the list it last accepted.
    expect(status).toMatchObject({ supported: true, entries: 1, version: sim.localList.version });
    expect(tags(sim)).toEqual(['AA000001']);
  });
});
