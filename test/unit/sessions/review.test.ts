// A flagged session resolved and audited: the review queue lists it with why, its raw readings
// are there, each decision (with its mandatory reason) is a history row, and billing reads the
// billable state: held until reviewed, then the corrected stop reading, then excluded.
import { describe, expect, it } from 'vitest';
import { ocppCore, waitFor, type OcppTest } from '../../ocpp/helpers';
import { loginAs } from '../../support/factories';

const MIN = 60_000;

/** Lets `ms` pass on the test clock, the charger heartbeating every 5 minutes as a real one
 *  does (the server drops a charger silent for 12 minutes). */
async function pass(o: OcppTest, sim: ReturnType<OcppTest['sim']>, ms: number) {
  for (let left = ms; left > 0; left -= 5 * MIN) {
    await o.t.clock.advance(Math.min(5 * MIN, left));
    await sim.heartbeat();
  }
}

/** A session whose meter went backwards: 7,360 Wh after an hour, then 5,000 at the stop. */
async function backwardsSession(o: OcppTest) {
  const { identity } = await o.station({ phases: 'L1', maxCurrentA: 32 });
  const sim = o.sim(identity, { phases: 1, maxCurrentA: 32, voltage: 230 });
  await sim.start();
  const tx = await sim.startTransaction(1, 'ABCD1234');
  const start = tx.meterStart;
  await pass(o, sim, 60 * MIN);
  sim.advanceMeter(1, 3600);
  await sim.meterValues(1);
  await pass(o, sim, MIN);
  sim.connector(1).registerWh = start + 5000;
  await sim.meterValues(1);
  await sim.stopTransaction(1);
  return { id: tx.transactionId ?? 0, start };
}

describe('reviewing a flagged session', () => {
  it('lists it with why, resolves it with a reason, keeps the history and audits it', async () => {
    const o = await ocppCore();
    const { id, start } = await backwardsSession(o);
    const billable = o.t.core.services.sessions.billable;

    const queue = await waitFor(async () => {
      const q = await o.t.ok(o.admin, 'session-list', { filter: { flag: 'open' } });
      return q.total === 1 ? q : null;
    }, 'the flagged session in the queue');
    expect(queue.sessions[0]).toMatchObject({ id, flag: 'review', review: 'open' });
    expect(queue.sessions[0]?.flagKinds).toContain('meter-backwards');
    expect(billable.state(id)).toMatchObject({ status: 'held', meterStopWh: start + 5000 });

    const detail = await o.t.ok(o.admin, 'session-review-get', { id });
    expect(detail.session.flagReason).toMatch(/went backwards/);
    const highest = detail.samples.find((s) => s.energyWh === start + 7360);
    expect(highest?.raw).toContain('Energy.Active.Import.Register');

    // A reason is required.
    const noReason = await o.t.fail(o.admin, 'session-resolve', {
      id,
      action: 'set-stop-reading',
      reason: '  ',
      sampleId: highest?.id,
    });
    expect(noReason).toMatchObject({ code: 'validation', field: 'reason' });

    const resolved = await o.t.ok(o.admin, 'session-resolve', {
      id,
      action: 'set-stop-reading',
      reason: 'Meter replaced mid-session; the last good reading stands',
      sampleId: highest?.id,
    });
    expect(resolved).toMatchObject({
      review: 'resolved',
      reviewAction: 'set-stop-reading',
      correctedStopWh: start + 7360,
      // The charger's readings and flag stay as sent.
      meterStopWh: start + 5000,
      flag: 'review',
    });
    expect(billable.state(id)).toMatchObject({
      status: 'billable',
      meterStopWh: start + 7360,
      energyWh: 7360,
      corrected: true,
    });
    expect((await o.t.ok(o.admin, 'session-list', { filter: { flag: 'open' } })).total).toBe(0);
    expect((await o.t.ok(o.admin, 'session-list', { filter: { flag: 'resolved' } })).total).toBe(1);

    // A second decision: excluded, and both decisions are kept.
    await o.t.ok(o.admin, 'session-resolve', {
      id,
      action: 'exclude',
      reason: 'Test charge by the electrician',
    });
    expect(billable.state(id)).toMatchObject({ status: 'excluded', meterStopWh: start + 7360 });
    const after = await o.t.ok(o.admin, 'session-review-get', { id });
    expect(after.reviews.map((r) => [r.action, r.flag, r.excluded, r.meterStopWh])).toEqual([
      ['set-stop-reading', 'review', false, start + 7360],
      ['exclude', 'review', true, start + 7360],
    ]);
    expect(after.reviews[0]?.reason).toBe(
      'Meter replaced mid-session; the last good reading stands',
    );

    const audit = await o.t.ok(o.admin, 'audit-list', { method: 'session-resolve' });
    expect(audit.entries.map((e) => e.outcome)).toEqual(['ok', 'ok']);
    expect(audit.entries[0]).toMatchObject({ entity: 'session', entityId: String(id) });
    expect(audit.entries[0]?.after).toMatchObject({ action: 'exclude', excluded: true });
  });

  it('attributes a session to an account of its site only, and refuses another site’s manager', async () => {
    const o = await ocppCore();
    const { id } = await backwardsSession(o);
    const lot = await o.t.ok(o.admin, 'account-create', {
      siteId: o.siteId,
      lotNumber: '9',
      ownerNames: 'Lot Nine',
    });
    const other = await o.t.ok(o.admin, 'site-create', {
      name: 'Other building',
      timeZone: 'Australia/Sydney',
    });
    const stranger = await o.t.ok(o.admin, 'account-create', {
      siteId: other.id,
      lotNumber: '1',
      ownerNames: 'Elsewhere',
    });
    const wrong = await o.t.fail(o.admin, 'session-resolve', {
      id,
      action: 'attribute',
      reason: 'Visitor of lot 1',
      accountId: stranger.id,
    });
    expect(wrong).toMatchObject({ code: 'validation', field: 'accountId' });

    const { conn } = await loginAs(o.t, o.admin, 'site_admin', [other.id]);
    const refused = await o.t.fail(conn, 'session-resolve', {
      id,
      action: 'exclude',
      reason: 'Not mine',
    });
    expect(refused.code).toBe('forbidden');
    expect((await o.t.ok(conn, 'session-list', { filter: {} })).total).toBe(0);

    const done = await o.t.ok(o.admin, 'session-resolve', {
      id,
      action: 'attribute',
      reason: 'Lot 9’s guest used the bay',
      accountId: lot.id,
    });
    expect(done).toMatchObject({ accountId: lot.id, lotNumber: '9', attributedVia: 'review' });
    expect(o.t.core.services.sessions.billable.state(id)).toMatchObject({ accountId: lot.id });
  });
});
