import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ocppCore, rawSocket, waitFor } from './helpers';
import { SimCharger } from '../../src-main/sim/charger';

describe('OCPP malformed input', () => {
  it('answers malformed frames with the OCPP 1.6 CALLERROR codes and keeps serving', async () => {
    const o = await ocppCore();
    const { identity } = await o.station();
    const { ws, messages } = await rawSocket(o.url, identity);
    const frames = [
      'this is not json',
      JSON.stringify([
        2,
        'm1',
        'StatusNotification',
        { connectorId: 'one', status: 'Available', errorCode: 'NoError' },
      ]),
      JSON.stringify([2, 'm2', 'FlyToTheMoon', {}]),
      JSON.stringify([
        2,
        'm3',
        'StatusNotification',
        { connectorId: 1, status: 'Sleeping', errorCode: 'NoError' },
      ]),
      JSON.stringify([2, 'm4', 'StartTransaction', { connectorId: 1 }]),
      JSON.stringify([2, 'm5', 'Heartbeat', []]),
      // Harmless quirks: extra property and a lower-case enum are accepted (and logged).
      JSON.stringify([
        2,
        'm6',
        'StatusNotification',
        { connectorId: 1, status: 'available', errorCode: 'NoError', vendorX: 1 },
      ]),
    ];
    for (const f of frames) ws.send(f);
    ws.send(Buffer.from([0xff, 0x00, 0x13]), { binary: true });
    await waitFor(() => messages.length >= 8, 'eight answers');
    const byId = (id: string) =>
      (messages.find((m) => Array.isArray(m) && m[1] === id) as unknown[] | undefined)?.slice(0, 3);
    expect((messages[0] as unknown[]).slice(0, 3)).toEqual([4, '-1', 'FormationViolation']);
    expect(byId('m1')).toEqual([4, 'm1', 'TypeConstraintViolation']);
    expect(byId('m2')).toEqual([4, 'm2', 'NotImplemented']);
    expect(byId('m3')).toEqual([4, 'm3', 'PropertyConstraintViolation']);
    expect(byId('m4')).toEqual([4, 'm4', 'OccurrenceConstraintViolation']);
    expect(byId('m5')).toEqual([4, 'm5', 'FormationViolation']);
    expect(byId('m6')).toEqual([3, 'm6', {}]);
    expect(o.t.logger.entries.some((e) => e.msg === 'charger message quirks repaired')).toBe(true);
    // A frame above the size cap closes that connection only; the server keeps serving.
    ws.send(
      JSON.stringify([
        2,
        'big',
        'DataTransfer',
        { vendorId: 'x', data: 'a'.repeat(2 * 1024 * 1024) },
      ]),
    );
    await waitFor(() => ws.readyState === ws.CLOSED, 'oversized frame closes the socket');
    const sim = o.sim(identity);
    expect(await sim.start()).toBe('Accepted');
  });
});

