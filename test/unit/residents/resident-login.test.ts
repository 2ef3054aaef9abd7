// A resident's EV-user login sees the resident's account only while the login has the account's
// site: linking a login of another site is refused (naming the field), and taking the site away
// from the login takes the account away too. Enforced in the core, whatever the UI offers.
import { describe, expect, it } from 'vitest';
import { makeCore } from '../../support/make-core';
import { aSite, loginAs, setupAdmin } from '../../support/factories';

describe('a resident’s EV-user login and its site', () => {
  it('must have the account’s site, now and later', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    const other = await t.ok(admin, 'site-create', aSite());
    const lot = await t.ok(admin, 'account-create', {
      siteId: site.id,
      lotNumber: '3',
      ownerNames: 'Lee Owner',
    });
    const lee = await t.ok(admin, 'resident-create', {
      accountId: lot.id,
      firstName: 'Lee',
      lastName: 'Owner',
    });
    const elsewhere = await loginAs(t, admin, 'ev_user', [other.id]);
    const refused = await t.fail(admin, 'resident-login-set', {
      id: lee.id,
      userId: elsewhere.user.id,
    });
    expect(refused).toMatchObject({ code: 'validation', field: 'userId' });
    expect(refused.message).toContain(site.name);
    expect((await t.ok(admin, 'account-get', { id: lot.id })).residents[0]?.userId).toBeNull();

    const here = await loginAs(t, admin, 'ev_user', [site.id]);
    await t.ok(admin, 'resident-login-set', { id: lee.id, userId: here.user.id });
    expect((await t.ok(here.conn, 'my-account-get', {})).accounts.map((a) => a.id)).toEqual([
      lot.id,
    ]);
    // The login is moved to the other site: it no longer sees the account.
    await t.ok(admin, 'user-update', { id: here.user.id, siteIds: [other.id] });
    const mine = await t.ok(here.conn, 'my-account-get', {});
    expect(mine).toMatchObject({ accounts: [], cards: [], sessions: [] });
  });
});
