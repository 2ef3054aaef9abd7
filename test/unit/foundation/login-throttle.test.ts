import { describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import { makeCore } from '../../support/make-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, setupAdmin } from '../../support/factories';
import { loginFailures } from '../../../src-main/db/schema';
import { DEFAULT_THROTTLE_CONFIG } from '../../../src-main/auth/login-throttle';

describe('login throttling', () => {
  it('a parallel burst of 200 guesses is evaluated at most 5 times and the right one is refused', async () => {
    const t = await makeCore();
    await setupAdmin(t);
    // Every guess from its own connection (browser tab), all on 127.0.0.1, all at once.
    const guesses = Array.from({ length: 200 }, (_, i) =>
      i === 150 ? ADMIN_PASSWORD : `guess number ${i}`,
    );
    const results = await Promise.all(
      guesses.map((password) =>
        t.call(t.conn(), 'session-login', { email: ADMIN_EMAIL, password }),
      ),
    );
    const codes = results.map((r) => (r.ok ? 'ok' : r.error.code));
    // Only attempts that were let through to the password check answer other than `throttled`.
    const evaluated = codes.filter((c) => c !== 'throttled');
    expect(evaluated.length).toBeLessThanOrEqual(DEFAULT_THROTTLE_CONFIG.freeFailures);
    expect(codes[150]).toBe('throttled');
    expect(codes).not.toContain('ok');
    const refused = results[150];
    expect(refused && !refused.ok && refused.error.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('failing on a made-up email from the same address does not block the administrator', async () => {
    const t = await makeCore();
    await setupAdmin(t);
    for (let i = 0; i < 12; i++) {
      await t.call(t.conn(), 'session-login', { email: 'nobody@example.com', password: 'x' });
    }
    expect(
      (await t.fail(t.conn(), 'session-login', { email: 'nobody@example.com', password: 'x' }))
        .code,
    ).toBe('throttled');
    await t.ok(t.conn(), 'session-login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  });

  it('waits longer after each further failure, up to the cap, and the answer says how long', async () => {
    const t = await makeCore();
    await setupAdmin(t);
    const guess = () =>
      t.call(t.conn(), 'session-login', { email: ADMIN_EMAIL, password: 'wrong guess' });
    for (let i = 0; i < 5; i++) expect((await guess()).ok).toBe(false);
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await guess();
      if (r.ok || r.error.code !== 'throttled') throw new Error('expected throttled');
      expect(r.error.message).toMatch(/Try again in \d+ (seconds?|minutes?)\./);
      const wait = r.error.retryAfterSeconds ?? 0;
      waits.push(wait);
      t.clock.advance(wait * 1000);
      // Once the wait is over, one more (wrong) guess is evaluated, and the wait grows.
      const evaluated = await guess();
      expect(!evaluated.ok && evaluated.error.code).toBe('unauthenticated');
    }
    expect(waits.slice(0, 4)).toEqual([30, 60, 120, 240]);
    expect(Math.max(...waits)).toBe(15 * 60);
    // The right password works once the wait is over, and clears the count.
    const r = await guess();
    t.clock.advance((!r.ok && r.error.retryAfterSeconds ? r.error.retryAfterSeconds : 0) * 1000);
    await t.ok(t.conn(), 'session-login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    expect((await guess()).ok).toBe(false);
    expect((await guess()).ok).toBe(false);
    const third = await guess();
    expect(!third.ok && third.error.code).toBe('unauthenticated');
  });

  it('remembers a bounded number of failures for made-up emails', async () => {
    const t = await makeCore({
      auth: { throttle: { ...DEFAULT_THROTTLE_CONFIG, maxUnknownFailures: 10 } },
    });
    await setupAdmin(t);
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        t.call(t.conn(), 'session-login', { email: `made-up-${i}@example.com`, password: 'x' }),
      ),
    );
    const rows = t.core.db.select({ n: count() }).from(loginFailures).get()?.n;
    expect(rows).toBeLessThanOrEqual(10);
  });

  it('guesses at the current password through password-change count against the account', async () => {
    const t = await makeCore();
    const { admin } = await setupAdmin(t);
    const codes = (
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          t.call(admin, 'password-change', {
            currentPassword: i === 20 ? ADMIN_PASSWORD : `guess number ${i}`,
            newPassword: 'a brand new passphrase',
          }),
        ),
      )
    ).map((r) => (r.ok ? 'ok' : r.error.code));
    expect(codes.filter((c) => c !== 'throttled').length).toBeLessThanOrEqual(5);
    expect(codes[20]).toBe('throttled');
  });
});
