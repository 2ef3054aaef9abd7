import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { makeCore } from '../../support/make-core';
import { exportAuditCsv } from '../../support/download';
import {
  USER_PASSWORD,
  aSite,
  aStation,
  aUser,
  loginAs,
  setupAdmin,
} from '../../support/factories';

describe('users', () => {
  it('lists users without password hashes', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    await t.ok(admin, 'user-create', aUser({ role: 'site_admin', siteIds: [site.id] }));
    const list = await t.ok(admin, 'user-list', {});
    expect(list).toHaveLength(2);
    expect(list.find((u) => u.role === 'site_admin')?.siteIds).toEqual([site.id]);
    expect(JSON.stringify(list)).not.toMatch(/scrypt|passwordHash/);
  });

  it('protects yourself and the last active administrator', async () => {
    const t = await makeCore();
    const { admin } = await setupAdmin(t);
    const me = (await t.ok(admin, 'session-current', {})).user;
    if (!me) throw new Error('not logged in');
    expect((await t.fail(admin, 'user-delete', { id: me.id })).code).toBe('conflict');
    expect((await t.fail(admin, 'user-update', { id: me.id, disabled: true })).code).toBe(
      'conflict',
    );
    expect((await t.fail(admin, 'user-update', { id: me.id, role: 'support' })).code).toBe(
      'conflict',
    );

    // A second administrator may be demoted or disabled (and is logged out when disabled).
    const { conn: admin2, user: second } = await loginAs(t, admin, 'admin');
    await t.ok(admin, 'user-update', { id: second.id, role: 'support' });
    await t.ok(admin, 'user-update', { id: second.id, role: 'admin', disabled: true });
    expect((await t.fail(admin2, 'user-list', {})).code).toBe('unauthenticated');
    await t.ok(admin, 'user-update', { id: second.id, disabled: false });

    // The second administrator disables the first; they cannot then remove themselves, so an
    // active administrator always remains.
    const c2 = t.conn();
    await t.ok(c2, 'session-login', { email: second.email, password: USER_PASSWORD });
    await t.ok(c2, 'user-update', { id: me.id, disabled: true });
    expect((await t.fail(admin, 'user-list', {})).code).toBe('unauthenticated');
    expect((await t.fail(c2, 'user-delete', { id: second.id })).code).toBe('conflict');
    expect((await t.fail(c2, 'user-update', { id: second.id, role: 'ev_user' })).code).toBe(
      'conflict',
    );
    const active = (await t.ok(c2, 'user-list', {})).filter(
      (u) => u.role === 'admin' && !u.disabled,
    );
    expect(active.map((u) => u.id)).toEqual([second.id]);
    // Deleting the disabled first administrator is fine.
    await t.ok(c2, 'user-delete', { id: me.id });
  });

  it('keeps one administrator when two demote each other at once (with password resets)', async () => {
    const t = await makeCore();
    const { admin } = await setupAdmin(t);
    const me = (await t.ok(admin, 'session-current', {})).user;
    if (!me) throw new Error('not logged in');
    const { conn: admin2, user: second } = await loginAs(t, admin, 'admin');
    // Each call hashes a new password (async) before it writes: the two interleave.
    const [a, b] = await Promise.all([
      t.call(admin, 'user-update', {
        id: second.id,
        role: 'support',
        password: 'a brand new passphrase',
      }),
      t.call(admin2, 'user-update', {
        id: me.id,
        role: 'support',
        password: 'another new passphrase',
      }),
    ]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    const failed = a.ok ? b : a;
    expect(failed.ok ? null : failed.error.code).toBe('conflict');
    const users = t.core.services.users.list();
    expect(users.filter((u) => u.role === 'admin' && !u.disabled)).toHaveLength(1);
  });

  it('a password reset by an administrator ends that user’s sessions', async () => {
    const t = await makeCore();
    const { admin } = await setupAdmin(t);
    const { conn, user } = await loginAs(t, admin, 'support');
    await t.ok(conn, 'station-list', {});
    await t.ok(admin, 'user-update', { id: user.id, password: 'reset by the admin' });
    expect((await t.fail(conn, 'station-list', {})).code).toBe('unauthenticated');
    await t.ok(t.conn(), 'session-login', { email: user.email, password: 'reset by the admin' });
  });
});

