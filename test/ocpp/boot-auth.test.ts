import { describe, expect, it } from 'vitest';
import { ocppCore, rawSocket, waitFor } from './helpers';
import { aFloor, aSite } from '../support/factories';

describe('OCPP connection and boot', () => {
  it('accepts a registered, approved charger and answers with the heartbeat interval', async () => {
    const o = await ocppCore();
    const { identity, id } = await o.station({ connectorCount: 2 });
    const sim = o.sim(identity, { connectors: 2 });
    expect(await sim.start()).toBe('Accepted');
    const st = await o.t.ok(o.admin, 'station-get', { id });
    expect(st.connected).toBe(true);
    expect(st.vendor).toBe('StrataSim');
    expect(Number(sim.config.get('HeartbeatInterval')?.value)).toBe(300);
    // The post-boot configuration reached the charger: sampling and the card list.
    await waitFor(() => sim.received.some((r) => r.action === 'SendLocalList'), 'SendLocalList');
    expect(sim.config.get('MeterValueSampleInterval')?.value).toBe('60');
    const cfg = await o.t.ok(o.admin, 'station-config-get', { stationId: id });
    expect(cfg.keys.find((k) => k.key === 'NumberOfConnectors')).toMatchObject({
      value: '2',
      readonly: true,
    });
  });

  it('answers Pending to a registered but unapproved charger', async () => {
    const o = await ocppCore();
    const { identity } = await o.station({ approved: false });
    expect(await o.sim(identity).start()).toBe('Pending');
  });

  it('refuses an unknown identity and lists the attempt; commissioning registers it', async () => {
    const o = await ocppCore();
    await expect(o.sim('STRANGER-1').connect()).rejects.toThrow();
    const { attempts } = await o.t.ok(o.admin, 'charger-attempts-list', {});
    expect(attempts).toMatchObject([
      { identity: 'STRANGER-1', reason: 'unknown identity', count: 1 },
    ]);

    await o.t.ok(o.admin, 'commissioning-set', { minutes: 30, siteId: o.siteId });
    expect(await o.sim('STRANGER-1').start()).toBe('Accepted');
    const stations = await o.t.ok(o.admin, 'station-list', {});
    expect(stations.find((s) => s.identity === 'STRANGER-1')).toMatchObject({
      siteId: o.siteId,
      approved: true,
    });
    expect((await o.t.ok(o.admin, 'charger-attempts-list', {})).attempts).toEqual([]);

    // The window is clock-based: 31 minutes later a new charger is refused again.
    await o.t.clock.advance(31 * 60_000);
    expect((await o.t.ok(o.admin, 'commissioning-get', {})).open).toBe(false);
    await expect(o.sim('STRANGER-2').connect()).rejects.toThrow();
  });

  it('adopts a refused charger in one call', async () => {
    const o = await ocppCore();
    await expect(o.sim('NEWBOX').connect()).rejects.toThrow();
    await o.t.ok(o.admin, 'charger-adopt', {
      identity: 'NEWBOX',
      siteId: o.siteId,
      connectorCount: 2,
    });
    expect(await o.sim('NEWBOX').start()).toBe('Accepted');
  });

  it('adopting applies the same checks as registering a station by hand', async () => {
    const o = await ocppCore();
    const other = await o.t.ok(o.admin, 'site-create', aSite({ name: 'Other Tower' }));
    const otherFloor = await o.t.ok(o.admin, 'floor-create', aFloor(other.id));
    await expect(o.sim('NEWBOX').connect()).rejects.toThrow();
    // A floor of another building is refused, naming the field, and nothing is registered.
    expect(
      await o.t.fail(o.admin, 'charger-adopt', {
        identity: 'NEWBOX',
        siteId: o.siteId,
        floorId: otherFloor.id,
      }),
    ).toMatchObject({ code: 'validation', field: 'floorId' });
    const stations = await o.t.ok(o.admin, 'station-list', {});
    expect(stations.map((s) => s.identity)).not.toContain('NEWBOX');
    // The charger is still listed, waiting to be adopted properly.
    const { attempts } = await o.t.ok(o.admin, 'charger-attempts-list', {});
    expect(attempts.map((a) => a.identity)).toContain('NEWBOX');
  });

  it('refuses a connection without the ocpp1.6 subprotocol', async () => {
    const o = await ocppCore();
    const { identity } = await o.station();
    await expect(rawSocket(o.url, identity, ['ocpp2.0.1'])).rejects.toThrow(/400/);
    await expect(rawSocket(o.url, identity, [])).rejects.toThrow(/400/);
  });

  it('tolerates a trailing slash after the identity', async () => {
    const o = await ocppCore();
    const { identity } = await o.station();
    const { ws } = await rawSocket(o.url, `${identity}/`);
    expect(ws.protocol).toBe('ocpp1.6');
  });

  it('checks the Basic-auth password (security profile 1)', async () => {
    const o = await ocppCore();
    const password = 'a-very-long-secret-key';
    const { identity } = await o.station({ securityProfile: 1, password });
    await expect(
      o.sim(identity, { password: 'wrong-password-123456' }).connect(),
    ).rejects.toThrow();
    await expect(o.sim(identity).connect()).rejects.toThrow();
    expect(await o.sim(identity, { password }).start()).toBe('Accepted');
    const { attempts } = await o.t.ok(o.admin, 'charger-attempts-list', {});
    expect(attempts[0]).toMatchObject({ identity, count: 2 });
  });

  it('a second connection replaces the first', async () => {
    const o = await ocppCore();
    const { identity, id } = await o.station();
    const first = o.sim(identity);
    await first.start();
    const second = o.sim(identity);
    await second.start();
    await waitFor(
      () => first.client === null || (first.client as unknown as { state: number }).state === 3,
      'first closed',
    );
    expect(await second.heartbeat()).toMatch(/^2026-/);
    expect((await o.t.ok(o.admin, 'station-get', { id })).connected).toBe(true);
  });

  it('heartbeat answers the server clock; silence marks the station offline', async () => {
    const o = await ocppCore();
    const { identity, id } = await o.station();
    const sim = o.sim(identity);
    await sim.start();
    const events: unknown[] = [];
    o.t.core.events.subscribe((e) => {
      if (e.type === 'station-connection') events.push(e);
    });
    expect(await sim.heartbeat()).toBe(new Date(o.t.clock.now()).toISOString());
    await o.t.clock.advance(13 * 60_000);
    // Domain events are delivered after the group commit they keep their place in.
    await waitFor(() => events.length > 0, 'station-connection event');
    expect(events).toMatchObject([{ stationId: id, connected: false }]);
    expect((await o.t.ok(o.admin, 'station-get', { id })).connected).toBe(false);
  });

  it('explains a port already in use in the same words as the service (OCPP and TLS port)', async () => {
    const o = await ocppCore();
    const port = Number(new URL(o.url).port);
    const { makeCore } = await import('../support/make-core');
    await expect(
      makeCore({ backupTimer: false, ocpp: { host: '127.0.0.1', port } }),
    ).rejects.toMatchObject({
      name: 'StartupError',
      message: `Port ${port} is already in use. Choose another with --ocpp-port <port> (or STRATACHARGE_OCPP_PORT).`,
    });
    await expect(
      makeCore({
        backupTimer: false,
        ocpp: { host: '127.0.0.1', port: 0, tlsPort: port, tls: 'self-signed' },
      }),
    ).rejects.toMatchObject({
      name: 'StartupError',
      message: `Port ${port} is already in use. Choose another with --tls-port <port> (or STRATACHARGE_TLS_PORT).`,
    });
  });
});
