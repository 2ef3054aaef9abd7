// The way back from a forgotten password: an administrator's reset of any user, and the
// command-line reset of the last administrator (issue 8 #6).
import { describe, expect, it } from 'vitest';
import { makeCore } from '../../support/make-core';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  USER_PASSWORD,
  aUser,
  loginAs,
  setupAdmin,
} from '../../support/factories';
import { runServer } from '../../../src-main/http/service';
import { USAGE } from '../../../src-main/platform/service-options';
import { Capture, fakeRendererBuild, tempDir } from '../../server/support';

const NEW_PASSWORD = 'my own new passphrase';

describe('password reset by an administrator', () => {
  it('gives a one-time password that must be changed first, ends sessions, and is audited without it', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    const input = aUser({ role: 'site_admin', siteIds: [site.id] });
    const user = await t.ok(admin, 'user-create', input);
    const laptop = t.conn();
    await t.ok(laptop, 'session-login', { email: input.email, password: USER_PASSWORD });

    const { oneTimePassword, user: after } = await t.ok(admin, 'user-password-reset', {
      id: user.id,
    });
    expect(oneTimePassword).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    expect(after.mustChangePassword).toBe(true);
    // The user's open session has ended and the old password no longer works.
    expect((await t.fail(laptop, 'site-list', {})).code).toBe('unauthenticated');
    expect(
      (await t.fail(t.conn(), 'session-login', { email: input.email, password: USER_PASSWORD }))
        .code,
    ).toBe('unauthenticated');

    // The one-time password logs in, but nothing else works until a new password is chosen.
    const c = t.conn();
    await t.ok(c, 'session-login', { email: input.email, password: oneTimePassword });
    expect((await t.ok(c, 'session-current', {})).user?.mustChangePassword).toBe(true);
    const refused = await t.fail(c, 'site-list', {});
    expect(refused).toMatchObject({ code: 'forbidden', message: /choose a new password/ });
    await t.ok(c, 'password-change', {
      currentPassword: oneTimePassword,
      newPassword: NEW_PASSWORD,
    });
    expect((await t.ok(c, 'session-current', {})).user?.mustChangePassword).toBe(false);
    expect((await t.ok(c, 'site-list', {})).map((s) => s.id)).toEqual([site.id]);
    // The one-time password was one time only.
    expect(
      (await t.fail(t.conn(), 'session-login', { email: input.email, password: oneTimePassword }))
        .code,
    ).toBe('unauthenticated');

    const audit = await t.ok(admin, 'audit-list', { limit: 100 });
    const entry = audit.entries.find((e) => e.method === 'user-password-reset');
    expect(entry?.entityId).toBe(String(user.id));
    expect(JSON.stringify(audit)).not.toContain(oneTimePassword);
  });

  it('is for administrators only', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    const me = (await t.ok(admin, 'session-current', {})).user;
    const { conn: siteAdmin } = await loginAs(t, admin, 'site_admin', [site.id]);
    const { conn: support } = await loginAs(t, admin, 'support');
    for (const c of [siteAdmin, support]) {
      expect((await t.fail(c, 'user-password-reset', { id: me?.id ?? 0 })).code).toBe('forbidden');
    }
    await t.ok(t.conn(), 'session-login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  });
});

describe('npm run server -- --reset-admin-password', () => {
  async function resetFromCli(args: string[], env: Record<string, string> = {}) {
    const stdout = new Capture();
    const stderr = new Capture();
    const { exitCode, service } = await runServer(args, env, {
      rendererDir: fakeRendererBuild().rendererDir,
      stdout,
      stderr,
    });
    return { exitCode, service, stdout: stdout.text, stderr: stderr.text };
  }
  const oneTimeIn = (text: string) => /One-time password: (\S+)/.exec(text)?.[1] ?? '';

  it('prints a one-time password for the only administrator, while the service runs, then exits', async () => {
    const dataDir = tempDir('reset-admin-');
    const t = await makeCore({ dataDir });
    const { admin } = await setupAdmin(t);

    const r = await resetFromCli(['--data-dir', dataDir, '--reset-admin-password']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.service).toBeNull(); // it exits: no service was started
    const password = oneTimeIn(r.stdout);
    expect(password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    expect(r.stdout).toContain(ADMIN_EMAIL);

    // The running service sees it at once: the old session ended, the old password is refused.
    expect((await t.fail(admin, 'site-list', {})).code).toBe('unauthenticated');
    const c = t.conn();
    await t.ok(c, 'session-login', { email: ADMIN_EMAIL, password });
    expect((await t.fail(c, 'user-list', {})).code).toBe('forbidden');
    await t.ok(c, 'password-change', { currentPassword: password, newPassword: NEW_PASSWORD });
    const audit = await t.ok(c, 'audit-list', { limit: 100 });
    expect(audit.entries.map((e) => e.method)).toContain('command-line --reset-admin-password');
    expect(JSON.stringify(audit)).not.toContain(password);
  });

  it('asks which one when there are several administrators, and takes the email from the environment', async () => {
    const dataDir = tempDir('reset-admin-');
    const t = await makeCore({ dataDir });
    const { admin } = await setupAdmin(t);
    const second = aUser({ role: 'admin' });
    await t.ok(admin, 'user-create', second);

    const ambiguous = await resetFromCli(['--data-dir', dataDir, '--reset-admin-password']);
    expect(ambiguous.exitCode).toBe(1);
    expect(ambiguous.stderr).toContain(second.email);
    expect(ambiguous.stderr).toContain('--reset-admin-password <email>');
    await t.ok(admin, 'site-list', {}); // nothing was reset

    const unknown = await resetFromCli([
      '--data-dir',
      dataDir,
      '--reset-admin-password',
      'nobody@example.com',
    ]);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain('There is no administrator with the email');

    const named = await resetFromCli(['--data-dir', dataDir], {
      STRATACHARGE_RESET_ADMIN_PASSWORD: second.email.toUpperCase(),
    });
    expect(named.exitCode).toBe(0);
    await t.ok(t.conn(), 'session-login', {
      email: second.email,
      password: oneTimeIn(named.stdout),
    });
    await t.ok(admin, 'site-list', {}); // the other administrator is untouched
  });

  it('says so when the data folder has no database, and is in the help', async () => {
    const r = await resetFromCli(['--data-dir', tempDir('empty-'), '--reset-admin-password']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('There is no StrataCharge database in');
    expect(USAGE).toContain('--reset-admin-password');
    expect(USAGE).toContain('STRATACHARGE_RESET_ADMIN_PASSWORD');
  });
});
