// The session page's data: a real simulated charger charges, and the API gives back the stored
// samples per phase (as a chart, downsampled when long, and as the raw table), the OCPP messages
// of that transaction, and the session's facts; an EV user reads only their own account's.
import { describe, expect, it } from 'vitest';
import { ocppCore, type OcppTest } from '../../ocpp/helpers';
import { loginAs } from '../../support/factories';

async function lotWithCard(o: OcppTest, lot: string, number: string) {
  const account = await o.t.ok(o.admin, 'account-create', {
    siteId: o.siteId,
    lotNumber: lot,
    ownerNames: `Owner of lot ${lot}`,
  });
  const resident = await o.t.ok(o.admin, 'resident-create', {
    accountId: account.id,
    firstName: 'Res',
    lastName: `Lot${lot}`,
  });
  const card = await o.t.ok(o.admin, 'card-issue', {
    siteId: o.siteId,
    accountId: account.id,
    number,
    label: `Card of lot ${lot}`,
    residentId: resident.id,
  });
  return { account, resident, card };
}

describe('session detail', () => {
  it('charts the stored samples per phase of a simulated session, with its facts and messages', async () => {
    const o = await ocppCore();
    const { identity } = await o.station({ connectorCount: 2 });
    const sim = o.sim(identity, { connectors: 2, phases: 3 });
    await sim.start();
    const { account, card } = await lotWithCard(o, '3', 'A1B2C3D4');
    const tx = await sim.startTransaction(1, card.idTag);
    const id = tx.transactionId ?? 0;
    // Another session on the other outlet meanwhile: its messages are not this one's.
    const other = await sim.startTransaction(2, card.idTag);
    // Three samples at different currents (the charger obeys a limit, as under load balancing).
    const sent: { L1: number; powerW: number }[] = [];
    for (const limit of [10, 16, 6]) {
      sim.connector(1).limitA = limit;
      await o.t.clock.advance(60_000);
      sim.advanceMeter(1, 60);
      await sim.meterValues(1);
      await sim.meterValues(2);
      sent.push({ L1: limit, powerW: limit * 230 * 3 });
    }
    await o.t.clock.advance(60_000);
    sim.advanceMeter(1, 60);
    await sim.stopTransaction(1);

    const detail = await o.t.ok(o.admin, 'session-detail-get', { id });
    expect(detail.session).toMatchObject({
      id,
      status: 'completed',
      identity,
      connectorNumber: 1,
      idTag: card.idTag,
      cardId: card.id,
      cardLabel: 'Card of lot 3',
      residentName: 'Res Lot3',
      accountId: account.id,
      lotNumber: '3',
      ownerNames: 'Owner of lot 3',
      via: 'card',
      siteName: 'Harbour View',
      timeZone: 'Australia/Sydney',
      durationMs: 240_000,
      sampleCount: 4,
    });
    // The three periodic samples and the Transaction.End sample of the StopTransaction.
    const { chart } = detail;
    expect(chart.downsampled).toBe(false);
    expect(chart.points.map((p) => [p.currentL1A, p.currentL2A, p.currentL3A])).toEqual([
      [10, 10, 10],
      [16, 16, 16],
      [6, 6, 6],
      // The Transaction.End sample: the charger stopped delivering.
      [0, 0, 0],
    ]);
    expect(chart.points.slice(0, 3).map((p) => p.powerW)).toEqual(sent.map((s) => s.powerW));
    // Energy since the start, rising to the session's total.
    const energies = chart.points.map((p) => p.energyWh ?? -1);
    expect(energies).toEqual([...energies].sort((a, b) => a - b));
    expect(energies.at(-1)).toBe(detail.session.energyWh);
    expect(detail.session.energyWh).toBeGreaterThan(0);
    expect(detail.session.averagePowerW).toBe(
      Math.round(((detail.session.energyWh ?? 0) * 3_600_000) / 240_000),
    );

    // The raw table: the same samples as received, newest first, paged.
    const page1 = await o.t.ok(o.admin, 'session-detail-samples', { id, limit: 3 });
    expect(page1.total).toBe(4);
    expect(page1.samples).toHaveLength(3);
    const page2 = await o.t.ok(o.admin, 'session-detail-samples', {
      id,
      limit: 3,
      after: page1.next ?? '',
    });
    const all = [...page1.samples, ...page2.samples].reverse();
    expect(all.map((s) => s.currentA.L2)).toEqual([10, 16, 6, 0]);
    expect(all[0]?.sampledValue).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ measurand: 'Current.Import', phase: 'L3', value: '10.0' }),
      ]),
    );

    // The OCPP messages of this transaction, not of the other outlet's.
    const msgs = await o.t.ok(o.admin, 'session-detail-messages', { id, limit: 100 });
    const actions = msgs.entries.map((e) => e.action).reverse();
    expect(actions.filter((a) => a !== 'StatusNotification')).toEqual([
      'StartTransaction',
      'MeterValues',
      'MeterValues',
      'MeterValues',
      'StopTransaction',
    ]);
    expect(actions).toContain('StatusNotification');
    for (const e of msgs.entries.filter((x) => x.action === 'MeterValues')) {
      expect((e.payload as { transactionId: number }).transactionId).toBe(id);
    }
    for (const e of msgs.entries.filter((x) => x.action === 'StatusNotification')) {
      expect((e.payload as { connectorId: number }).connectorId).toBe(1);
    }
    expect(other.transactionId).not.toBe(id);
  });

  it('downsamples a long session into time buckets that keep the peak and the total', async () => {
    const o = await ocppCore();
    const { identity } = await o.station();
    const sim = o.sim(identity, { phases: 1 });
    await sim.start();
    const { card } = await lotWithCard(o, '4', '0A0B0C0D');
    const tx = await sim.startTransaction(1, card.idTag);
    const id = tx.transactionId ?? 0;
    for (let i = 0; i < 60; i++) {
      // One short peak at 32 A in an hour at 8 A.
      sim.connector(1).limitA = i === 37 ? 32 : 8;
      await o.t.clock.advance(60_000);
      sim.advanceMeter(1, 60);
      await sim.meterValues(1);
    }
    await sim.stopTransaction(1);
    const { chart, session } = await o.t.ok(o.admin, 'session-detail-get', { id, points: 10 });
    expect(chart.sampleCount).toBe(61);
    expect(chart.downsampled).toBe(true);
    expect(chart.points.length).toBeLessThanOrEqual(11);
    expect(Math.max(...chart.points.map((p) => p.powerMaxW ?? 0))).toBe(32 * 230);
    expect(chart.points.at(-1)?.energyWh).toBe(session.energyWh);
    // A single-phase charger: L1 only.
    expect(chart.points.every((p) => p.currentL2A === null && p.currentL3A === null)).toBe(true);
    expect(chart.points[0]?.currentL1A).toBe(8);
  });

  it('lets an EV user read only their own account’s sessions, even through the API', async () => {
    const o = await ocppCore();
    const { identity } = await o.station();
    const sim = o.sim(identity);
    await sim.start();
    const mine = await lotWithCard(o, '1', '11111111');
    const theirs = await lotWithCard(o, '2', '22222222');
    const charge = async (idTag: string) => {
      const tx = await sim.startTransaction(1, idTag);
      sim.advanceMeter(1, 600);
      await sim.meterValues(1);
      await sim.stopTransaction(1);
      return tx.transactionId ?? 0;
    };
    const myId = await charge(mine.card.idTag);
    const theirId = await charge(theirs.card.idTag);
    const { conn, user } = await loginAs(o.t, o.admin, 'ev_user', [o.siteId]);
    await o.t.ok(o.admin, 'resident-login-set', { id: mine.resident.id, userId: user.id });

    const own = await o.t.ok(conn, 'session-detail-get', { id: myId });
    expect(own.session.lotNumber).toBe('1');
    expect((await o.t.ok(conn, 'session-detail-samples', { id: myId })).total).toBe(2);
    for (const method of ['session-detail-get', 'session-detail-samples'] as const) {
      const e = await o.t.fail(conn, method, { id: theirId });
      expect([method, e.code]).toEqual([method, 'forbidden']);
    }
    // The OCPP messages are for staff, even of their own session.
    expect((await o.t.fail(conn, 'session-detail-messages', { id: myId })).code).toBe('forbidden');
    expect(
      (await o.t.fail(conn, 'report-totals', { from: '2026-03-01', to: '2026-03-31' })).code,
    ).toBe('forbidden');
    // A session that does not exist: said so.
    expect((await o.t.fail(o.admin, 'session-detail-get', { id: 99_999 })).code).toBe('not-found');
  });
});
