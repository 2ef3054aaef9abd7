// Alarm rules from real simulated chargers over real sockets: a fault raises, a repeat folds into
// a count, "no error" closes it with the time; a charger offline beyond its grace period (moved
// with the ManualClock) raises, and closes itself when the charger is back; acknowledging is
// separate from clearing, a manual clear records who and why, and both are audited.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ocppCore, waitFor, type OcppTest } from '../../ocpp/helpers';
import { aSite, aStation, loginAs } from '../../support/factories';
import type { DomainEvent } from '../../../src-main/platform/domain-events';

async function active(o: OcppTest) {
  return (await o.t.ok(o.admin, 'alarm-list', { view: 'active' })).alarms;
}

async function history(o: OcppTest) {
  return (await o.t.ok(o.admin, 'alarm-list', { view: 'history' })).alarms;
}

function heard(o: OcppTest) {
  const seen: DomainEvent[] = [];
  o.t.core.services.domainEvents.subscribeAll((e) => seen.push(e));
  return seen;
}

describe('alarm rules', () => {
  it('raise an outlet fault with the charger’s info text, fold repeats and close when it reports no error', async () => {
    const o = await ocppCore();
    const st = await o.station({ name: 'Bay 7' });
    const sim = o.sim(st.identity);
    await sim.start();

    await sim.statusNotification(1, 'Faulted', 'GroundFailure', { info: 'RCD tripped' });
    const [raised] = await waitFor(async () => {
      const a = await active(o);
      return a.length === 1 ? a : null;
    }, 'the fault alarm');
    expect(raised).toMatchObject({
      rule: 'connector-fault',
      severity: 'critical',
      stationId: st.id,
      connectorNumber: 1,
      count: 1,
      detail: 'RCD tripped',
      state: 'active',
    });
    expect(raised?.title).toContain('Bay 7');
    expect(raised?.title).toContain('ground failure');

    // The same fault again: one alarm, counted, not a second row.
    o.t.clock.set(o.t.clock.now() + 60_000);
    await sim.statusNotification(1, 'Faulted', 'GroundFailure', { info: 'RCD tripped again' });
    await waitFor(async () => (await active(o))[0]?.count === 2, 'the repeat counted');
    const [folded] = await active(o);
    expect(folded).toMatchObject({ id: raised?.id, count: 2, detail: 'RCD tripped again' });
    expect(folded?.lastAt).toBe(o.t.clock.now());

    // Fault gone: closed by itself, with the time and without a person.
    o.t.clock.set(o.t.clock.now() + 60_000);
    await sim.statusNotification(1, 'Available');
    await waitFor(async () => (await active(o)).length === 0, 'the alarm to close');
    const [closed] = await history(o);
    expect(closed).toMatchObject({
      id: raised?.id,
      state: 'cleared',
      clearedAt: o.t.clock.now(),
      clearedByName: null,
    });
    expect(closed?.clearReason).toContain('no error');
    const log = await o.t.ok(o.admin, 'alarm-event-list', {});
    expect(log.events.map((e) => e.kind)).toEqual(['auto-cleared', 'repeated', 'raised']);
  });

  it("raise the manufacturer's own error code per outlet, as a warning", async () => {
    const o = await ocppCore();
    const st = await o.station({ connectorCount: 2 });
    const sim = o.sim(st.identity, { connectors: 2 });
    await sim.start();
    await sim.statusNotification(2, 'Available', 'OtherError', {
      vendorId: 'ACME',
      vendorErrorCode: 'E42',
      info: 'Contactor welded',
    });
    const [a] = await waitFor(async () => {
      const list = await active(o);
      return list.length ? list : null;
    }, 'the vendor alarm');
    expect(a).toMatchObject({ rule: 'vendor-error', severity: 'warning', connectorNumber: 2 });
    expect(a?.title).toContain('E42');
    expect(a?.detail).toBe('Contactor welded · ACME code E42');
    // Outlet 1 reporting no error leaves outlet 2's alarm alone.
    await sim.statusNotification(1, 'Available');
    await sim.statusNotification(2, 'Available');
    await waitFor(async () => (await active(o)).length === 0, 'outlet 2 cleared');
  });

  it('raise "offline" only after the grace period and close it when the charger is back', async () => {
    const o = await ocppCore();
    const seen = heard(o);
    await o.t.ok(o.admin, 'alarm-rule-update', { rule: 'station-offline', delaySeconds: 120 });
    const st = await o.station({ name: 'Bay 3' });
    const sim = o.sim(st.identity);
    await sim.start();
    await sim.goOffline();
    await waitFor(() => seen.some((e) => e.type === 'station.disconnected'), 'the disconnect');

    await o.t.clock.advance(119_000);
    expect(await active(o)).toEqual([]);
    await o.t.clock.advance(1_000);
    const [offline] = await active(o);
    expect(offline).toMatchObject({
      rule: 'station-offline',
      severity: 'critical',
      stationId: st.id,
      firstAt: o.t.clock.now(),
    });
    expect(offline?.title).toBe(`Bay 3 (${st.identity}) is offline`);

    await o.t.clock.advance(30_000);
    await sim.reconnect({ boot: true });
    await waitFor(async () => (await active(o)).length === 0, 'the offline alarm to close');
    const [closed] = await history(o);
    expect(closed).toMatchObject({ id: offline?.id, clearedAt: o.t.clock.now() });
    expect(closed?.clearReason).toBe('The charger connected again.');
  });

  it('raise nothing when the charger comes back within the grace period', async () => {
    const o = await ocppCore();
    const seen = heard(o);
    const st = await o.station();
    const sim = o.sim(st.identity);
    await sim.start();
    await sim.goOffline();
    await waitFor(() => seen.some((e) => e.type === 'station.disconnected'), 'the disconnect');
    await o.t.clock.advance(200_000);
    await sim.reconnect();
    await waitFor(
      () => seen.filter((e) => e.type === 'station.connected').length === 2,
      'the charger back',
    );
    await o.t.clock.advance(3_600_000);
    expect(await active(o)).toEqual([]);
  });

  it('keep acknowledging apart from clearing; a manual clear records who and why, audited and scoped', async () => {
    const o = await ocppCore();
    const st = await o.station();
    const sim = o.sim(st.identity);
    await sim.start();
    await sim.statusNotification(1, 'Faulted', 'HighTemperature');
    const [a] = await waitFor(async () => {
      const l = await active(o);
      return l.length ? l : null;
    }, 'the alarm');
    if (!a) throw new Error('no alarm');

    // Another site's administrator can neither see nor touch it.
    const other = await o.t.ok(o.admin, 'site-create', aSite());
    const { conn: otherAdmin } = await loginAs(o.t, o.admin, 'site_admin', [other.id]);
    expect((await o.t.fail(otherAdmin, 'alarm-acknowledge', { id: a.id })).code).toBe('forbidden');
    expect((await o.t.ok(otherAdmin, 'alarm-list', { view: 'active' })).alarms).toEqual([]);

    const { conn: siteAdmin } = await loginAs(o.t, o.admin, 'site_admin', [o.siteId]);
    const acked = await o.t.ok(siteAdmin, 'alarm-acknowledge', { id: a.id, note: 'On my way' });
    expect(acked).toMatchObject({ state: 'active', acknowledgedAt: o.t.clock.now() });
    expect(acked.acknowledgedByName).toMatch(/^User /);

    expect((await o.t.fail(siteAdmin, 'alarm-clear', { id: a.id, reason: '  ' })).code).toBe(
      'validation',
    );
    const cleared = await o.t.ok(o.admin, 'alarm-clear', {
      id: a.id,
      reason: 'Fan replaced by the electrician',
    });
    expect(cleared).toMatchObject({
      state: 'cleared',
      clearedByName: 'Ada Admin',
      clearReason: 'Fan replaced by the electrician',
    });
    expect((await o.t.fail(o.admin, 'alarm-clear', { id: a.id, reason: 'again' })).message).toBe(
      'This alarm was already cleared by Ada Admin.',
    );
    const audit = await o.t.ok(o.admin, 'audit-list', { text: 'alarm' });
    expect(audit.entries.map((e) => e.method).sort()).toEqual(['alarm-acknowledge', 'alarm-clear']);
    const log = await o.t.ok(o.admin, 'alarm-event-list', { kind: 'cleared' });
    expect(log.events[0]).toMatchObject({
      userName: 'Ada Admin',
      detail: 'Fan replaced by the electrician',
    });
    // The same fault reported again is a new alarm (the old one stays in history).
    await sim.statusNotification(1, 'Faulted', 'HighTemperature');
    await waitFor(async () => (await active(o)).some((x) => x.id !== a.id), 'a new alarm');
  });

  it('use the severity an administrator set for alarms raised from then on', async () => {
    const o = await ocppCore();
    const { conn: support } = await loginAs(o.t, o.admin, 'support');
    expect(
      (await o.t.fail(support, 'alarm-rule-update', { rule: 'boot-rejected', severity: 'info' }))
        .code,
    ).toBe('forbidden');
    expect(
      (
        await o.t.fail(o.admin, 'alarm-rule-update', {
          rule: 'station-offline',
          delaySeconds: 1,
        })
      ).field,
    ).toBe('delaySeconds');
    await o.t.ok(o.admin, 'alarm-rule-update', { rule: 'boot-rejected', severity: 'critical' });
    const st = await o.t.ok(o.admin, 'station-create', aStation(o.siteId));
    await o.t.ok(o.admin, 'station-update', { id: st.id, blocked: true });
    const sim = o.sim(st.identity);
    await sim.connect();
    expect(await sim.boot()).toBe('Rejected');
    const [a] = await waitFor(async () => {
      const l = await active(o);
      return l.length ? l : null;
    }, 'boot rejected');
    expect(a).toMatchObject({ rule: 'boot-rejected', severity: 'critical', stationId: st.id });
    const rules = await o.t.ok(o.admin, 'alarm-rule-list', {});
    expect(rules.find((r) => r.rule === 'boot-rejected')).toMatchObject({
      severity: 'critical',
      customised: true,
    });
  });

  it('raise an organisation-wide alarm when a backup fails, closed by the next good one', async () => {
    const o = await ocppCore();
    // A file where the backups folder should be: the backup cannot be written.
    writeFileSync(join(o.t.dataDir, 'backups'), 'not a folder');
    await expect(o.t.core.services.backup.create()).rejects.toThrow();
    const [a] = await active(o);
    expect(a).toMatchObject({ rule: 'backup-failed', siteId: null, severity: 'critical' });
    const { conn: siteAdmin } = await loginAs(o.t, o.admin, 'site_admin', [o.siteId]);
    expect((await o.t.ok(siteAdmin, 'alarm-list', { view: 'active' })).total).toBe(0);
    rmSync(join(o.t.dataDir, 'backups'));
    await o.t.core.services.backup.create();
    expect(await active(o)).toEqual([]);
    expect((await history(o))[0]?.clearReason).toMatch(/^Backup .* was written\.$/);
  });

  it('raise an unknown charger trying to connect (organisation-wide), closed once it is adopted and connects', async () => {
    const o = await ocppCore();
    const stranger = o.sim('NEW-CP-9');
    await expect(stranger.connect()).rejects.toThrow();
    const [a] = await waitFor(async () => {
      const l = await active(o);
      return l.length ? l : null;
    }, 'the unknown-charger alarm');
    expect(a).toMatchObject({ rule: 'unknown-charger', siteId: null, severity: 'warning' });
    expect(a?.title).toBe('Unknown charger NEW-CP-9 tried to connect');
    // Trying again folds into the same alarm.
    await expect(stranger.connect()).rejects.toThrow();
    await waitFor(async () => (await active(o))[0]?.count === 2, 'the second try counted');

    await o.t.ok(o.admin, 'charger-adopt', { identity: 'NEW-CP-9', siteId: o.siteId });
    await stranger.start();
    await waitFor(async () => (await active(o)).length === 0, 'the alarm to close');
    expect((await history(o))[0]?.clearReason).toBe('The charger was registered and connected.');
  });

  it('raise a command the charger refused, per station and command', async () => {
    const o = await ocppCore();
    const st = await o.station({ name: 'Bay 5' });
    const sim = o.sim(st.identity);
    await sim.start();
    const r = await o.t.ok(o.admin, 'station-remote-stop', {
      stationId: st.id,
      transactionId: 999,
    });
    expect(r.status).toBe('Rejected');
    const [a] = await waitFor(async () => {
      const l = await active(o);
      return l.length ? l : null;
    }, 'the failed-command alarm');
    expect(a).toMatchObject({
      rule: 'remote-operation-failed',
      stationId: st.id,
      siteId: o.siteId,
    });
    expect(a?.title).toBe(`Bay 5 (${st.identity}): remote stop transaction failed`);
    expect(a?.detail).toBe(`${st.identity} answered RemoteStopTransaction with Rejected.`);
    // Reads and triggers a charger may not support are not alarms.
    await o.t.call(o.admin, 'station-trigger', { stationId: st.id, message: 'Heartbeat' });
    expect(await active(o)).toHaveLength(1);

    // Another command succeeding says nothing about this one: still open.
    expect((await o.t.ok(o.admin, 'station-cache-clear', { stationId: st.id })).status).toBe(
      'Accepted',
    );
    expect(await active(o)).toHaveLength(1);
    // The same command succeeding on this charger closes it by itself, with the time.
    await o.t.ok(o.admin, 'id-tag-upsert', { idTag: 'CARD-1', status: 'Accepted' });
    const tx = await sim.startTransaction(1, 'CARD-1');
    o.t.clock.set(o.t.clock.now() + 60_000);
    const stop = await o.t.ok(o.admin, 'station-remote-stop', {
      stationId: st.id,
      transactionId: tx.transactionId ?? 0,
    });
    expect(stop.status).toBe('Accepted');
    await waitFor(async () => (await active(o)).length === 0, 'the alarm to close');
    expect((await history(o))[0]).toMatchObject({
      id: a?.id,
      clearedAt: o.t.clock.now(),
      clearedByName: null,
      clearReason:
        'The same command (remote stop transaction) succeeded on this charger afterwards.',
    });
  });
});
