// A charger that lies (issue 10's review queue, issue 13's "every cent traceable"): it stops
// another charger's transaction by id, resends a start it already sent, sends a register that
// goes backwards and a stop time before the start, and starts with a card nobody issued. The
// honest charger's session must stay its own and right; every lie ends up flagged for review
// (so billing holds it), never silently billed.
import { describe, expect, it } from 'vitest';
import { ocppCore, waitFor } from '../ocpp/helpers';

describe('a charger that lies', () => {
  it('cannot stop or change another charger’s session; its own lies are flagged', async () => {
    const o = await ocppCore();
    const { t, admin, siteId } = o;
    const lot = await t.ok(admin, 'account-create', {
      siteId,
      lotNumber: '3',
      ownerNames: 'Honest Owner',
    });
    await t.ok(admin, 'card-issue', { siteId, accountId: lot.id, number: '0D0D0D01' });
    const honest = o.sim((await o.station()).identity);
    const liar = o.sim((await o.station()).identity);
    await honest.start();
    await liar.start();
    const a = await honest.startTransaction(1, '0D0D0D01');
    const honestId = a.transactionId ?? 0;

    // The liar stops the honest charger's transaction, by its id, with a huge reading.
    await liar.send('StopTransaction', {
      transactionId: honestId,
      meterStop: 99_999_999,
      timestamp: new Date(t.clock.now()).toISOString(),
      reason: 'Local',
    });
    // ...and sends meter values for it.
    await liar.send('MeterValues', {
      connectorId: 1,
      transactionId: honestId,
      meterValue: [
        {
          timestamp: new Date(t.clock.now()).toISOString(),
          sampledValue: [
            { value: '88888888', measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
          ],
        },
      ],
    });
    let mine = await t.ok(admin, 'transaction-get', { id: honestId });
    expect(mine).toMatchObject({ status: 'active', meterStopWh: null });
    expect(mine.meterValues.some((m) => (m.energyWh ?? 0) >= 88_888_888)).toBe(false);

    // The honest charger finishes: its reading, its energy.
    t.clock.set(t.clock.now() + 30 * 60_000);
    honest.advanceMeter(1, 1_800);
    await honest.stopTransaction(1);
    mine = await t.ok(admin, 'transaction-get', { id: honestId });
    expect(mine.status).toBe('completed');
    expect((mine.meterStopWh ?? 0) - mine.meterStartWh).toBeGreaterThan(0);
    expect((mine.meterStopWh ?? 0) - mine.meterStartWh).toBeLessThan(30_000);
    expect(mine.flag).toBeNull();

    // The liar's own session: a card nobody issued, then a register that runs backwards and a
    // stop dated before its start. Flagged for review, so a run holds it.
    const b = await liar.startTransaction(1, 'FFFF0000');
    expect(b.idTagStatus).toBe('Invalid');
    await liar.send('StopTransaction', {
      transactionId: b.transactionId ?? 0,
      meterStop: 5,
      timestamp: new Date(t.clock.now() - 3_600_000).toISOString(),
      reason: 'Local',
    });
    const lie = await t.ok(admin, 'transaction-get', { id: b.transactionId ?? 0 });
    expect(lie.flag).toBe('review');
    const list = await t.ok(admin, 'session-list', { filter: {}, limit: 50 });
    const listed = list.sessions.find((s) => s.id === lie.id);
    expect(listed?.flagKinds.length ?? 0).toBeGreaterThan(0);
    // The liar's stop for the honest id became a separate session of its own, flagged.
    const orphan = list.sessions.find((s) => s.id !== honestId && s.id !== lie.id);
    await waitFor(() => orphan, 'the liar’s stray stop recorded');
    expect(orphan?.flag).toBe('review');
  });
});
