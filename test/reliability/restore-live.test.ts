// A restore with chargers connected, done the way the UI does it (backup-restore on the API
// socket while the service runs). After it every part of the running service must be in the
// restored state: each charger's connection is dropped and has to authenticate again against the
// restored stations, a charger whose station the backup does not know is refused, and a station
// added after the restore (which may be handed an id the restored counters give out again) gets
// only its own charger's boot and transactions. The OCPP settings come back too: a charger is
// told the restored heartbeat interval.
import { describe, expect, it } from 'vitest';
import { login, setupAndLogin } from './support/api';
import { ReliableCharger } from './support/charger';
import { serviceFor } from './support/service';
import { waitUntil } from './support/wait';

interface Station {
  id: number;
  siteId: number;
  identity: string;
  vendor: string | null;
  model: string | null;
}
interface Tx {
  id: number;
  stationId: number | null;
  siteId: number | null;
  identity: string;
}

describe('restore with chargers connected', () => {
  it('re-authenticates every charger and attributes nothing to the wrong station', async () => {
    const svc = await serviceFor();
    const { api, siteId: siteA } = await setupAndLogin(svc.apiUrl);
    const siteB = (
      await api.ok<{ id: number }>('site-create', {
        name: 'Other Building',
        timeZone: 'Australia/Sydney',
      })
    ).id;
    const kept = await api.ok<Station>('station-create', {
      siteId: siteA,
      name: 'Kept',
      identity: 'KEPT-1',
    });
    await api.ok('id-tag-upsert', { idTag: 'TAG-KEPT', status: 'Accepted' });
    await api.ok('id-tag-upsert', { idTag: 'TAG-LATE', status: 'Accepted' });
    await api.ok('id-tag-upsert', { idTag: 'TAG-NEW', status: 'Accepted' });
    await api.ok('ocpp-settings-update', { heartbeatIntervalSeconds: 120 });
    const backup = await api.ok<{ fileName: string }>('backup-create');

    // After the backup: another setting, and a station on the other site that is then connected.
    await api.ok('ocpp-settings-update', { heartbeatIntervalSeconds: 600 });
    const late = await api.ok<Station>('station-create', {
      siteId: siteB,
      name: 'Late',
      identity: 'LATE-1',
    });
    const keptCharger = new ReliableCharger({
      identity: 'KEPT-1',
      baseUrl: () => svc.ocppBaseUrl,
      model: 'Kept model',
    });
    const lateCharger = new ReliableCharger({
      identity: 'LATE-1',
      baseUrl: () => svc.ocppBaseUrl,
      model: 'Late model',
    });
    const chargers = [keptCharger, lateCharger];
    try {
      await waitUntil(
        () => chargers.every((c) => c.connected),
        'both chargers to boot before the restore',
      );
      expect(keptCharger.boots.at(-1)).toMatchObject({ status: 'Accepted', interval: 600 });

      expect(await api.call('backup-restore', { fileName: backup.fileName })).toMatchObject({
        ok: true,
      });
      api.close();

      // Every connection was dropped; the kept charger authenticates again and is told the
      // restored interval; the late one is unknown to the restored data and refused.
      await waitUntil(
        () => keptCharger.connects >= 2 && keptCharger.connected,
        () => `KEPT-1 to be reconnected after the restore (connections: ${keptCharger.connects})`,
        15_000,
      );
      expect(keptCharger.boots.at(-1)).toMatchObject({ status: 'Accepted', interval: 120 });
      await waitUntil(
        () => lateCharger.refusedHandshakes >= 1,
        () =>
          `LATE-1 (not in the backup) to be refused after the restore (connections: ${lateCharger.connects}, connected: ${lateCharger.connected})`,
        15_000,
      );

      // A station added now may get LATE-1's old id back; only its own charger may use it.
      const admin = await login(svc.apiUrl);
      const fresh = await admin.ok<Station>('station-create', {
        siteId: siteA,
        name: 'New',
        identity: 'NEW-1',
      });
      const lateStart = lateCharger.call('StartTransaction', {
        connectorId: 1,
        idTag: 'TAG-LATE',
        meterStart: 0,
        timestamp: new Date().toISOString(),
      });
      lateStart.catch(() => undefined); // never answered while LATE-1 is refused
      const newCharger = new ReliableCharger({
        identity: 'NEW-1',
        baseUrl: () => svc.ocppBaseUrl,
        model: 'New model',
      });
      chargers.push(newCharger);
      await waitUntil(() => newCharger.connected, 'NEW-1 to boot');
      const keptTx = await keptCharger.call('StartTransaction', {
        connectorId: 1,
        idTag: 'TAG-KEPT',
        meterStart: 10,
        timestamp: new Date().toISOString(),
      });
      const newTx = await newCharger.call('StartTransaction', {
        connectorId: 1,
        idTag: 'TAG-NEW',
        meterStart: 20,
        timestamp: new Date().toISOString(),
      });

      console.info(
        `[reliability] restore: late station had id ${late.id}, the station added after the restore got ${fresh.id}; LATE-1 refused ${lateCharger.refusedHandshakes} time(s)`,
      );
      expect(await admin.ok<Station>('station-get', { id: fresh.id })).toMatchObject({
        identity: 'NEW-1',
        siteId: siteA,
        model: 'New model',
      });
      expect(await admin.ok<Station>('station-get', { id: kept.id })).toMatchObject({
        identity: 'KEPT-1',
        siteId: siteA,
        model: 'Kept model',
      });
      const { transactions } = await admin.ok<{ transactions: Tx[] }>('transaction-list', {});
      expect(
        transactions.map((t) => ({
          id: t.id,
          identity: t.identity,
          stationId: t.stationId,
          siteId: t.siteId,
        })),
      ).toEqual(
        expect.arrayContaining([
          {
            id: Number(keptTx.transactionId),
            identity: 'KEPT-1',
            stationId: kept.id,
            siteId: siteA,
          },
          {
            id: Number(newTx.transactionId),
            identity: 'NEW-1',
            stationId: fresh.id,
            siteId: siteA,
          },
        ]),
      );
      expect(transactions.filter((t) => t.identity === 'LATE-1')).toEqual([]);
      expect(transactions.filter((t) => t.stationId === fresh.id).map((t) => t.identity)).toEqual([
        'NEW-1',
      ]);
      expect(lateCharger.acked.filter((a) => a.action === 'StartTransaction')).toEqual([]);
      admin.close();
    } finally {
      for (const c of chargers) c.close();
    }
  });
});
