// The dashboard in the core: each user's layout follows them (and only them), panel ids are
// checked, and the energy panel's today / this month / per-day figures are local days of the
// site's zone, from a real simulated charger's sessions.
import { describe, expect, it } from 'vitest';
import { makeCore } from '../../support/make-core';
import { ocppCore } from '../../ocpp/helpers';
import { ADMIN_EMAIL, ADMIN_PASSWORD, aSite, loginAs, setupAdmin } from '../../support/factories';

describe('dashboard layout per user', () => {
  it('keeps each user’s own layout; nobody reaches another’s', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    const a = await loginAs(t, admin, 'site_admin', [site.id]);
    const b = await loginAs(t, admin, 'support');

    const fresh = await t.ok(a.conn, 'dashboard-layout-get', {});
    expect(fresh.saved).toBe(false);
    expect(fresh.panels).toContain('energy');

    await t.ok(a.conn, 'dashboard-layout-set', { panels: ['energy', 'states'] });
    await t.ok(b.conn, 'dashboard-layout-set', { panels: ['events'] });
    expect(await t.ok(a.conn, 'dashboard-layout-get', {})).toEqual({
      panels: ['energy', 'states'],
      saved: true,
    });
    expect((await t.ok(b.conn, 'dashboard-layout-get', {})).panels).toEqual(['events']);
    // The administrator's own is untouched by both.
    expect((await t.ok(admin, 'dashboard-layout-get', {})).saved).toBe(false);

    // There is no way to name another user: a user id in the input is refused, and saves nothing.
    const e = await t.fail(b.conn, 'dashboard-layout-set', { userId: a.user.id, panels: [] });
    expect(e.code).toBe('validation');
    expect((await t.ok(a.conn, 'dashboard-layout-get', {})).panels).toEqual(['energy', 'states']);
    const r = await t.fail(b.conn, 'dashboard-layout-get', { userId: a.user.id });
    expect(r.code).toBe('validation');

    // After a restart (a new browser, another computer) it is still there.
    await t.restart();
    const again = t.conn();
    await t.ok(again, 'session-login', { email: a.user.email, password: 'a long user passphrase' });
    expect((await t.ok(again, 'dashboard-layout-get', {})).panels).toEqual(['energy', 'states']);
  });

  it('refuses unknown or repeated panels, naming the field', async () => {
    const t = await makeCore();
    const { admin } = await setupAdmin(t);
    await t.ok(admin, 'dashboard-layout-set', { panels: ['states'] });
    const unknown = await t.fail(admin, 'dashboard-layout-set', { panels: ['states', 'weather'] });
    expect(unknown.code).toBe('validation');
    expect(unknown.field).toBe('panels.1');
    const twice = await t.fail(admin, 'dashboard-layout-set', { panels: ['states', 'states'] });
    expect(twice.message).toMatch(/once/);
    expect((await t.ok(admin, 'dashboard-layout-get', {})).panels).toEqual(['states']);
  });
});

describe('site map tile server', () => {
  it('is set by administrators only, with {z}/{x}/{y} checked', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    const manager = await loginAs(t, admin, 'site_admin', [site.id]);
    expect((await t.ok(manager.conn, 'site-map-settings-get', {})).isDefault).toBe(true);
    const bad = await t.fail(admin, 'site-map-settings-update', {
      tileUrl: 'https://tiles.example.com/{z}/{x}.png',
    });
    expect(bad.field).toBe('tileUrl');
    expect(bad.message).toMatch(/\{z\}, \{x\} and \{y\}/);
    const denied = await t.fail(manager.conn, 'site-map-settings-update', {
      tileUrl: 'https://tiles.example.com/{z}/{x}/{y}.png',
    });
    expect(denied.code).toBe('forbidden');
    await t.ok(admin, 'site-map-settings-update', {
      tileUrl: 'https://tiles.example.com/{z}/{x}/{y}.png',
    });
    expect(await t.ok(manager.conn, 'site-map-settings-get', {})).toEqual({
      tileUrl: 'https://tiles.example.com/{z}/{x}/{y}.png',
      isDefault: false,
    });
    const audit = await t.ok(admin, 'audit-list', { limit: 5 });
    expect(audit.entries.some((a) => a.method === 'site-map-settings-update')).toBe(true);
  });
});

describe('energy panel', () => {
  it('counts today and this month in the site’s local days', async () => {
    const o = await ocppCore();
    const { identity } = await o.station({ name: 'Bay 3' });
    const sim = o.sim(identity);
    await sim.start();
    const account = await o.t.ok(o.admin, 'account-create', {
      siteId: o.siteId,
      lotNumber: '3',
      unitNumber: '301',
      ownerNames: 'Ari Tan',
    });
    const card = await o.t.ok(o.admin, 'card-issue', {
      siteId: o.siteId,
      accountId: account.id,
      number: '03030303',
      label: 'Ari’s card',
    });
    const session = async (at: string, minutes: number) => {
      o.t.clock.set(Date.parse(at));
      await sim.startTransaction(1, card.idTag);
      o.t.clock.set(Date.parse(at) + minutes * 60_000);
      sim.advanceMeter(1, minutes * 60);
      await sim.stopTransaction(1);
    };
    const wh = (minutes: number) => 32 * 230 * 3 * (minutes / 60);
    await session('2026-03-05T01:00:00Z', 30); // 5 Mar, Sydney: this month, not today
    await session('2026-03-31T12:00:00Z', 20); // 31 Mar 23:00 AEDT: last month by the 1 Apr view
    await session('2026-03-31T13:30:00Z', 60); // 1 Apr 00:30 AEDT (31 Mar in UTC): today
    o.t.clock.set(Date.parse('2026-03-31T23:00:00Z')); // 1 Apr 10:00 AEDT
    const admin = o.t.conn();
    await o.t.ok(admin, 'session-login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });

    const e = await o.t.ok(admin, 'dashboard-energy', { siteId: o.siteId });
    expect(e.zone).toBe('Australia/Sydney');
    expect(e.today).toEqual({ date: '2026-04-01', sessions: 1, energyWh: wh(60) });
    expect(e.month).toEqual({ month: '2026-04', sessions: 1, energyWh: wh(60) });
    expect(e.days).toHaveLength(30);
    expect(e.days.at(-1)?.date).toBe('2026-04-01');
    expect(e.days.find((d) => d.date === '2026-03-31')?.energyWh).toBe(wh(20));
    expect(e.days.find((d) => d.date === '2026-03-05')?.energyWh).toBe(wh(30));

    // Another site's manager sees nothing of it, and cannot name it.
    const other = await o.t.ok(admin, 'site-create', aSite());
    const m = await loginAs(o.t, admin, 'site_admin', [other.id]);
    expect((await o.t.ok(m.conn, 'dashboard-energy', {})).month.energyWh).toBe(0);
    expect((await o.t.fail(m.conn, 'dashboard-energy', { siteId: o.siteId })).code).toBe(
      'forbidden',
    );
  });
});
