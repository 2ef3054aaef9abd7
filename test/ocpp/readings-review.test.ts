// What a charger reports that cannot be true is kept as sent and flagged for the operator's
// review, with a reason (issue 7 #3, issue 8 #3): cards the server refused, meters that go
// backwards or report absurd or impossible energy, connectors the station does not have.
import { describe, expect, it } from 'vitest';
import { ocppCore, type OcppTest } from './helpers';

async function charger(o: OcppTest, station = {}) {
  const { identity, id } = await o.station(station);
  const sim = o.sim(identity);
  await sim.start();
  return { sim, stationId: id };
}

const iso = (ms: number) => new Date(ms).toISOString();

async function start(o: OcppTest, sim: Awaited<ReturnType<typeof charger>>['sim'], p = {}) {
  const r = (await sim.send('StartTransaction', {
    connectorId: 1,
    idTag: 'CARD1',
    meterStart: 1_000_000,
    timestamp: iso(o.t.clock.now()),
    ...p,
  })) as { transactionId: number; idTagInfo: { status: string } };
  return r;
}

describe('sessions the server did not accept, and readings that cannot be true', () => {
  it('flags a session started with an Invalid, Blocked or Expired card, with the reason', async () => {
    const o = await ocppCore();
    await o.t.ok(o.admin, 'id-tag-upsert', { idTag: 'BLOCKED', status: 'Blocked' });
    await o.t.ok(o.admin, 'id-tag-upsert', { idTag: 'OLD', expiryDate: o.t.clock.now() - 1 });
    await o.t.ok(o.admin, 'id-tag-upsert', { idTag: 'GOOD' });
    const { sim } = await charger(o, { connectorCount: 4 });
    const answers: Record<string, string> = {};
    for (const [n, idTag] of ['NOBODY', 'BLOCKED', 'OLD', 'GOOD'].entries()) {
      // The charger charges anyway (free vend / its local list) and sends the session.
      const r = await start(o, sim, { connectorId: n + 1, idTag });
      answers[idTag] = r.idTagInfo.status;
    }
    expect(answers).toEqual({
      NOBODY: 'Invalid',
      BLOCKED: 'Blocked',
      OLD: 'Expired',
      GOOD: 'Accepted',
    });
    const list = await o.t.ok(o.admin, 'transaction-list', {});
    const byTag = Object.fromEntries(list.transactions.map((t) => [t.idTag, t]));
    expect(byTag.NOBODY).toMatchObject({ flag: 'review', status: 'active' });
    expect(byTag.NOBODY?.flagReason).toMatch(/not a known card \(answered Invalid\)/);
    expect(byTag.BLOCKED?.flagReason).toMatch(/blocked \(answered Blocked\)/);
    expect(byTag.OLD?.flagReason).toMatch(/expired \(answered Expired\)/);
    expect(byTag.GOOD).toMatchObject({ flag: null });
    const review = await o.t.ok(o.admin, 'transaction-list', { status: 'review' });
    expect(review.total).toBe(3);
  });

  it('flags a stop below the start, an absurd register and more energy than the rating allows', async () => {
    const o = await ocppCore();
    await o.t.ok(o.admin, 'id-tag-upsert', { idTag: 'CARD1' });
    // 32 A × 3 phases × 230 V ≈ 22 kW.
    const { sim } = await charger(o, { connectorCount: 1, maxCurrentA: 32, phases: 'three' });
    const t0 = o.t.clock.now();
    const stopAt = (ms: number) => iso(t0 + ms);

    const backwards = await start(o, sim);
    await sim.send('StopTransaction', {
      transactionId: backwards.transactionId,
      meterStop: 995_000,
      timestamp: stopAt(600_000),
    });
    const huge = await start(o, sim, { meterStart: 1e20, timestamp: stopAt(700_000) });
    await sim.send('StopTransaction', {
      transactionId: huge.transactionId,
      meterStop: 1e20 + 1e6,
      timestamp: stopAt(800_000),
    });
    const max = await start(o, sim, { meterStart: 1e308, timestamp: stopAt(900_000) });
    // 999 MWh in one hour on a 22 kW connector.
    const tooMuch = await start(o, sim, { meterStart: 2_000_000, timestamp: stopAt(1_000_000) });
    await sim.send('StopTransaction', {
      transactionId: tooMuch.transactionId,
      meterStop: 2_000_000 + 999_000_000,
      timestamp: stopAt(1_000_000 + 3_600_000),
    });
    // A genuine hour of charging at 20 kW is not flagged.
    const fine = await start(o, sim, { meterStart: 5_000_000, timestamp: stopAt(5_000_000) });
    await sim.send('StopTransaction', {
      transactionId: fine.transactionId,
      meterStop: 5_020_000,
      timestamp: stopAt(5_000_000 + 3_600_000),
    });

    const get = (id: number) => o.t.ok(o.admin, 'transaction-get', { id });
    const b = await get(backwards.transactionId);
    // The raw readings are kept as the charger sent them.
    expect(b).toMatchObject({ flag: 'review', meterStartWh: 1_000_000, meterStopWh: 995_000 });
    expect(b.energyWh).toBe(-5000);
    expect(b.flagReason).toMatch(/meter went backwards.*995,000 Wh.*1,000,000 Wh/);
    const h = await get(huge.transactionId);
    expect(h).toMatchObject({ flag: 'review', meterStartWh: 1e20 });
    expect(h.flagReason).toMatch(/reading at start .*beyond any real meter/);
    const m = await get(max.transactionId);
    expect(m).toMatchObject({ flag: 'review', meterStartWh: 1e308, status: 'active' });
    const t = await get(tooMuch.transactionId);
    expect(t).toMatchObject({ flag: 'review', energyWh: 999_000_000 });
    expect(t.flagReason).toMatch(
      /999,000,000 Wh in 60 min is more than this connector can deliver/,
    );
    expect(await get(fine.transactionId)).toMatchObject({ flag: null, energyWh: 20_000 });
  });

  it('flags MeterValues whose register goes backwards or beyond the rating, keeping every sample', async () => {
    const o = await ocppCore();
    await o.t.ok(o.admin, 'id-tag-upsert', { idTag: 'CARD1' });
    const { sim } = await charger(o, { maxCurrentA: 16, phases: 'L1' });
    const t0 = o.t.clock.now();
    const a = await start(o, sim);
    const mv = (transactionId: number, samples: [number, number][]) =>
      sim.send('MeterValues', {
        connectorId: 1,
        transactionId,
        meterValue: samples.map(([ms, wh]) => ({
          timestamp: iso(t0 + ms),
          sampledValue: [{ value: String(wh), measurand: 'Energy.Active.Import.Register' }],
        })),
      });
    await mv(a.transactionId, [[60_000, 1_000_050]]);
    expect((await o.t.ok(o.admin, 'transaction-get', { id: a.transactionId })).flag).toBeNull();
    // Within one message, the later sample is lower.
    await mv(a.transactionId, [
      [120_000, 1_000_100],
      [180_000, 1_000_020],
    ]);
    const got = await o.t.ok(o.admin, 'transaction-get', { id: a.transactionId });
    expect(got.flag).toBe('review');
    expect(got.flagReason).toMatch(/meter went backwards.*1,000,020 Wh.*1,000,100 Wh/);
    expect(got.meterValues.map((v) => v.energyWh)).toEqual([1_000_050, 1_000_100, 1_000_020]);

    // Since the previous message, and 16 A single-phase (3.7 kW) cannot give 50 kWh in 5 min.
    const b = await start(o, sim, { timestamp: iso(t0 + 10 * 60_000), meterStart: 2_000_000 });
    await mv(b.transactionId, [[11 * 60_000, 2_000_100]]);
    await mv(b.transactionId, [[12 * 60_000, 1_999_000]]);
    const c = await start(o, sim, { timestamp: iso(t0 + 20 * 60_000), meterStart: 3_000_000 });
    await mv(c.transactionId, [[25 * 60_000, 3_050_000]]);
    const gb = await o.t.ok(o.admin, 'transaction-get', { id: b.transactionId });
    expect(gb.flagReason).toMatch(/the meter went backwards/);
    const gc = await o.t.ok(o.admin, 'transaction-get', { id: c.transactionId });
    expect(gc.flagReason).toMatch(/50,000 Wh in 5 min is more than this connector can deliver/);
  });

  it('flags a session once per condition: later samples past the rating neither rewrite the reason nor repeat the alarm', async () => {
    const o = await ocppCore();
    await o.t.ok(o.admin, 'id-tag-upsert', { idTag: 'CARD1' });
    // 16 A single-phase: about 3.7 kW.
    const { sim } = await charger(o, { maxCurrentA: 16, phases: 'L1' });
    const t0 = o.t.clock.now();
    const { transactionId } = await start(o, sim);
    const reading = (ms: number, wh: number) =>
      sim.send('MeterValues', {
        connectorId: 1,
        transactionId,
        meterValue: [
          {
            timestamp: iso(t0 + ms),
            sampledValue: [{ value: String(wh), measurand: 'Energy.Active.Import.Register' }],
          },
        ],
      });
    const flagged = async () =>
      (await o.t.ok(o.admin, 'alarm-list', { view: 'active' })).alarms.filter(
        (a) => a.rule === 'transaction-suspect',
      );
    // 50 kWh in 5 min: implausible, flagged once.
    await reading(5 * 60_000, 1_050_000);
    const first = await o.t.ok(o.admin, 'transaction-get', { id: transactionId });
    expect(first.flag).toBe('review');
    expect(first.flagReason).toMatch(/50,000 Wh in 5 min is more than this connector/);
    expect((await flagged()).map((a) => a.count)).toEqual([1]);
    // Every later sample is still past the rating since the start: the same condition.
    for (let m = 6; m <= 10; m++) await reading(m * 60_000, 1_050_000 + (m - 5) * 100);
    const later = await o.t.ok(o.admin, 'transaction-get', { id: transactionId });
    expect(later.flagReason).toBe(first.flagReason);
    expect((await flagged()).map((a) => a.count)).toEqual([1]);
    // A new condition (the register goes backwards) is added once, as its own alarm.
    await reading(11 * 60_000, 1_040_000);
    await reading(12 * 60_000, 1_040_100);
    const after = await o.t.ok(o.admin, 'transaction-get', { id: transactionId });
    expect(after.flagReason).toMatch(/^50,000 Wh in 5 min .*; the meter went backwards/);
    expect(after.flagReason?.split('; ')).toHaveLength(2);
    const backwards = (await o.t.ok(o.admin, 'alarm-list', { view: 'active' })).alarms.filter(
      (a) => a.rule === 'meter-backwards',
    );
    expect(backwards.map((a) => a.count)).toEqual([1]);
  });

  it('checks readings against a station’s new rating from the moment it is saved', async () => {
    const o = await ocppCore();
    await o.t.ok(o.admin, 'id-tag-upsert', { idTag: 'CARD1' });
    const { sim, stationId } = await charger(o, { maxCurrentA: 16, phases: 'L1' });
    const t0 = o.t.clock.now();
    const { transactionId } = await start(o, sim);
    const reading = (ms: number, wh: number) =>
      sim.send('MeterValues', {
        connectorId: 1,
        transactionId,
        meterValue: [
          {
            timestamp: iso(t0 + ms),
            sampledValue: [{ value: String(wh), measurand: 'Energy.Active.Import.Register' }],
          },
        ],
      });
    await reading(60_000, 1_000_050);
    // The electrician rewired it: 32 A three-phase (22 kW). 2.5 kWh in 10 min is plausible now
    // (16 A single-phase could give about 0.6 kWh), with no minute's wait for a cache.
    await o.t.ok(o.admin, 'station-update', { id: stationId, maxCurrentA: 32, phases: 'three' });
    await reading(10 * 60_000, 1_002_500);
    const got = await o.t.ok(o.admin, 'transaction-get', { id: transactionId });
    expect([got.flag, got.flagReason]).toEqual([null, null]);
  });

  it('flags sessions whose times are an unset or wrong charger clock, keeping them', async () => {
    const o = await ocppCore();
    await o.t.ok(o.admin, 'id-tag-upsert', { idTag: 'CARD1' });
    const { sim } = await charger(o, { connectorCount: 3 });
    const now = o.t.clock.now();
    const unset = await start(o, sim, { timestamp: '1970-01-01T00:00:10Z' });
    const ahead = await start(o, sim, { connectorId: 2, timestamp: iso(now + 3 * 86_400_000) });
    const backwards = await start(o, sim, { connectorId: 3, timestamp: iso(now) });
    await sim.send('StopTransaction', {
      transactionId: backwards.transactionId,
      meterStop: 1_000_100,
      timestamp: iso(now - 3_600_000),
    });
    const get = (id: number) => o.t.ok(o.admin, 'transaction-get', { id });
    const u = await get(unset.transactionId);
    expect(u).toMatchObject({ flag: 'review', startedAt: 10_000 });
    expect(u.flagReason).toMatch(/before 2010: the charger's clock is not set/);
    expect((await get(ahead.transactionId)).flagReason).toMatch(/more than a day ahead/);
    expect((await get(backwards.transactionId)).flagReason).toMatch(/stopped .* before it started/);
  });

  it('refuses a status for a connector the station does not have; registers one the charger reports', async () => {
    const o = await ocppCore();
    const { sim, stationId } = await charger(o, { connectorCount: 1 });
    await expect(
      sim.send('StatusNotification', {
        connectorId: 2147483647,
        status: 'Available',
        errorCode: 'NoError',
      }),
    ).rejects.toMatchObject({ rpcErrorCode: 'PropertyConstraintViolation' });
    const st = await o.t.ok(o.admin, 'station-get', { id: stationId });
    expect(st.connectors.map((c) => c.connectorNumber)).toEqual([1]);
    // The charger says it has two (NumberOfConnectors, read-only): the second is registered.
    sim.config.set('NumberOfConnectors', { value: '2', readonly: true });
    await o.t.ok(o.admin, 'station-config-get', { stationId, refresh: true });
    await sim.send('StatusNotification', {
      connectorId: 2,
      status: 'Preparing',
      errorCode: 'NoError',
    });
    const after = await o.t.ok(o.admin, 'station-get', { id: stationId });
    expect(after.connectors.map((c) => [c.connectorNumber, c.status])).toEqual([
      [1, 'Available'],
      [2, 'Preparing'],
    ]);
  });
});
