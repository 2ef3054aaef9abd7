// SMTP settings through the API: administrators only, the password write-only (never returned,
// never in the audit log), and "Send test email" explaining the server's exact failure.
import { describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { makeCore } from '../../support/make-core';
import { loginAs, setupAdmin } from '../../support/factories';
import { SMTP_PASSWORD, SMTP_USER, startSmtp } from '../../support/smtp';

const settings = (port: number, extra: Record<string, unknown> = {}) => ({
  host: '127.0.0.1',
  port,
  security: 'none' as const,
  user: SMTP_USER,
  password: SMTP_PASSWORD,
  from: 'billing@strata.example',
  ...extra,
});

describe('SMTP settings and the test email', () => {
  it('stores the password but no method returns it, and the audit log does not show it', async () => {
    const smtp = await startSmtp();
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    const saved = await t.ok(admin, 'mail-settings-update', settings(smtp.port));
    expect(saved).toMatchObject({ configured: true, passwordSet: true, user: SMTP_USER });
    expect(JSON.stringify(saved)).not.toContain(SMTP_PASSWORD);
    // Saving again without a password keeps the stored one (the form leaves it blank).
    const { password: _omit, ...withoutPassword } = settings(smtp.port);
    await t.ok(admin, 'mail-settings-update', {
      ...withoutPassword,
      replyTo: 'office@strata.example',
    });
    const read = await t.ok(admin, 'mail-settings-get', {});
    expect(read).toMatchObject({ passwordSet: true, replyTo: 'office@strata.example' });
    expect(JSON.stringify(read)).not.toContain(SMTP_PASSWORD);
    expect(await t.ok(admin, 'mail-test-send', { to: 'me@example.com' })).toMatchObject({
      sent: true,
    });
    const audit = await t.ok(admin, 'audit-list', { method: 'mail-settings-update' });
    expect(audit.total).toBe(2);
    expect(JSON.stringify(audit)).not.toContain(SMTP_PASSWORD);

    const { conn: siteAdmin } = await loginAs(t, admin, 'site_admin', [site.id]);
    expect((await t.fail(siteAdmin, 'mail-settings-get', {})).code).toBe('forbidden');
    expect((await t.fail(siteAdmin, 'mail-outbox-list', {})).code).toBe('forbidden');
  });

  it('names the invalid fields in words', async () => {
    const t = await makeCore();
    const { admin } = await setupAdmin(t);
    const e = await t.fail(admin, 'mail-settings-update', settings(0, { from: 'not an address' }));
    expect(e.code).toBe('validation');
    expect(e.message).toMatch(/port|from/i);
  });

  it('says how to fix a wrong password, a refused recipient, a dead host and a TLS mismatch', async () => {
    const smtp = await startSmtp({ refuse: ['nobody@example.com'] });
    const t = await makeCore();
    const { admin } = await setupAdmin(t);
    const test = async (extra: Record<string, unknown>, to = 'me@example.com') => {
      await t.ok(admin, 'mail-settings-update', settings(smtp.port, extra));
      return t.ok(admin, 'mail-test-send', { to });
    };

    const wrong = await test({ password: 'not it' });
    expect(wrong.sent).toBe(false);
    expect(wrong.message).toMatch(/refused the user name or password.*Check the user and password/);
    expect(wrong.serverAnswer).toMatch(/535/);

    const refused = await test({}, 'nobody@example.com');
    expect(refused.message).toMatch(/refused the message or its recipient.*Check the recipient/);
    expect(refused.serverAnswer).toMatch(/550/);

    // A port where nothing listens: a server just closed.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const address = closed.address();
    const deadPort = address && typeof address === 'object' ? address.port : 1;
    await new Promise<void>((r) => closed.close(() => r()));
    const dead = await test({ port: deadPort });
    expect(dead.message).toBe(
      `Nothing answers at 127.0.0.1:${deadPort} (connection refused). Check the host and port, and that the mail server is running.`,
    );

    // TLS from the first byte against a plain SMTP port.
    const tls = await test({ security: 'tls' });
    expect(tls.sent).toBe(false);
    expect(tls.message).toMatch(/secure \(TLS\) connection .* failed.*465 uses TLS/);
  });
});
