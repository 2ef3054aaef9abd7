import { describe, expect, it } from 'vitest';
import { makeCore } from '../../support/make-core';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  USER_PASSWORD,
  aSetup,
  aUser,
  setupAdmin,
} from '../../support/factories';

describe('first-run setup', () => {
  it('is needed until an administrator exists, then logs the connection in', async () => {
    const t = await makeCore();
    const c = t.conn();
    const status = await t.ok(c, 'setup-status', {});
    expect(status.needsSetup).toBe(true);
    expect(status.defaultTimeZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);

    // Before setup nothing that needs a login works.
    expect((await t.fail(c, 'site-list', {})).code).toBe('unauthenticated');

    const { token } = await t.ok(c, 'setup-complete', aSetup());
    expect(c.token).toBe(token);
    const me = await t.ok(c, 'session-current', {});
    expect(me.user).toMatchObject({ email: ADMIN_EMAIL, role: 'admin' });
    expect(await t.ok(c, 'organisation-get', {})).toMatchObject({
      name: 'Harbour Strata Management',
      abn: '51824753556',
    });
    expect((await t.ok(c, 'site-list', {})).map((s) => s.name)).toEqual(['Harbour View']);
    expect((await t.ok(t.conn(), 'setup-status', {})).needsSetup).toBe(false);
  });

  it('refuses a second setup with setup-done and changes nothing', async () => {
    const t = await makeCore();
    await setupAdmin(t);
    const again = await t.fail(
      t.conn(),
      'setup-complete',
      aSetup({
        admin: { email: 'intruder@example.com', name: 'Mallory', password: 'a different one' },
      }),
    );
    expect(again.code).toBe('setup-done');
    const login = await t.call(t.conn(), 'session-login', {
      email: 'intruder@example.com',
      password: 'a different one',
    });
    expect(login.ok).toBe(false);
  });

  it('a bad site time zone names the field and leaves no administrator', async () => {
    const t = await makeCore();
    const e = await t.fail(
      t.conn(),
      'setup-complete',
      aSetup({ site: { name: 'X', timeZone: 'Mars/Olympus_Mons' } }),
    );
    expect(e.code).toBe('validation');
    expect(e.field).toBe('site.timeZone');
    expect((await t.ok(t.conn(), 'setup-status', {})).needsSetup).toBe(true);
  });

  it('is atomic: a failure creating the site rolls back the administrator and organisation', async () => {
    const t = await makeCore();
    // Make the last insert of the transaction fail inside SQLite itself.
    t.core.db.$client.exec(
      "CREATE TRIGGER no_sites BEFORE INSERT ON sites BEGIN SELECT RAISE(ABORT, 'disk says no'); END",
    );
    const e = await t.fail(t.conn(), 'setup-complete', aSetup());
    expect(e.code).toBe('internal');
    t.core.db.$client.exec('DROP TRIGGER no_sites');
    expect((await t.ok(t.conn(), 'setup-status', {})).needsSetup).toBe(true);
    const rows = t.core.db.$client
      .prepare('SELECT (SELECT count(*) FROM users) AS u, (SELECT count(*) FROM organisation) AS o')
      .get();
    expect(rows).toEqual({ u: 0, o: 0 });
    // And setup can then be completed normally.
    await setupAdmin(t);
  });
});

