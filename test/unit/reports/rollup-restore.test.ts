// A live restore copies the sessions and the reports' rollup from the backup with the rollup's
// triggers set aside (backup/service.ts swapIn, reports/rollup.ts withoutRollupTriggers): the
// totals after it are the backup's, the rollup still equals its sessions, and the triggers are
// back for the next charge.
import { describe, expect, it } from 'vitest';
import { ocppCore, waitFor } from '../../ocpp/helpers';
import { rebuildRollups } from '../../../src-main/reports/rollup';

describe('the reports’ rollup across a live restore', () => {
  it('holds the backup’s sessions after it, and keeps counting new ones', async () => {
    const o = await ocppCore();
    const { identity } = await o.station({ name: 'Bay 1' });
    const sim = o.sim(identity);
    await sim.start();
    await o.t.ok(o.admin, 'id-tag-upsert', { idTag: 'CARD-1', status: 'Accepted' });
    // Half an hour's charge (the clock set, not advanced: no sweep sees the charger silent).
    const charge = async () => {
      await sim.startTransaction(1, 'CARD-1');
      o.t.clock.set(o.t.clock.now() + 30 * 60_000);
      sim.advanceMeter(1, 30 * 60);
      await sim.stopTransaction(1);
    };
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const from = day(o.t.clock.now() - 86_400_000);
    const sessions = async () =>
      (
        await o.t.ok(o.admin, 'report-totals', {
          from,
          to: day(o.t.clock.now() + 86_400_000),
        })
      ).total.sessions;
    const rollup = () =>
      o.t.core.db.$client
        .prepare('SELECT * FROM session_rollup_outlet_day WHERE sessions <> 0 ORDER BY 1, 2, 3')
        .raw()
        .all();

    await charge();
    const { fileName } = await o.t.ok(o.admin, 'backup-create', {});
    await charge();
    await charge();
    expect(await sessions()).toBe(3);

    await o.t.ok(o.admin, 'backup-restore', { fileName });
    expect(await sessions()).toBe(1);
    const kept = rollup();
    rebuildRollups(o.t.core.db.$client);
    expect(rollup()).toEqual(kept);

    // The restore dropped the charger; it reconnects, and its next session is counted.
    await waitFor(() => sim.client?.state === 3, 'the charger disconnected by the restore');
    await sim.reconnect({ boot: true });
    await charge();
    expect(await sessions()).toBe(2);
  });
});
