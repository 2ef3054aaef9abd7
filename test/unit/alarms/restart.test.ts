// Alarm timers and open alarms across a restart of the service and a live restore of a backup:
// a restarted core has seen no events, so what its rules wait for is read back from the
// database (rules.ts rebuild()). The grace period then runs from the restart: a charger that does
// not come back raises "offline" once it has passed, and the alarm closes itself when the charger
// connects; a charger already reported offline is not reported twice; a failed command's alarm
// raised before the restart still closes when the same command succeeds after it.
import { describe, expect, it } from 'vitest';
import { ocppCore, waitFor, type OcppTest } from '../../ocpp/helpers';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../../support/factories';
import { SimCharger } from '../../../src-main/sim/charger';
import type { Connection } from '../../../src-main/api/context';

const GRACE_S = 120;

async function active(o: OcppTest, conn: Connection) {
  return (await o.t.ok(conn, 'alarm-list', { view: 'active' })).alarms;
}

/** The same charger, pointed at the (new) core's OCPP address; closed after the test. */
function charger(o: OcppTest, identity: string, closeAfter: SimCharger[]): SimCharger {
  const sim = new SimCharger({
    url: o.t.core.info.ocppUrl,
    identity,
    now: () => o.t.clock.now(),
    callTimeoutMs: 5_000,
  });
  closeAfter.push(sim);
  return sim;
}

/** Restarts the core on its data and logs the administrator in again. */
async function restart(o: OcppTest): Promise<Connection> {
  await o.t.restart();
  const admin = o.t.conn();
  await o.t.ok(admin, 'session-login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  return admin;
}

async function setUp() {
  const o = await ocppCore();
  const sims: SimCharger[] = [];
  await o.t.ok(o.admin, 'alarm-rule-update', { rule: 'station-offline', delaySeconds: GRACE_S });
  const st = await o.station({ name: 'Bay 9' });
  const sim = charger(o, st.identity, sims);
  expect(await sim.start()).toBe('Accepted');
  return {
    o,
    st,
    sim,
    sims,
    done: async () => {
      for (const s of sims) await s.close();
    },
  };
}

describe('alarm timers after a restart or a live restore', () => {
  it('raise "offline" a grace period after a restart the charger does not come back from, and close it when it does', async () => {
    const { o, st, sim, sims, done } = await setUp();
    try {
      await sim.close();
      // The process ends with the charger away (its disconnect timer dies with it).
      const admin = await restart(o);
      expect(await active(o, admin)).toEqual([]);

      await o.t.clock.advance((GRACE_S - 1) * 1000);
      expect(await active(o, admin)).toEqual([]);
      await o.t.clock.advance(1000);
      const [offline] = await active(o, admin);
      expect(offline).toMatchObject({ rule: 'station-offline', stationId: st.id, count: 1 });
      expect(offline?.title).toBe(`Bay 9 (${st.identity}) is offline`);

      // Another restart with the alarm open: not raised a second time, still closes by itself.
      const admin2 = await restart(o);
      await o.t.clock.advance(GRACE_S * 2 * 1000);
      expect(await active(o, admin2)).toMatchObject([{ id: offline?.id, count: 1 }]);

      const back = charger(o, st.identity, sims);
      expect(await back.start()).toBe('Accepted');
      await waitFor(async () => (await active(o, admin2)).length === 0, 'the alarm to close');
      const [closed] = (await o.t.ok(admin2, 'alarm-list', { view: 'history' })).alarms;
      expect(closed).toMatchObject({
        id: offline?.id,
        clearedAt: o.t.clock.now(),
        clearReason: 'The charger connected again.',
      });
      // Connected now: the grace period passing again raises nothing.
      await o.t.clock.advance(GRACE_S * 2 * 1000);
      expect(await active(o, admin2)).toEqual([]);
    } finally {
      await done();
    }
  });

  it('raise nothing when the charger is back within the grace period after a restart', async () => {
    const { o, st, sim, sims, done } = await setUp();
    try {
      await sim.close();
      const admin = await restart(o);
      await o.t.clock.advance((GRACE_S - 30) * 1000);
      expect(await charger(o, st.identity, sims).start()).toBe('Accepted');
      await o.t.clock.advance(GRACE_S * 2 * 1000);
      expect(await active(o, admin)).toEqual([]);
    } finally {
      await done();
    }
  });

  it('raise and close "offline" the same way after a live restore drops every charger', async () => {
    const { o, st, sim, sims, done } = await setUp();
    try {
      const { fileName } = await o.t.ok(o.admin, 'backup-create', {});
      await o.t.ok(o.admin, 'backup-restore', { fileName });
      await waitFor(() => sim.client?.state === 3, 'the charger dropped by the restore');
      await sim.close();
      await o.t.clock.advance((GRACE_S - 1) * 1000);
      expect(await active(o, o.admin)).toEqual([]);
      await o.t.clock.advance(1000);
      expect(await active(o, o.admin)).toMatchObject([
        { rule: 'station-offline', stationId: st.id },
      ]);
      expect(await charger(o, st.identity, sims).start()).toBe('Accepted');
      await waitFor(async () => (await active(o, o.admin)).length === 0, 'the alarm to close');
    } finally {
      await done();
    }
  });

  it('close a failed-command alarm raised before a restart when the command succeeds after it', async () => {
    const { o, st, sim, sims, done } = await setUp();
    try {
      await o.t.ok(o.admin, 'station-remote-stop', { stationId: st.id, transactionId: 998 });
      await waitFor(async () => (await active(o, o.admin)).length === 1, 'the failed command');
      await sim.close();
      const admin = await restart(o);
      const again = charger(o, st.identity, sims);
      expect(await again.start()).toBe('Accepted');
      await o.t.ok(admin, 'id-tag-upsert', { idTag: 'CARD-2', status: 'Accepted' });
      const tx = await again.startTransaction(1, 'CARD-2');
      const stop = await o.t.ok(admin, 'station-remote-stop', {
        stationId: st.id,
        transactionId: tx.transactionId ?? 0,
      });
      expect(stop.status).toBe('Accepted');
      await waitFor(async () => (await active(o, admin)).length === 0, 'the alarm to close');
    } finally {
      await done();
    }
  });
});
