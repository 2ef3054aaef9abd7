// Boot verdicts (incl. Rejected for a blocked station), reservation ids from a sequence,
// ConcurrentTx starts and MeterValues for unknown transactions flagged for review.
import { describe, expect, it } from 'vitest';
import { ocppCore, waitFor } from './helpers';

describe('OCPP boot verdicts, reservations and review flags', () => {
  it('answers BootNotification Accepted / Pending / Rejected, and refuses unknown identities', async () => {
    const o = await ocppCore();
    const accepted = await o.station();
    const pending = await o.station({ approved: false });
    const blocked = await o.station({ blocked: true });
    expect(await o.sim(accepted.identity).start()).toBe('Accepted');
    expect(await o.sim(pending.identity).start()).toBe('Pending');

    // Rejected: the answer arrives (with a retry interval), then the server closes the socket.
    const sim = o.sim(blocked.identity);
    await sim.connect();
    const closed = new Promise<number>((resolve) =>
      sim.client?.once('close', (e: { code: number }) => resolve(e.code)),
    );
    const answer = (await sim.send('BootNotification', {
      chargePointVendor: 'V',
      chargePointModel: 'M',
    })) as { status: string; interval: number };
    expect(answer.status).toBe('Rejected');
    expect(answer.interval).toBeGreaterThan(0);
    expect(await closed).toBe(1000);
    await waitFor(async () => {
      const st = await o.t.ok(o.admin, 'station-get', { id: blocked.id });
      return !st.connected;
    }, 'blocked station disconnected');

    // Unblocking through station-update lets it in on its next attempt.
    const updated = await o.t.ok(o.admin, 'station-update', { id: blocked.id, blocked: false });
    expect(updated.blocked).toBe(false);
    expect(await o.sim(blocked.identity).start()).toBe('Accepted');
    // And blocking an accepted one refuses its next boot.
    await o.t.ok(o.admin, 'station-update', { id: accepted.id, blocked: true });
    expect((await o.t.ok(o.admin, 'station-get', { id: accepted.id })).blocked).toBe(true);
    expect(await o.sim(accepted.identity).start()).toBe('Rejected');

    // Unknown identity: refused at the WebSocket upgrade (no BootNotification at all).
    await expect(o.sim('NOT-REGISTERED').connect()).rejects.toThrow();
  });

  it('gives every reservation a new id from a database sequence, even within one second', async () => {
    const o = await ocppCore();
    const { identity, id: stationId } = await o.station({ connectorCount: 2 });
    const sim = o.sim(identity, { connectors: 2 });
    await sim.start();
    const expiryDate = o.t.clock.now() + 3_600_000;
    // The clock does not move between the two: a clock-derived id would repeat.
    const a = await o.t.ok(o.admin, 'station-reservation-create', {
      stationId,
      connectorNumber: 1,
      idTag: 'CARD-A',
      expiryDate,
    });
    const b = await o.t.ok(o.admin, 'station-reservation-create', {
      stationId,
      connectorNumber: 2,
      idTag: 'CARD-B',
      expiryDate,
    });
    expect(a.status).toBe('Accepted');
    expect(b.status).toBe('Accepted');
    expect(b.reservationId).toBe(a.reservationId + 1);
    const sent = sim.received
      .filter((r) => r.action === 'ReserveNow')
      .map((r) => r.params.reservationId);
    expect(sent).toEqual([a.reservationId, b.reservationId]);
  });

  it('refuses an id tag for a user that does not exist, and stores nothing', async () => {
    const o = await ocppCore();
    const e = await o.t.fail(o.admin, 'id-tag-upsert', { idTag: 'NOBODY', userId: 9999 });
    expect(e.code).toBe('validation');
    expect(e.field).toBe('userId');
    expect(e.message).toBe('That user does not exist.');
    const tags = await o.t.ok(o.admin, 'id-tag-list', {});
    expect(tags.map((t) => t.idTag)).not.toContain('NOBODY');
  });

  it('records a StartTransaction answered ConcurrentTx and flags it for review', async () => {
    const o = await ocppCore();
    await o.t.ok(o.admin, 'id-tag-upsert', { idTag: 'SHARED' });
    const first = o.sim((await o.station()).identity);
    await first.start();
    const second = o.sim((await o.station()).identity);
    await second.start();
    const a = await first.startTransaction(1, 'SHARED');
    expect(a.idTagStatus).toBe('Accepted');
    const b = await second.startTransaction(1, 'SHARED');
    expect(b.idTagStatus).toBe('ConcurrentTx');
    expect(b.transactionId).toEqual(expect.any(Number));
    const review = await o.t.ok(o.admin, 'transaction-list', { status: 'review' });
    expect(review.transactions).toMatchObject([
      { id: b.transactionId, flag: 'review', flagReason: expect.stringContaining('ConcurrentTx') },
    ]);
    const got = await o.t.ok(o.admin, 'transaction-get', { id: a.transactionId ?? 0 });
    expect(got.flag).toBeNull();
  });

  it('keeps MeterValues for an unknown transactionId on a transaction flagged for review', async () => {
    const o = await ocppCore();
    const { identity } = await o.station();
    const sim = o.sim(identity);
    await sim.start();
    const values = (wh: number) => ({
      connectorId: 1,
      transactionId: 424242,
      meterValue: [
        {
          timestamp: new Date(o.t.clock.now()).toISOString(),
          sampledValue: [{ value: String(wh), measurand: 'Energy.Active.Import.Register' }],
        },
      ],
    });
    expect(await sim.send('MeterValues', values(10_000))).toEqual({});
    await o.t.clock.advance(60_000);
    expect(await sim.send('MeterValues', values(10_500))).toEqual({});
    const review = await o.t.ok(o.admin, 'transaction-list', { status: 'review' });
    expect(review.transactions).toHaveLength(1);
    const tx = review.transactions[0];
    expect(tx).toMatchObject({ chargerTransactionId: 424242, flag: 'review', energyWh: 500 });
    const got = await o.t.ok(o.admin, 'transaction-get', { id: tx?.id ?? 0 });
    expect(got.meterValues.map((m) => m.energyWh)).toEqual([10_000, 10_500]);
    expect(got.meterValues.map((m) => m.sampledValue[0]?.value)).toEqual(['10000', '10500']);

    // Its StopTransaction completes the same review transaction (no second row).
    await sim.send('StopTransaction', {
      transactionId: 424242,
      meterStop: 11_000,
      timestamp: new Date(o.t.clock.now()).toISOString(),
    });
    const after = await o.t.ok(o.admin, 'transaction-list', { status: 'review' });
    expect(after.transactions).toMatchObject([
      { id: tx?.id, status: 'completed', flag: 'review', energyWh: 1000 },
    ]);
  });
});
