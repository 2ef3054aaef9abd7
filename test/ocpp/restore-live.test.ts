// A live restore (backup-restore from the UI) with real chargers connected: every connection is
// dropped and re-authenticated against the restored data, nothing a charger says afterwards is
// attributed through the old data, and the chargers are told the restored settings.
import { describe, expect, it } from 'vitest';
import { ocppCore, rawSocket, waitFor } from './helpers';
import { aSite, aStation } from '../support/factories';

const CLOSED = 3; // ocpp-rpc client state

const bootPayload = (vendor: string, model: string) => ({
  chargePointVendor: vendor,
  chargePointModel: model,
});

describe('live restore with chargers connected', () => {
  it('a charger added since the backup is dropped and never attributed to a station that takes its place', async () => {
    const o = await ocppCore();
    const { t, admin } = o;
    await t.ok(admin, 'ocpp-settings-update', { heartbeatIntervalSeconds: 600 });
    await o.station({ identity: 'KEEP-1' });
    const keep = o.sim('KEEP-1');
    expect(await keep.start()).toBe('Accepted');
    await t.ok(admin, 'id-tag-upsert', { idTag: 'CARD-1', status: 'Accepted' });
    const { fileName } = await t.ok(admin, 'backup-create', {});

    // After the backup: another interval, and a station whose charger stays connected.
    await t.clock.advance(60_000);
    await t.ok(admin, 'ocpp-settings-update', { heartbeatIntervalSeconds: 900 });
    const later = await o.station({ identity: 'LATER-1' });
    const old = o.sim('LATER-1', { vendor: 'OldVendor', model: 'OldModel' });
    expect(await old.start()).toBe('Accepted');

    await t.ok(admin, 'backup-restore', { fileName });

    // Every charger connection was closed (each must reconnect and authenticate again).
    await waitFor(
      () => old.client?.state === CLOSED && keep.client?.state === CLOSED,
      'both chargers disconnected by the restore',
    );

    // A new station on another site, registered after the restore.
    const other = await t.ok(admin, 'site-create', aSite({ name: 'Other Site' }));
    const fresh = await t.ok(admin, 'station-create', aStation(other.id, { identity: 'NEW-1' }));

    // The old charger boots and charges: over its old connection (gone), and by reconnecting
    // (its identity is unknown in the restored data).
    const bootOld = await old.send('BootNotification', bootPayload('OldVendor', 'OldModel')).then(
      () => 'answered',
      () => 'refused',
    );
    expect(bootOld).toBe('refused');
    await expect(old.reconnect({ boot: true })).rejects.toThrow();
    await expect(rawSocket(o.url, 'LATER-1')).rejects.toThrow('HTTP 401');

    const row = await t.ok(admin, 'station-get', { id: fresh.id });
    expect(row).toMatchObject({ identity: 'NEW-1', vendor: null, model: null, lastBootAt: null });
    const sessions = await t.ok(admin, 'transaction-list', { stationId: fresh.id });
    expect(sessions.total).toBe(0);
    // Ids handed out since the backup are not handed out again.
    expect(fresh.id).not.toBe(later.id);

    // The charger that is in the restored data reconnects, is accepted, and is told the
    // restored heartbeat interval (not the one set after the backup).
    await keep.reconnect();
    const boot = (await keep.send('BootNotification', bootPayload('StrataSim', 'SC-1'))) as {
      status: string;
      interval: number;
    };
    expect(boot).toMatchObject({ status: 'Accepted', interval: 600 });
    expect((await t.ok(admin, 'ocpp-settings-get', {})).heartbeatIntervalSeconds).toBe(600);
    const tx = await keep.startTransaction(1, 'CARD-1');
    expect(tx.idTagStatus).toBe('Accepted');
    const keepRow = (await t.ok(admin, 'station-list', {})).find((s) => s.identity === 'KEEP-1');
    const list = await t.ok(admin, 'transaction-list', { stationId: keepRow?.id ?? -1 });
    expect(list.transactions.map((x) => x.id)).toEqual([tx.transactionId]);
  });

  it('a station’s rating is the restored one at once (the meter-reading check uses no stale copy)', async () => {
    const o = await ocppCore();
    const { t, admin } = o;
    const st = await o.station({ identity: 'RATED-1', maxCurrentA: 32, phases: 'three' });
    await t.ok(admin, 'id-tag-upsert', { idTag: 'CARD-2', status: 'Accepted' });
    const sim = o.sim('RATED-1', { maxCurrentA: 16 });
    expect(await sim.start()).toBe('Accepted');
    const { fileName } = await t.ok(admin, 'backup-create', {});

    // After the backup the station is derated to 6 A, and a charging session is checked
    // against that (16 A drawn: flagged).
    await t.ok(admin, 'station-update', { id: st.id, maxCurrentA: 6 });
    await sim.startTransaction(1, 'CARD-2', t.clock.now() - 3_600_000);
    sim.advanceMeter(1, 3_600);
    await sim.meterValues(1);
    await sim.stopTransaction(1);

    await t.ok(admin, 'backup-restore', { fileName });
    expect((await t.ok(admin, 'station-get', { id: st.id })).maxCurrentA).toBe(32);

    // The same charging after the restore is well within the restored 32 A rating.
    await waitFor(() => sim.client?.state === CLOSED, 'charger disconnected by the restore');
    await sim.reconnect();
    const tx = await sim.startTransaction(1, 'CARD-2', t.clock.now() - 3_600_000);
    sim.advanceMeter(1, 3_600);
    await sim.meterValues(1);
    const stored = await t.ok(admin, 'transaction-get', { id: tx.transactionId ?? -1 });
    expect(stored.flagReason).toBeNull();
    expect(stored.flag).toBeNull();
  });

  it('a restore closes the commissioning window that was open in the backup', async () => {
    const o = await ocppCore();
    const { t, admin } = o;
    await t.ok(admin, 'commissioning-set', { minutes: 60, siteId: o.siteId });
    const { fileName } = await t.ok(admin, 'backup-create', {});
    await t.ok(admin, 'commissioning-set', { minutes: 0 });
    await t.clock.advance(10 * 60_000);

    await t.ok(admin, 'backup-restore', { fileName });

    // Reopening it silently would register any unknown charger on the LAN.
    expect((await t.ok(admin, 'commissioning-get', {})).open).toBe(false);
    await expect(rawSocket(o.url, 'STRANGER-1')).rejects.toThrow('HTTP 401');
    expect((await t.ok(admin, 'station-list', {})).map((s) => s.identity)).toEqual([]);
  });
});
