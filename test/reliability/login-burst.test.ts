// A parallel login burst over the API socket, as a script on the manager's PC (or a resident's
// browser) could send it: 500 wrong guesses at once, with the right password among them. The
// throttle must count every guess before its (slow, asynchronous) password check, so the right
// one is refused while the account is throttled; and since every browser user reaches the
// service from 127.0.0.1, the burst must not lock out a different account.
import { describe, expect, it } from 'vitest';
import { ADMIN, openApi, setupAndLogin, type ApiSocket } from './support/api';
import { testRng } from './support/prng';
import { serviceFor } from './support/service';

const WRONG = 500;
const SOCKETS = 10;

describe('parallel login burst', () => {
  it('refuses the right password while throttled and leaves other accounts alone', async () => {
    const rand = testRng('parallel login burst');
    const svc = await serviceFor();
    const { api } = await setupAndLogin(svc.apiUrl);
    const other = { email: 'sam@example.com', password: 'another long passphrase 42' };
    await api.ok('user-create', { ...other, name: 'Sam Support', role: 'support' });
    api.close();

    const sockets: ApiSocket[] = [];
    for (let i = 0; i < SOCKETS; i++) sockets.push(await openApi(svc.apiUrl));
    // The right guess goes out after at least 10 wrong ones (a throttle of a few attempts has
    // been reached by then), somewhere in the burst; all are sent before any is answered.
    const rightAt = rand.int(10, WRONG);
    const started = performance.now();
    const guesses = Array.from({ length: WRONG + 1 }, (_, i) => {
      const socket = sockets[i % SOCKETS] as ApiSocket;
      const password = i === rightAt ? ADMIN.password : `wrong guess ${i}`;
      return socket.call('session-login', { email: ADMIN.email, password }, 120_000);
    });
    const results = await Promise.all(guesses);
    const burstMs = Math.round(performance.now() - started);
    const right = results[rightAt];
    const wrong = results.filter((_, i) => i !== rightAt);
    const codes = new Map<string, number>();
    for (const r of wrong) {
      const code = r.ok ? 'ok' : r.error.code;
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    console.info(
      `[reliability] login burst: ${WRONG} wrong + 1 right (at ${rightAt}) in ${burstMs} ms: ${JSON.stringify(Object.fromEntries(codes))}, right → ${right?.ok ? 'ok' : right?.error.code} (seed ${rand.seed})`,
    );

    expect(wrong.filter((r) => r.ok)).toEqual([]);
    expect(right, 'the right password inside the burst').toMatchObject({
      ok: false,
      error: { code: 'throttled' },
    });
    // Counted before checking: only the first few guesses were evaluated at all.
    expect(
      codes.get('unauthenticated') ?? 0,
      'guesses whose password was checked',
    ).toBeLessThanOrEqual(10);

    // Everyone is on 127.0.0.1: a different account still logs in, at once.
    const fresh = await openApi(svc.apiUrl);
    expect(await fresh.call('session-login', other)).toMatchObject({ ok: true });
    fresh.close();
    for (const s of sockets) s.close();
  });
});
