// A BootNotification the server asked for (TriggerMessage) is not a restart (issue 8 #10): the
// charger's running transactions stay unflagged and the post-boot setup does not run again. A
// real restart (a boot on a new connection, or one nobody asked for) still counts as one.
import { describe, expect, it } from 'vitest';
import { ocppCore, waitFor } from './helpers';

describe('a BootNotification sent on request', () => {
  it('neither flags running transactions nor reruns the post-boot setup', async () => {
    const o = await ocppCore();
    await o.t.ok(o.admin, 'id-tag-upsert', { idTag: 'CARD1' });
    const { id: stationId, identity } = await o.station();
    const sim = o.sim(identity);
    await sim.start();
    const setupCalls = () =>
      sim.received.filter((r) =>
        ['GetConfiguration', 'ChangeConfiguration', 'SendLocalList'].includes(r.action),
      ).length;
    // The first boot's setup ends with SendLocalList.
    await waitFor(() => sim.received.some((r) => r.action === 'SendLocalList'), 'post-boot setup');
    const afterFirstBoot = setupCalls();
    const tx = await sim.startTransaction(1, 'CARD1');
    const bootsBefore = (await o.t.ok(o.admin, 'station-get', { id: stationId })).lastBootAt;

    await o.t.clock.advance(5_000);
    expect(
      await o.t.ok(o.admin, 'station-trigger', { stationId, message: 'BootNotification' }),
    ).toEqual({ status: 'Accepted' });
    await waitFor(
      async () =>
        (await o.t.ok(o.admin, 'station-get', { id: stationId })).lastBootAt !== bootsBefore,
      'the requested BootNotification',
    );
    // A call of ours after the boot: any setup the boot had started would have been sent first.
    await o.t.ok(o.admin, 'station-trigger', { stationId, message: 'Heartbeat' });
    expect(setupCalls()).toBe(afterFirstBoot);
    const got = await o.t.ok(o.admin, 'transaction-get', { id: tx.transactionId ?? 0 });
    expect(got).toMatchObject({ status: 'active', flag: null });

    // A boot nobody asked for (the window is per request) is a restart again.
    await sim.boot();
    expect((await o.t.ok(o.admin, 'transaction-get', { id: tx.transactionId ?? 0 })).flag).toBe(
      'suspect',
    );
  });

  it('is not a restart on a connection that resumed without booting', async () => {
    // A charger whose network dropped (or that reconnects after this service restarted) carries
    // on without a BootNotification; asking it for one must not flag what it is charging.
    const o = await ocppCore();
    await o.t.ok(o.admin, 'id-tag-upsert', { idTag: 'CARD1' });
    const { id: stationId, identity } = await o.station();
    const sim = o.sim(identity);
    await sim.start();
    const tx = await sim.startTransaction(1, 'CARD1');
    await sim.reconnect({ boot: false });
    await sim.heartbeat();
    const setupCalls = () =>
      sim.received.filter((r) => ['GetConfiguration', 'ChangeConfiguration'].includes(r.action))
        .length;
    const before = setupCalls();
    const bootsBefore = (await o.t.ok(o.admin, 'station-get', { id: stationId })).lastBootAt;

    await o.t.clock.advance(5_000);
    expect(
      await o.t.ok(o.admin, 'station-trigger', { stationId, message: 'BootNotification' }),
    ).toEqual({ status: 'Accepted' });
    await waitFor(
      async () =>
        (await o.t.ok(o.admin, 'station-get', { id: stationId })).lastBootAt !== bootsBefore,
      'the requested BootNotification',
    );
    await o.t.ok(o.admin, 'station-trigger', { stationId, message: 'Heartbeat' });
    expect(setupCalls()).toBe(before);
    expect(await o.t.ok(o.admin, 'transaction-get', { id: tx.transactionId ?? 0 })).toMatchObject({
      status: 'active',
      flag: null,
    });
  });
});
