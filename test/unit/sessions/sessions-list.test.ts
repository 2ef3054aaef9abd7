// The sessions list from a simulated charger's real transaction: the fields users know (kWh,
// average power, occupied after charging), the CSV export of the same view, and the role rules
// (an EV user sees only their own account's sessions, even calling the API directly).
import { describe, expect, it } from 'vitest';
import { ocppCore, waitFor, type OcppTest } from '../../ocpp/helpers';
import Papa from 'papaparse';
import { loginAs } from '../../support/factories';
import { download } from '../../support/download';
import type { TestCore } from '../../support/make-core';
import type { Connection } from '../../../src-main/api/context';
import type { SessionFilter } from '../../../src-shared/api/methods/sessions';

const MIN = 60_000;

/** Lets `ms` pass on the test clock, the charger heartbeating every 5 minutes as a real one
 *  does (the server drops a charger silent for 12 minutes). */
async function pass(o: OcppTest, sim: ReturnType<OcppTest['sim']>, ms: number) {
  for (let left = ms; left > 0; left -= 5 * MIN) {
    await o.t.clock.advance(Math.min(5 * MIN, left));
    await sim.heartbeat();
  }
}

/** The sessions CSV as records keyed by column (without Excel's BOM). */
async function exportCsv(t: TestCore, conn: Connection, filter: SessionFilter = {}) {
  const { fileName, body } = await download(t, conn, { kind: 'sessions-csv', filter });
  const text = body.toString('utf8').replace(/^\ufeff/, '');
  const parsed = Papa.parse<Record<string, string>>(text.trim(), { header: true });
  return { fileName, rows: parsed.data };
}

async function lotWithCard(o: OcppTest, lot: string, number: string, first: string) {
  const account = await o.t.ok(o.admin, 'account-create', {
    siteId: o.siteId,
    lotNumber: lot,
    ownerNames: `${first} Owner`,
  });
  const resident = await o.t.ok(o.admin, 'resident-create', {
    accountId: account.id,
    firstName: first,
    lastName: 'Owner',
  });
  const card = await o.t.ok(o.admin, 'card-issue', {
    siteId: o.siteId,
    accountId: account.id,
    residentId: resident.id,
    number,
    label: `${first}’s card`,
  });
  return { account, resident, card };
}

/** One hour at 7,360 W (32 A × 230 V, one phase), then 30 min plugged in without charging. */
async function chargeAnHour(o: OcppTest, sim: ReturnType<OcppTest['sim']>, idTag: string) {
  const tx = await sim.startTransaction(1, idTag);
  await pass(o, sim, 60 * MIN);
  sim.advanceMeter(1, 3600);
  await sim.meterValues(1);
  await sim.statusNotification(1, 'SuspendedEV');
  await pass(o, sim, 30 * MIN);
  await sim.stopTransaction(1, 'EVDisconnected');
  return tx.transactionId ?? 0;
}

describe('the sessions list', () => {
  it('shows a real transaction with its kWh, average power and time occupied after charging', async () => {
    const o = await ocppCore();
    const { identity } = await o.station({ phases: 'L1', maxCurrentA: 32 });
    const sim = o.sim(identity, { phases: 1, maxCurrentA: 32, voltage: 230 });
    await sim.start();
    const jane = await lotWithCard(o, '5', '04A23B1C', 'Jane');
    const id = await chargeAnHour(o, sim, '04A23B1C');

    const page = await waitFor(async () => {
      const p = await o.t.ok(o.admin, 'session-list', { filter: {} });
      return p.sessions[0]?.idleMs != null ? p : null;
    }, 'the session with its occupancy');
    expect(page.total).toBe(1);
    const s = page.sessions[0];
    expect(s).toMatchObject({
      id,
      siteId: o.siteId,
      identity,
      connectorNumber: 1,
      idTag: '04A23B1C',
      cardLabel: 'Jane’s card',
      residentName: 'Jane Owner',
      accountId: jane.account.id,
      lotNumber: '5',
      attributedVia: 'card',
      status: 'completed',
      durationMs: 90 * MIN,
      energyWh: 7360,
      meterStopWh: (s?.meterStartWh ?? 0) + 7360,
      // 7,360 Wh over 1.5 h.
      averagePowerW: 4907,
      // SuspendedEV at 60 min, Available at 90 min.
      idleMs: 30 * MIN,
      stopReason: 'EVDisconnected',
      flag: null,
      review: null,
    });

    // The export: the same session, same figures, the site's local time.
    const csv = await exportCsv(o.t, o.admin, { lot: '5' });
    expect(csv.fileName).toMatch(/^sessions-\d{8}\.csv$/);
    expect(csv.rows).toHaveLength(1);
    expect(csv.rows[0]).toMatchObject({
      'Transaction id': String(id),
      'Charge box id': identity,
      Card: '04A23B1C',
      'Card label': 'Jane’s card',
      Resident: 'Jane Owner',
      Lot: '5',
      'Duration (min)': '90.0',
      'Occupied after charging (min)': '30.0',
      'Energy (kWh)': '7.360',
      'Average power (W)': '4907',
      'Stop reason': 'EVDisconnected',
    });
    // A filter that matches nothing exports the header alone.
    expect((await exportCsv(o.t, o.admin, { lot: '99' })).rows).toEqual([]);
  });

  it('shows an EV user only their own account’s sessions, whatever they ask for', async () => {
    const o = await ocppCore();
    const { identity } = await o.station();
    const sim = o.sim(identity);
    await sim.start();
    const jane = await lotWithCard(o, '5', '11111111', 'Jane');
    const sam = await lotWithCard(o, '6', '22222222', 'Sam');
    const janes = await chargeAnHour(o, sim, '11111111');
    const sams = await chargeAnHour(o, sim, '22222222');
    const { conn, user } = await loginAs(o.t, o.admin, 'ev_user', [o.siteId]);
    await o.t.ok(o.admin, 'resident-login-set', { id: jane.resident.id, userId: user.id });

    const mine = await o.t.ok(conn, 'session-list', { filter: {} });
    expect(mine.sessions.map((s) => s.id)).toEqual([janes]);
    // Naming Sam's account, card or session directly finds nothing.
    for (const filter of [
      { accountId: sam.account.id },
      { card: '22222222' },
      { transactionId: sams },
      { lot: '6' },
    ]) {
      const r = await o.t.ok(conn, 'session-list', { filter });
      expect(r.sessions, JSON.stringify(filter)).toEqual([]);
    }
    // The export applies the same rule.
    expect((await exportCsv(o.t, conn)).rows.map((r) => r['Transaction id'])).toEqual([
      String(janes),
    ]);
    expect((await exportCsv(o.t, conn, { accountId: sam.account.id })).rows).toEqual([]);
    // The review methods are for managers.
    expect(await o.t.fail(conn, 'session-review-get', { id: janes })).toMatchObject({
      code: 'forbidden',
    });
    // The administrator sees both.
    const all = await o.t.ok(o.admin, 'session-list', { filter: {} });
    expect(all.sessions.map((s) => s.id).sort()).toEqual([janes, sams].sort());
  });
});

