// Commissioning registers unknown chargers on the site (and floor) chosen when the window was
// opened, and a site administrator can only choose, or close, a window on their own sites.
import { describe, expect, it } from 'vitest';
import { ocppCore } from './helpers';
import { aFloor, aSite, loginAs } from '../support/factories';

async function twoSites() {
  const o = await ocppCore();
  const other = await o.t.ok(o.admin, 'site-create', aSite({ name: 'Bayside Towers' }));
  const level = await o.t.ok(o.admin, 'floor-create', aFloor(other.id, { name: 'Level B2' }));
  return { o, other, level };
}

describe('commissioning onto a chosen site', () => {
  it('registers a new charger on the site and floor chosen when opening, not the first site', async () => {
    const { o, other, level } = await twoSites();
    const state = await o.t.ok(o.admin, 'commissioning-set', {
      minutes: 30,
      siteId: other.id,
      floorId: level.id,
    });
    expect(state).toMatchObject({ open: true, siteName: 'Bayside Towers', floorName: 'Level B2' });
    expect(await o.sim('NEW-BAY-1').start()).toBe('Accepted');
    const stations = await o.t.ok(o.admin, 'station-list', {});
    expect(stations.find((s) => s.identity === 'NEW-BAY-1')).toMatchObject({
      siteId: other.id,
      floorId: level.id,
      approved: true,
    });
  });

  it('asks for the site when opening, and refuses a floor of another site', async () => {
    const { o, level } = await twoSites();
    const noSite = await o.t.fail(o.admin, 'commissioning-set', { minutes: 30 });
    expect(noSite).toMatchObject({ code: 'validation', field: 'siteId' });
    const wrongFloor = await o.t.fail(o.admin, 'commissioning-set', {
      minutes: 30,
      siteId: o.siteId,
      floorId: level.id,
    });
    expect(wrongFloor).toMatchObject({ code: 'validation', field: 'floorId' });
    expect((await o.t.ok(o.admin, 'commissioning-get', {})).open).toBe(false);
  });

  it('lets a site administrator open it onto their own site only, and not close another site’s window', async () => {
    const { o, other } = await twoSites();
    const { conn: bayside } = await loginAs(o.t, o.admin, 'site_admin', [other.id]);
    const forbidden = await o.t.fail(bayside, 'commissioning-set', {
      minutes: 30,
      siteId: o.siteId,
    });
    expect(forbidden.code).toBe('forbidden');
    expect((await o.t.ok(o.admin, 'commissioning-get', {})).open).toBe(false);

    await o.t.ok(bayside, 'commissioning-set', { minutes: 30, siteId: other.id });
    expect(await o.sim('BAYSIDE-NEW').start()).toBe('Accepted');
    const stations = await o.t.ok(o.admin, 'station-list', {});
    expect(stations.find((s) => s.identity === 'BAYSIDE-NEW')?.siteId).toBe(other.id);

    // The administrator moves the window to the first site: the Bayside administrator can
    // neither close it nor see that site's name.
    await o.t.ok(o.admin, 'commissioning-set', { minutes: 30, siteId: o.siteId });
    expect(await o.t.ok(bayside, 'commissioning-get', {})).toMatchObject({
      open: true,
      siteName: null,
    });
    expect((await o.t.fail(bayside, 'commissioning-set', { minutes: 0 })).code).toBe('forbidden');
    expect((await o.t.ok(o.admin, 'commissioning-get', {})).open).toBe(true);
  });

  it('the start-up flag (no site named) registers on the first site', async () => {
    const o = await ocppCore({
      ocpp: { host: '127.0.0.1', port: 0, callTimeoutMs: 2_000, commissioningMinutes: 10 },
    });
    expect(await o.t.ok(o.admin, 'commissioning-get', {})).toMatchObject({
      open: true,
      siteId: o.siteId,
    });
    expect(await o.sim('INSTALL-DAY').start()).toBe('Accepted');
    const stations = await o.t.ok(o.admin, 'station-list', {});
    expect(stations.find((s) => s.identity === 'INSTALL-DAY')?.siteId).toBe(o.siteId);
  });
});
