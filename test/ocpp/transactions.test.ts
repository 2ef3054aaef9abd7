import { describe, expect, it } from 'vitest';
import { ocppCore, type OcppTest } from './helpers';

async function charging(o: OcppTest, simOpts = {}) {
  const { identity, id } = await o.station();
  const sim = o.sim(identity, simOpts);
  await sim.start();
  return { sim, stationId: id };
}

describe('OCPP authorization and transactions', () => {
  it('authorizes Accepted / Blocked / Expired (by the clock) / Invalid / ConcurrentTx', async () => {
    const o = await ocppCore();
    const now = o.t.clock.now();
    await o.t.ok(o.admin, 'id-tag-upsert', { idTag: 'GOOD' });
    await o.t.ok(o.admin, 'id-tag-upsert', { idTag: 'BLOCKED', status: 'Blocked' });
    await o.t.ok(o.admin, 'id-tag-upsert', { idTag: 'SOON', expiryDate: now + 60_000 });
    const { sim } = await charging(o);
    expect(await sim.authorize('GOOD')).toBe('Accepted');
    expect(await sim.authorize('BLOCKED')).toBe('Blocked');
    expect(await sim.authorize('NOBODY')).toBe('Invalid');
    expect(await sim.authorize('SOON')).toBe('Accepted');
    await o.t.clock.advance(61_000);
    expect(await sim.authorize('SOON')).toBe('Expired');
    await sim.startTransaction(1, 'GOOD');
    const other = o.sim((await o.station()).identity);
    await other.start();
    expect(await other.authorize('GOOD')).toBe('ConcurrentTx');
  });

  it('records a full transaction with meter values; kWh readings become integer Wh', async () => {
    const o = await ocppCore();
    await o.t.ok(o.admin, 'id-tag-upsert', { idTag: 'CARD1' });
    const { sim, stationId } = await charging(o, { energyUnit: 'kWh', maxCurrentA: 16 });
    const events: string[] = [];
    o.t.core.events.subscribe((e) => {
      if (e.type.startsWith('transaction-')) events.push(e.type);
    });
    const tx = await sim.startTransaction(1, 'CARD1');
    expect(tx.idTagStatus).toBe('Accepted');
    for (let i = 0; i < 3; i++) {
      await o.t.clock.advance(600_000);
      sim.advanceMeter(1, 600); // 16 A × 230 V × 3 for 10 min = 1840 Wh
      await sim.meterValues(1);
    }
    await o.t.clock.advance(60_000);
    await sim.stopTransaction(1, 'EVDisconnected');
    const got = await o.t.ok(o.admin, 'transaction-get', { id: tx.transactionId ?? 0 });
    expect(got).toMatchObject({
      stationId,
      status: 'completed',
      flag: null,
      energyWh: 3 * 1840,
      stopReason: 'EVDisconnected',
    });
    // Three periodic samples and the Transaction.End one: the raw kWh readings are kept, the
    // energy register is read as integer Wh, and every phase's current is kept.
    expect(got.meterValues).toHaveLength(4);
    const raw = got.meterValues.map((m) =>
      m.sampledValue.find((v) => v.measurand === 'Energy.Active.Import.Register'),
    );
    expect(raw.map((v) => v?.unit)).toEqual(['kWh', 'kWh', 'kWh', 'kWh']);
    expect(Number(raw[0]?.value) * 1000).toBeCloseTo(tx.meterStart + 1840, 0);
    expect(got.meterValues[0]?.energyWh).toBe(tx.meterStart + 1840);
    expect(Number.isInteger(got.meterValues[0]?.energyWh)).toBe(true);
    expect(got.meterValues.map((m) => m.currentA.L2)).toEqual([16, 16, 16, 0]);
    expect(
      got.meterValues.map(
        (m) => m.sampledValue.filter((v) => v.measurand === 'Current.Import').length,
      ),
    ).toEqual([3, 3, 3, 3]);
    expect(events).toEqual([
      'transaction-started',
      'transaction-updated',
      'transaction-updated',
      'transaction-updated',
      'transaction-stopped',
    ]);
  });

  it('records retransmitted StartTransaction, MeterValues and StopTransaction once', async () => {
    const o = await ocppCore();
    await o.t.ok(o.admin, 'id-tag-upsert', { idTag: 'CARD1' });
    const { sim } = await charging(o);
    const start = {
      connectorId: 1,
      idTag: 'CARD1',
      meterStart: 5000,
      timestamp: new Date(o.t.clock.now()).toISOString(),
    };
    const a = (await sim.send('StartTransaction', start)) as { transactionId: number };
    const b = (await sim.send('StartTransaction', start)) as { transactionId: number };
    expect(b.transactionId).toBe(a.transactionId);
    const mv = {
      connectorId: 1,
      transactionId: a.transactionId,
      meterValue: [
        {
          timestamp: new Date(o.t.clock.now() + 60_000).toISOString(),
          sampledValue: [{ value: '5500' }],
        },
      ],
    };
    await sim.send('MeterValues', mv);
    await sim.send('MeterValues', mv);
    const stop = {
      transactionId: a.transactionId,
      meterStop: 6000,
      timestamp: new Date(o.t.clock.now() + 120_000).toISOString(),
    };
    await sim.send('StopTransaction', stop);
    await sim.send('StopTransaction', stop);
    const list = await o.t.ok(o.admin, 'transaction-list', {});
    expect(list.total).toBe(1);
    const got = await o.t.ok(o.admin, 'transaction-get', { id: a.transactionId });
    expect(got.meterValues).toHaveLength(1);
    expect(got.energyWh).toBe(1000);
  });

  it('replays an offline transaction after reconnecting, with the real timestamps', async () => {
    const o = await ocppCore();
    await o.t.ok(o.admin, 'id-tag-upsert', { idTag: 'CARD1' });
    const { sim } = await charging(o);
    await sim.goOffline();
    const startedAt = o.t.clock.now();
    await sim.startTransaction(1, 'CARD1');
    await o.t.clock.advance(30 * 60_000);
    sim.advanceMeter(1, 1800);
    await sim.meterValues(1);
    await o.t.clock.advance(30 * 60_000);
    const stoppedAt = o.t.clock.now();
    await sim.stopTransaction(1);
    expect(sim.queuedCount).toBe(3);
    await o.t.clock.advance(2 * 60 * 60_000);
    await sim.reconnect();
    const list = await o.t.ok(o.admin, 'transaction-list', {});
    expect(list.transactions).toMatchObject([
      { status: 'completed', startedAt, stoppedAt, flag: null },
    ]);
  });

  it('flags a StopTransaction for an unknown transactionId for review', async () => {
    const o = await ocppCore();
    const { sim } = await charging(o);
    const r = await sim.send('StopTransaction', {
      transactionId: 987654,
      meterStop: 12000,
      timestamp: new Date(o.t.clock.now()).toISOString(),
      idTag: 'X',
    });
    expect(r).toMatchObject({ idTagInfo: { status: 'Invalid' } });
    const list = await o.t.ok(o.admin, 'transaction-list', { status: 'review' });
    expect(list.transactions).toMatchObject([
      { chargerTransactionId: 987654, flag: 'review', status: 'completed' },
    ]);
  });

  it('marks a transaction suspect when its charger reboots without it, or goes quiet', async () => {
    const o = await ocppCore();
    await o.t.ok(o.admin, 'id-tag-upsert', { idTag: 'CARD1' });
    const { sim } = await charging(o);
    const tx = await sim.startTransaction(1, 'CARD1');
    await sim.boot();
    const listed = await o.t.ok(o.admin, 'transaction-list', { status: 'suspect' });
    expect(listed.transactions).toMatchObject([{ id: tx.transactionId, flag: 'suspect' }]);
    // A message for it proves it alive again.
    await sim.meterValues(1);
    expect((await o.t.ok(o.admin, 'transaction-list', { status: 'suspect' })).total).toBe(0);
    // Quiet for longer than the configured limit.
    await o.t.ok(o.admin, 'ocpp-settings-update', {
      transactionSuspectMinutes: 60,
      offlineAfterSeconds: 86_400,
    });
    await o.t.clock.advance(61 * 60_000);
    expect((await o.t.ok(o.admin, 'transaction-list', { status: 'suspect' })).total).toBe(1);
  });

  it('stores StatusNotification for connector 0 and connectors, with error codes', async () => {
    const o = await ocppCore();
    const { sim, stationId } = await charging(o);
    const seen: unknown[] = [];
    o.t.core.events.subscribe((e) => {
      if (e.type === 'connector-status') seen.push(e);
    });
    await sim.statusNotification(0, 'Faulted', 'GroundFailure', { vendorErrorCode: 'E42' });
    await sim.statusNotification(1, 'Faulted', 'HighTemperature');
    const st = await o.t.ok(o.admin, 'station-get', { id: stationId });
    expect(st.connectors[0]).toMatchObject({ status: 'Faulted', errorCode: 'HighTemperature' });
    expect(seen).toMatchObject([
      { connectorNumber: 0, status: 'Faulted', errorCode: 'GroundFailure' },
      { connectorNumber: 1, status: 'Faulted', errorCode: 'HighTemperature' },
    ]);
    const log = await o.t.ok(o.admin, 'ocpp-log-list', {
      stationId,
      action: 'StatusNotification',
      direction: 'in',
      text: 'E42',
    });
    expect(log.total).toBe(1);
  });
});
