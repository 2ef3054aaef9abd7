// The sessions list from a simulated charger's real transaction: the fields users know (kWh,
// average power, occupied after charging), the CSV export of the same view, and the role rules
// (an EV user sees only their own account's sessions, even calling the API directly).
import { describe, expect, it } from 'vitest';
import { ocppCore, waitFor, type OcppTest } from '../../ocpp/helpers';
import { loginAs } from '../../support/factories';

const MIN = 60_000;

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
  await o.t.clock.advance(60 * MIN);
  sim.advanceMeter(1, 3600);
  await sim.meterValues(1);
  await sim.statusNotification(1, 'SuspendedEV');
  await o.t.clock.advance(30 * MIN);
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
    // The review methods are for managers.
    expect(await o.t.fail(conn, 'session-review-get', { id: janes })).toMatchObject({
      code: 'forbidden',
    });
    // The administrator sees both.
    const all = await o.t.ok(o.admin, 'session-list', { filter: {} });
    expect(all.sessions.map((s) => s.id).sort()).toEqual([janes, sams].sort());
  });
});