describe('filtering and keyset paging', () => {
  it('pages through ties without a duplicate or a skip, in every sort and direction', async () => {
    const o = await ocppCore();
    const { identity } = await o.station({ connectorCount: 2 });
    const sim = o.sim(identity, { connectors: 2 });
    await sim.start();
    await lotWithCard(o, '1', 'AAAA0001', 'Ann');
    await lotWithCard(o, '2', 'BBBB0002', 'Bob');
    // 13 sessions in pairs that start and stop at the same instant with the same energy (ties on
    // every key), one still charging; cards alternate.
    for (let i = 0; i < 6; i++) {
      await sim.startTransaction(1, 'AAAA0001');
      await sim.startTransaction(2, 'BBBB0002');
      sim.advanceMeter(1, 600);
      sim.advanceMeter(2, 600);
      await pass(o, sim, 10 * MIN);
      await sim.stopTransaction(1);
      await sim.stopTransaction(2);
    }
    await sim.startTransaction(1, 'AAAA0001');

    const all = await o.t.ok(o.admin, 'session-list', { filter: {}, limit: 500 });
    expect(all.total).toBe(13);
    for (const sort of ['started', 'stopped', 'duration', 'energy', 'power', 'id'] as const) {
      for (const dir of ['asc', 'desc'] as const) {
        const seen: number[] = [];
        let after: string | undefined;
        for (let page = 0; page < 10; page++) {
          const p = await o.t.ok(o.admin, 'session-list', {
            filter: {},
            sort,
            dir,
            limit: 3,
            after,
          });
          seen.push(...p.sessions.map((s) => s.id));
          if (!p.next) break;
          after = p.next;
        }
        expect([sort, dir, seen.length, new Set(seen).size]).toEqual([sort, dir, 13, 13]);
        // The same order as one big page.
        const one = await o.t.ok(o.admin, 'session-list', { filter: {}, sort, dir, limit: 500 });
        expect(seen).toEqual(one.sessions.map((s) => s.id));
      }
    }
    // A cursor from one sort is refused by another, naming the field.
    const p1 = await o.t.ok(o.admin, 'session-list', { filter: {}, limit: 3 });
    const wrong = await o.t.fail(o.admin, 'session-list', {
      filter: {},
      sort: 'energy',
      limit: 3,
      after: p1.next ?? '',
    });
    expect(wrong).toMatchObject({ code: 'validation', field: 'after' });

    // Filters on several columns at once.
    const bobs = await o.t.ok(o.admin, 'session-list', {
      filter: { card: 'bbbb', connectorNumber: 2, status: 'completed' },
      limit: 500,
    });
    expect(bobs.total).toBe(6);
    expect(new Set(bobs.sessions.map((s) => s.residentName))).toEqual(new Set(['Bob Owner']));
    const charging = await o.t.ok(o.admin, 'session-list', { filter: { status: 'active' } });
    expect(charging.sessions.map((s) => s.lotNumber)).toEqual(['1']);
    const byResident = await o.t.ok(o.admin, 'session-list', { filter: { resident: 'ann o' } });
    expect(byResident.total).toBe(7);
    const exact = await o.t.ok(o.admin, 'session-list', { filter: { idTag: 'AAAA000' } });
    expect(exact.total).toBe(0);
    expect((await o.t.ok(o.admin, 'session-list', { filter: { idTag: 'AAAA0001' } })).total).toBe(
      7,
    );
    const ranged = await o.t.ok(o.admin, 'session-list', {
      filter: { minDurationMs: 10 * MIN, maxDurationMs: 10 * MIN, minWh: 1 },
    });
    expect(ranged.total).toBe(12);
  });
});