describe('OCPP central-system operations through core.call', () => {
  it('round-trips every operation', async () => {
    const o = await ocppCore();
    await o.t.ok(o.admin, 'id-tag-upsert', { idTag: 'CARD1' });
    const { identity, id: stationId } = await o.station({ connectorCount: 2 });
    const sim = o.sim(identity, { connectors: 2 });
    await sim.start();
    const ok = <M extends Parameters<typeof o.t.ok>[1]>(
      m: M,
      input: Parameters<typeof o.t.ok<M>>[2],
    ) => o.t.ok(o.admin, m, input);

    expect(
      await ok('station-config-set', { stationId, key: 'HeartbeatInterval', value: '120' }),
    ).toEqual({ status: 'Accepted' });
    expect(sim.config.get('HeartbeatInterval')?.value).toBe('120');
    // A vendor key the charger holds read-only: its own answer, Rejected. (A standard
    // read-only key such as NumberOfConnectors is refused before it is sent:
    // test/ocpp/config-validation.test.ts.)
    sim.config.set('VendorLockedKey', { value: '1', readonly: true });
    expect(
      await ok('station-config-set', { stationId, key: 'VendorLockedKey', value: '9' }),
    ).toEqual({ status: 'Rejected' });
    expect(await ok('station-config-set', { stationId, key: 'NoSuchKey', value: '1' })).toEqual({
      status: 'NotSupported',
    });
    const cfg = await ok('station-config-get', { stationId, refresh: true });
    expect(cfg.keys.find((k) => k.key === 'HeartbeatInterval')?.value).toBe('120');

    expect(await ok('station-unlock', { stationId, connectorNumber: 1 })).toEqual({
      status: 'Unlocked',
    });
    expect(
      await ok('station-availability-set', { stationId, connectorNumber: 2, type: 'Inoperative' }),
    ).toEqual({ status: 'Accepted' });
    expect(await ok('station-cache-clear', { stationId })).toEqual({ status: 'Accepted' });
    expect(await ok('station-trigger', { stationId, message: 'Heartbeat' })).toEqual({
      status: 'Accepted',
    });
    expect(
      await ok('station-data-transfer', { stationId, vendorId: 'StrataSim', data: 'hi' }),
    ).toEqual({ status: 'Accepted', data: 'echo:hi' });
    expect(await ok('station-local-list-version', { stationId })).toMatchObject({ listVersion: 1 });
    expect(await ok('station-local-list-send', { stationId })).toEqual({
      status: 'Accepted',
      listVersion: 2,
    });
    expect(sim.localList.entries).toMatchObject([
      { idTag: 'CARD1', idTagInfo: { status: 'Accepted' } },
    ]);

    const res = await ok('station-reservation-create', {
      stationId,
      connectorNumber: 1,
      idTag: 'CARD1',
      expiryDate: o.t.clock.now() + 3_600_000,
    });
    expect(res.status).toBe('Accepted');
    expect(
      await ok('station-reservation-cancel', { stationId, reservationId: res.reservationId }),
    ).toEqual({ status: 'Accepted' });

    const profile = {
      chargingProfileId: 7,
      stackLevel: 1,
      chargingProfilePurpose: 'TxDefaultProfile' as const,
      chargingProfileKind: 'Absolute' as const,
      chargingSchedule: {
        chargingRateUnit: 'A' as const,
        chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }],
        startSchedule: o.t.clock.now(),
      },
    };
    expect(
      await ok('station-charging-profile-set', {
        stationId,
        connectorNumber: 1,
        chargingProfile: profile,
      }),
    ).toEqual({ status: 'Accepted' });
    const comp = await ok('station-composite-schedule-get', {
      stationId,
      connectorNumber: 1,
      durationSeconds: 3600,
    });
    expect(comp.chargingSchedule?.chargingSchedulePeriod[0]?.limit).toBe(10);

    // Remote start obeys the profile: the simulated car draws 10 A.
    expect(
      await ok('station-remote-start', { stationId, connectorNumber: 1, idTag: 'CARD1' }),
    ).toEqual({ status: 'Accepted' });
    // Stored first, answered once on disk (the WAL sync): the charger knows its transactionId
    // a moment after the list shows the transaction.
    const active = await waitFor(
      async () =>
        sim.connector(1).tx?.transactionId != null
          ? (await ok('transaction-list', { status: 'active' })).transactions[0]
          : undefined,
      'remote start',
    );
    expect(sim.currentA(1)).toBe(10);
    expect(await ok('station-remote-stop', { stationId, transactionId: active.id })).toEqual({
      status: 'Accepted',
    });
    await waitFor(
      async () => (await ok('transaction-list', { status: 'completed' })).total === 1,
      'remote stop',
    );
    expect(await ok('station-charging-profile-clear', { stationId })).toEqual({
      status: 'Accepted',
    });

    // Upload and download progress reaches the UI as events, and is kept on the station.
    const progress: string[] = [];
    const unsubscribe = o.t.core.events.subscribe((e) => {
      if (e.type === 'station-firmware-status' && e.stationId === stationId)
        progress.push(`${e.kind}:${e.status}`);
    });
    onTestFinished(unsubscribe);
    // Diagnostics: uploaded by the charger to our HTTP endpoint on the OCPP port.
    const diag = await ok('station-diagnostics-request', { stationId });
    expect(diag).toMatchObject({ status: 'Accepted', fileName: `diag-${identity}.log` });
    expect(diag.location).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:${new URL(o.url).port}/files/diagnostics/`),
    );
    const files = await waitFor(
      async () => (await ok('station-diagnostics-list', { stationId }))[0],
      'upload',
    );
    const dl = await ok('station-diagnostics-download', { id: files.id });
    expect(Buffer.from(dl.contentBase64, 'base64').toString()).toContain(
      `diagnostics of ${identity}`,
    );

    // Firmware: served by us, downloaded by the charger, progress reported.
    const fw = await ok('station-firmware-update', {
      stationId,
      fileName: 'fw-1.1.bin',
      contentBase64: Buffer.from('FIRMWARE').toString('base64'),
    });
    expect(fw.location).toMatch(/\/files\/firmware\/[^/]+\/fw-1\.1\.bin$/);
    await waitFor(() => sim.firmwareStatuses.includes('Installed'), 'firmware installed');
    expect(sim.firmwareStatuses).not.toContain('DownloadFailed');
    await waitFor(() => progress.includes('firmware:Installed'), 'firmware progress event');
    expect(progress).toContain('diagnostics:Uploaded');
    expect(
      o.t.core.db.$client
        .prepare(
          'SELECT firmware_status AS f, diagnostics_status AS d FROM station_ocpp WHERE station_id = ?',
        )
        .get(stationId),
    ).toEqual({ f: 'Installed', d: 'Uploaded' });

    // Reset: the charger reboots and boots again.
    const boots = () => sim.received.filter((r) => r.action === 'GetConfiguration').length;
    const before = boots();
    expect(await ok('station-reset', { stationId, type: 'Soft' })).toEqual({ status: 'Accepted' });
    await waitFor(() => boots() > before, 'reboot and post-boot configuration');

    // Every operation is in the audit log and every frame in the OCPP log.
    const log = await ok('ocpp-log-list', { stationId, direction: 'out', action: 'Reset' });
    // One entry per exchange: our call and the charger's answer.
    expect(log.entries[0]).toMatchObject({
      kind: 'result',
      payload: { type: 'Soft' },
      response: { status: 'Accepted' },
      respondedAt: expect.any(Number),
    });
  });

  it('reports charger-offline, timeout and charger-rejected', async () => {
    const o = await ocppCore();
    const { identity, id: stationId } = await o.station();
    expect((await o.t.fail(o.admin, 'station-reset', { stationId, type: 'Hard' })).code).toBe(
      'charger-offline',
    );
    const sim = o.sim(identity);
    await sim.start();
    await waitFor(() => sim.received.some((r) => r.action === 'SendLocalList'), 'post-boot done');
    sim.silent = true;
    expect((await o.t.fail(o.admin, 'station-reset', { stationId, type: 'Hard' })).code).toBe(
      'timeout',
    );
    // The unanswered call is in the message log, once given up.
    await o.t.clock.advance(60_000);
    const unanswered = await o.t.ok(o.admin, 'ocpp-log-list', { stationId, action: 'Reset' });
    expect(unanswered.entries).toMatchObject([
      { direction: 'out', kind: 'call', payload: { type: 'Hard' }, response: null },
    ]);
    sim.silent = false;
    sim.client?.removeHandler('ClearCache');
    // A charger-initiated exchange is one entry: its call and our answer.
    await sim.send('Heartbeat', {});
    const hb = await o.t.ok(o.admin, 'ocpp-log-list', { stationId, action: 'Heartbeat' });
    expect(hb.entries[0]).toMatchObject({
      direction: 'in',
      kind: 'result',
      payload: {},
      response: { currentTime: expect.any(String) },
    });
    expect(await o.t.fail(o.admin, 'station-cache-clear', { stationId })).toMatchObject({
      code: 'charger-rejected',
      message: expect.stringContaining('NotImplemented') as unknown,
    });
  });
});

describe('OCPP security profile 2', () => {
  it('serves wss with a generated self-signed certificate and refuses plain ws for a profile-2 charger', async () => {
    const o = await ocppCore({
      ocpp: { host: '127.0.0.1', port: 0, tlsPort: 0, tls: 'self-signed', callTimeoutMs: 2_000 },
    });
    const password = 'another-long-secret-1';
    const { identity } = await o.station({ securityProfile: 2, password });
    const tlsUrl = o.t.core.info.ocppTlsUrl ?? '';
    expect(tlsUrl).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/ocpp$/);
    const ca = readFileSync(join(o.t.dataDir, 'tls', 'server.crt'), 'utf8');
    await expect(o.sim(identity, { password }).connect()).rejects.toThrow();
    const sim = new SimCharger({ url: tlsUrl, identity, password, ca, now: () => o.t.clock.now() });
    try {
      expect(await sim.start()).toBe('Accepted');
    } finally {
      await sim.close();
    }
    const settings = await o.t.ok(o.admin, 'ocpp-settings-get', {});
    expect(settings.tls).toMatchObject({ source: 'self-signed', url: tlsUrl });
    expect(
      (await o.t.fail(o.admin, 'tls-certificate-import', { certPem: ca, keyPem: 'nope' })).code,
    ).toBe('validation');
  });
});