describe('audit log', () => {
  it('records before/after for changes with passwords redacted, filters and pages', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    t.clock.advance(60_000);
    const input = aUser({ name: 'Sam Support' });
    const user = await t.ok(admin, 'user-create', input);
    t.clock.advance(60_000);
    await t.ok(admin, 'site-update', { ...aSite({ name: 'Harbour View Renamed' }), id: site.id });
    t.clock.advance(60_000);
    const st = await t.ok(
      admin,
      'station-create',
      aStation(site.id, { identity: 'AUDIT-1', password: 'sixteen-chars-long!' }),
    );

    const created = await t.ok(admin, 'audit-list', { method: 'user-create' });
    expect(created.total).toBe(1);
    const entry = created.entries[0];
    expect(entry).toMatchObject({ entity: 'user', entityId: String(user.id), outcome: 'ok' });
    expect((entry?.input as { password: string }).password).toBe('[redacted]');
    expect((entry?.after as { email: string }).email).toBe(input.email);
    expect(JSON.stringify(entry)).not.toContain(input.password);

    const renamed = (await t.ok(admin, 'audit-list', { method: 'site-update' })).entries[0];
    expect((renamed?.before as { name: string }).name).toBe('Harbour View');
    expect((renamed?.after as { name: string }).name).toBe('Harbour View Renamed');
    expect(renamed?.siteId).toBe(site.id);

    const stationEntry = (await t.ok(admin, 'audit-list', { text: 'AUDIT-1' })).entries;
    expect(stationEntry.map((e) => e.method)).toEqual(['station-create']);
    expect(JSON.stringify(stationEntry)).not.toContain('sixteen-chars-long!');
    expect(stationEntry[0]?.entityId).toBe(String(st.id));

    // Newest first, paged, by time range and user.
    const all = await t.ok(admin, 'audit-list', {});
    expect(all.entries.map((e) => e.method)).toEqual([
      'station-create',
      'site-update',
      'user-create',
      'setup-complete',
    ]);
    const page = await t.ok(admin, 'audit-list', { limit: 2, offset: 1 });
    expect(page.total).toBe(4);
    expect(page.entries.map((e) => e.method)).toEqual(['site-update', 'user-create']);
    const ranged = await t.ok(admin, 'audit-list', {
      from: t.clock.now() - 120_000,
      to: t.clock.now() - 60_000,
    });
    expect(ranged.entries.map((e) => e.method)).toEqual(['site-update', 'user-create']);
    const me = (await t.ok(admin, 'session-current', {})).user;
    expect((await t.ok(admin, 'audit-list', { userId: me?.id ?? 0 })).total).toBe(3);
    // Literal text: a % is not a wildcard.
    expect((await t.ok(admin, 'audit-list', { text: '%' })).total).toBe(0);
  });

  it('exports CSV that parses back with the rows, ISO UTC and local times', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    await t.ok(admin, 'station-create', aStation(site.id, { name: 'Bay, "quoted"\nnew line' }));
    const { fileName, csv } = await exportAuditCsv(t, admin);
    expect(fileName).toMatch(/^audit-\d{8}\.csv$/);
    const parsed = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    // The export itself is audited (the download's ticket), and is in its own snapshot.
    expect(parsed.data.map((r) => r.method)).toEqual([
      'setup-complete',
      'station-create',
      'download-ticket-create',
    ]);
    const row = parsed.data[1];
    expect(row?.at_utc).toBe(new Date(t.clock.now()).toISOString());
    expect(row?.at_local).toMatch(/\d{1,2}\/\d{1,2}\/\d{2,4}/);
    expect(JSON.parse(row?.after ?? '{}')).toMatchObject({ name: 'Bay, "quoted"\nnew line' });
    const filtered = await exportAuditCsv(t, admin, { method: 'station-create' });
    expect(Papa.parse(filtered.csv, { header: true, skipEmptyLines: true }).data).toHaveLength(1);
  });
});