describe('sessions', () => {
  it('wrong password and unknown user get the same message', async () => {
    const t = await makeCore();
    await setupAdmin(t);
    const wrong = await t.fail(t.conn(), 'session-login', {
      email: ADMIN_EMAIL,
      password: 'not the password',
    });
    const unknown = await t.fail(t.conn('10.9.9.9'), 'session-login', {
      email: 'nobody@example.com',
      password: 'not the password',
    });
    expect(wrong.code).toBe('unauthenticated');
    expect(unknown).toEqual(wrong);
    const good = t.conn();
    await t.ok(good, 'session-login', { email: ' Admin@Example.com ', password: ADMIN_PASSWORD });
    expect((await t.ok(good, 'session-current', {})).user?.email).toBe(ADMIN_EMAIL);
  });

  it('a disabled account gets the same generic message', async () => {
    const t = await makeCore();
    const { admin } = await setupAdmin(t);
    const input = aUser();
    const u = await t.ok(admin, 'user-create', input);
    await t.ok(admin, 'user-update', { id: u.id, disabled: true });
    const e = await t.fail(t.conn(), 'session-login', {
      email: input.email,
      password: USER_PASSWORD,
    });
    expect(e.message).toBe('That email and password do not match an active account.');
  });

  it('throttles after 5 failures with retryAfterSeconds, even for the right password', async () => {
    const t = await makeCore();
    await setupAdmin(t);
    const c = t.conn('192.0.2.7');
    for (let i = 0; i < 5; i++) {
      expect(
        (await t.fail(c, 'session-login', { email: ADMIN_EMAIL, password: 'nope' })).code,
      ).toBe('unauthenticated');
    }
    const throttled = await t.fail(c, 'session-login', {
      email: ADMIN_EMAIL,
      password: ADMIN_PASSWORD,
    });
    expect(throttled.code).toBe('throttled');
    expect(throttled.retryAfterSeconds).toBeGreaterThan(0);
    expect(throttled.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    // Once the window has passed, the right password works again.
    t.clock.advance((throttled.retryAfterSeconds ?? 0) * 1000);
    await t.ok(c, 'session-login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  });

  it('expires after the idle time (ManualClock) and resume then fails', async () => {
    const t = await makeCore();
    const { admin } = await setupAdmin(t);
    const token = admin.token ?? '';
    t.clock.advance(7 * 60 * 60 * 1000);
    await t.ok(admin, 'site-list', {}); // activity slides the idle expiry
    t.clock.advance(7 * 60 * 60 * 1000);
    await t.ok(admin, 'site-list', {});

    // A reloaded tab resumes with the token.
    const tab = t.conn();
    const resumed = await t.ok(tab, 'session-resume', { token });
    expect(resumed.expiresAt).toBeGreaterThan(t.clock.now());
    expect((await t.ok(tab, 'session-current', {})).user?.email).toBe(ADMIN_EMAIL);

    t.clock.advance(8 * 60 * 60 * 1000 + 1);
    const e = await t.fail(admin, 'site-list', {});
    expect(e.code).toBe('unauthenticated');
    expect(e.message).toMatch(/expired/);
    expect((await t.fail(t.conn(), 'session-resume', { token })).code).toBe('unauthenticated');
    expect((await t.fail(t.conn(), 'session-resume', { token: 'made-up' })).code).toBe(
      'unauthenticated',
    );
  });

  it('logout ends the session for every connection using it', async () => {
    const t = await makeCore();
    const { admin } = await setupAdmin(t);
    const other = t.conn();
    await t.ok(other, 'session-resume', { token: admin.token ?? '' });
    await t.ok(admin, 'session-logout', {});
    expect(admin.token).toBeNull();
    expect((await t.ok(admin, 'session-current', {})).user).toBeNull();
    expect((await t.fail(other, 'site-list', {})).code).toBe('unauthenticated');
  });

  it('password change verifies the current one and ends other sessions', async () => {
    const t = await makeCore();
    const { admin } = await setupAdmin(t);
    const laptop = t.conn();
    await t.ok(laptop, 'session-login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });

    const wrong = await t.fail(admin, 'password-change', {
      currentPassword: 'not it at all',
      newPassword: 'a brand new passphrase',
    });
    expect(wrong.code).toBe('validation');
    expect(wrong.field).toBe('currentPassword');
    await t.ok(laptop, 'site-list', {}); // nothing changed yet

    await t.ok(admin, 'password-change', {
      currentPassword: ADMIN_PASSWORD,
      newPassword: 'a brand new passphrase',
    });
    await t.ok(admin, 'site-list', {}); // this session stays
    expect((await t.fail(laptop, 'site-list', {})).code).toBe('unauthenticated');
    expect(
      (await t.fail(t.conn(), 'session-login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }))
        .code,
    ).toBe('unauthenticated');
    await t.ok(t.conn(), 'session-login', {
      email: ADMIN_EMAIL,
      password: 'a brand new passphrase',
    });
  });
});
