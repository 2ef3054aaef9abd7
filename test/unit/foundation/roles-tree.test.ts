import { describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../../src-shared/api/events';
import { makeCore } from '../../support/make-core';
import { aFloor, aSite, aStation, aUser, loginAs, setupAdmin } from '../../support/factories';

const countRows = (
  t: { core: { db: { $client: { prepare(s: string): { get(): unknown } } } } },
  table: string,
) => (t.core.db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('roles', () => {
  it('Support is forbidden from organisation-wide writes and reads, and nothing is written', async () => {
    const t = await makeCore();
    const { admin } = await setupAdmin(t);
    const { conn: support } = await loginAs(t, admin, 'support');
    const before = {
      users: countRows(t, 'users'),
      sites: countRows(t, 'sites'),
    };
    const backupsBefore = (await t.ok(admin, 'backup-list', {})).length;

    for (const [method, input] of [
      ['user-create', aUser()],
      ['site-create', aSite()],
      ['backup-create', {}],
      ['audit-list', {}],
    ] as const) {
      const e = await t.fail(support, method, input);
      expect(e.code, method).toBe('forbidden');
    }
    expect(countRows(t, 'users')).toBe(before.users);
    expect(countRows(t, 'sites')).toBe(before.sites);
    expect((await t.ok(admin, 'backup-list', {})).length).toBe(backupsBefore);
    // The refusals themselves are on record.
    const log = await t.ok(admin, 'audit-list', { method: 'user-create' });
    expect(log.entries.map((e) => e.outcome)).toContain('forbidden');
  });

  it('an EV user cannot see the tree or stations', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    const { conn: ev } = await loginAs(t, admin, 'ev_user', [site.id]);
    expect((await t.fail(ev, 'tree-get', {})).code).toBe('forbidden');
    expect((await t.fail(ev, 'station-list', {})).code).toBe('forbidden');
    // They may see their own site's name (for their invoices).
    expect((await t.ok(ev, 'site-list', {})).map((s) => s.id)).toEqual([site.id]);
  });

  it('a site administrator sees and edits only their own sites', async () => {
    const t = await makeCore();
    const { admin, site: mine } = await setupAdmin(t);
    const other = await t.ok(admin, 'site-create', aSite({ name: 'Other Tower' }));
    const otherFloor = await t.ok(admin, 'floor-create', aFloor(other.id));
    const otherStation = await t.ok(
      admin,
      'station-create',
      aStation(other.id, { floorId: otherFloor.id }),
    );
    const { conn: sa } = await loginAs(t, admin, 'site_admin', [mine.id]);

    expect((await t.ok(sa, 'site-list', {})).map((s) => s.id)).toEqual([mine.id]);
    expect((await t.ok(sa, 'tree-get', {})).sites.map((s) => s.id)).toEqual([mine.id]);
    expect(await t.ok(sa, 'station-list', {})).toEqual([]);
    expect((await t.fail(sa, 'site-get', { id: other.id })).code).toBe('forbidden');
    expect((await t.fail(sa, 'floor-list', { siteId: other.id })).code).toBe('forbidden');
    expect((await t.fail(sa, 'station-list', { siteId: other.id })).code).toBe('forbidden');
    expect((await t.fail(sa, 'station-get', { id: otherStation.id })).code).toBe('forbidden');
    expect(
      (await t.fail(sa, 'floor-update', { id: otherFloor.id, name: 'Mine now', level: 0 })).code,
    ).toBe('forbidden');
    expect((await t.fail(sa, 'floor-delete', { id: otherFloor.id })).code).toBe('forbidden');
    expect((await t.fail(sa, 'floor-create', aFloor(other.id))).code).toBe('forbidden');
    expect(
      (await t.fail(sa, 'station-update', { id: otherStation.id, name: 'Hijacked' })).code,
    ).toBe('forbidden');
    expect((await t.fail(sa, 'station-create', aStation(other.id))).code).toBe('forbidden');
    expect((await t.fail(sa, 'site-update', { ...aSite(), id: other.id })).code).toBe('forbidden');
    // Nor move their own station into the other site.
    const own = await t.ok(sa, 'station-create', aStation(mine.id));
    expect((await t.fail(sa, 'station-update', { id: own.id, siteId: other.id })).code).toBe(
      'forbidden',
    );

    const still = await t.ok(admin, 'station-get', { id: otherStation.id });
    expect(still.name).toBe(otherStation.name);
    expect((await t.ok(admin, 'floor-list', { siteId: other.id }))[0]?.name).toBe(otherFloor.name);
    // Within their own site they can work.
    await t.ok(sa, 'site-update', { ...aSite({ name: 'Harbour View East' }), id: mine.id });
    await t.ok(sa, 'floor-create', aFloor(mine.id));
  });
});

describe('the organisation tree', () => {
  it('creates stations with numbered connectors, sorts floors by level and emits tree-changed', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    const events: CoreEvent[] = [];
    t.core.events.subscribe((e) => events.push(e));

    const b2 = await t.ok(admin, 'floor-create', aFloor(site.id, { name: 'B2', level: -2 }));
    const ground = await t.ok(admin, 'floor-create', aFloor(site.id, { name: 'Ground', level: 0 }));
    const b1 = await t.ok(admin, 'floor-create', aFloor(site.id, { name: 'B1', level: -1 }));
    const st = await t.ok(
      admin,
      'station-create',
      aStation(site.id, { floorId: b1.id, connectorCount: 3, password: 'sixteen-chars-long!' }),
    );
    expect(st.connectors.map((c) => c.connectorNumber)).toEqual([1, 2, 3]);
    expect(st.hasPassword).toBe(true);
    expect(st.connected).toBe(false);
    expect(JSON.stringify(st)).not.toContain('scrypt');
    const hash = t.core.db.$client
      .prepare('SELECT password_hash AS h FROM stations WHERE id = ?')
      .get(st.id) as {
      h: string;
    };
    expect(hash.h).toMatch(/^scrypt\$/);

    const tree = await t.ok(admin, 'tree-get', {});
    expect(tree.organisation?.name).toBe('Harbour Strata Management');
    const s = tree.sites[0];
    expect(s?.floors.map((f) => f.name)).toEqual(['B2', 'B1', 'Ground']);
    expect(s?.stations[0]).toMatchObject({ id: st.id, floorId: b1.id });
    expect(s?.stations[0]?.connectors).toHaveLength(3);

    // Move to another floor, clear the password; connector edits keep other fields.
    const moved = await t.ok(admin, 'station-update', {
      id: st.id,
      floorId: ground.id,
      password: null,
    });
    expect(moved).toMatchObject({
      floorId: ground.id,
      hasPassword: false,
      maxCurrentA: 32,
      name: st.name,
    });
    const c1 = st.connectors[0];
    if (!c1) throw new Error('no connector');
    const withType = await t.ok(admin, 'connector-update', {
      id: c1.id,
      type: 'Type2',
      maxCurrentA: 16,
    });
    const renamed = await t.ok(admin, 'connector-update', { id: c1.id, name: 'Left' });
    expect(renamed.connectors[0]).toMatchObject({ name: 'Left', type: 'Type2', maxCurrentA: 16 });
    expect(withType.connectors[0]?.type).toBe('Type2');

    expect(events.filter((e) => e.type === 'tree-changed').length).toBeGreaterThanOrEqual(7);
    expect(events.every((e) => e.type !== 'tree-changed' || e.siteId === site.id)).toBe(true);
    expect(b2.level).toBe(-2);
  });

  it('uses the hooks other domains provide for connection state and transactions', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    const st = await t.ok(admin, 'station-create', aStation(site.id, { identity: 'LIVE-1' }));
    t.core.services.model.provideHooks({
      isConnected: (identity) => identity === 'LIVE-1',
      hasTransactions: (id) => id === st.id,
    });
    expect((await t.ok(admin, 'station-get', { id: st.id })).connected).toBe(true);
    expect((await t.ok(admin, 'tree-get', {})).sites[0]?.stations[0]?.connected).toBe(true);
    const e = await t.fail(admin, 'station-delete', { id: st.id });
    expect(e.code).toBe('conflict');
    expect((await t.ok(admin, 'station-list', {})).length).toBe(1);
  });

  it('refuses to delete a site or floor with children, and explains', async () => {
    const t = await makeCore();
    const { admin } = await setupAdmin(t);
    const site = await t.ok(admin, 'site-create', aSite());
    const f1 = await t.ok(admin, 'floor-create', aFloor(site.id));
    await t.ok(admin, 'floor-create', aFloor(site.id));
    const e = await t.fail(admin, 'site-delete', { id: site.id });
    expect(e).toMatchObject({ code: 'conflict', message: 'Move or delete its 2 floors first.' });

    const st = await t.ok(admin, 'station-create', aStation(site.id, { floorId: f1.id }));
    expect((await t.fail(admin, 'floor-delete', { id: f1.id })).code).toBe('conflict');
    expect((await t.ok(admin, 'floor-list', { siteId: site.id })).length).toBe(2);

    await t.ok(admin, 'station-delete', { id: st.id });
    for (const f of await t.ok(admin, 'floor-list', { siteId: site.id })) {
      await t.ok(admin, 'floor-delete', { id: f.id });
    }
    await t.ok(admin, 'site-delete', { id: site.id });
    expect((await t.fail(admin, 'site-get', { id: site.id })).code).toBe('not-found');
  });

  it('a floor deleted while a station is being moved onto it (with a new password) gives a field error', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    const st = await t.ok(admin, 'station-create', aStation(site.id));
    const floor = await t.ok(admin, 'floor-create', aFloor(site.id));
    // The update hashes the charger password (async); the delete lands during that.
    const [moved, deleted] = await Promise.all([
      t.call(admin, 'station-update', {
        id: st.id,
        floorId: floor.id,
        password: 'a new charger secret',
      }),
      t.call(admin, 'floor-delete', { id: floor.id }),
    ]);
    expect(deleted.ok).toBe(true);
    expect(moved.ok ? null : moved.error).toMatchObject({ code: 'validation', field: 'floorId' });
    expect((await t.ok(admin, 'station-get', { id: st.id })).floorId).toBeNull();
  });

  it('validation errors name the field and write nothing', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    const other = await t.ok(admin, 'site-create', aSite());
    const otherFloor = await t.ok(admin, 'floor-create', aFloor(other.id));
    const stations = () => countRows(t, 'stations');

    const cases: [string, unknown, string][] = [
      ['station-create', { ...aStation(site.id), identity: 'has space' }, 'identity'],
      ['station-create', { ...aStation(site.id), maxCurrentA: 2 }, 'maxCurrentA'],
      ['station-create', { ...aStation(site.id), floorId: otherFloor.id }, 'floorId'],
      ['station-create', { ...aStation(site.id), password: 'short' }, 'password'],
      ['site-create', { ...aSite(), timeZone: 'Nowhere/Else' }, 'timeZone'],
      ['organisation-update', { name: 'X', abn: '12 345 678 901' }, 'abn'],
      ['user-create', aUser({ email: 'not-an-email' }), 'email'],
      ['user-create', aUser({ role: 'site_admin', siteIds: [] }), 'siteIds'],
      ['user-create', aUser({ role: 'site_admin', siteIds: [9999] }), 'siteIds'],
      ['user-create', aUser({ password: 'short' }), 'password'],
    ];
    const users = countRows(t, 'users');
    for (const [method, input, field] of cases) {
      const e = await t.fail(admin, method as 'site-create', input);
      expect(e.code, method).toBe('validation');
      expect(e.field, method).toBe(field);
      // In words, with the field in `fields` (the message no longer starts "field: ").
      expect(
        e.fields?.map((f) => f.field),
        method,
      ).toEqual([field]);
      expect(e.message, method).not.toContain(`${field}:`);
    }
    expect(stations()).toBe(0);
    expect(countRows(t, 'users')).toBe(users);
    expect((await t.ok(admin, 'organisation-get', {}))?.abn).toBe('51824753556');
  });

  it('identity and email uniqueness give a conflict with a clear message', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    await t.ok(admin, 'station-create', aStation(site.id, { identity: 'CP-DUP' }));
    const e = await t.fail(admin, 'station-create', aStation(site.id, { identity: 'CP-DUP' }));
    expect(e.code).toBe('conflict');
    expect(e.message).toContain('CP-DUP');
    const u = aUser();
    await t.ok(admin, 'user-create', u);
    const dup = await t.fail(admin, 'user-create', aUser({ email: u.email.toUpperCase() }));
    expect(dup).toMatchObject({ code: 'conflict', field: 'email' });
    expect(dup.message).toContain(u.email);
  });
});
