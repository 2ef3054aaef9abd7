// Refused WebSocket handshakes from the LAN: wrong passwords are throttled per identity and per
// address without locking a genuine charger out, refused chargers stay a bounded, paged list with
// coalesced events, and a charger that cannot be adopted says why.
import { describe, expect, it, onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
import { ocppCore, waitFor } from './helpers';
import { HandshakeThrottle } from '../../src-main/ocpp/handshake-throttle';
import { DEFAULT_LIMITS, type OcppLimits } from '../../src-main/ocpp/limits';
import type { CoreEvent } from '../../src-shared/api/events';

/** One handshake: the HTTP status it was refused with, or 101 when accepted. */
function handshake(
  url: string,
  identity: string,
  opts: { password?: string; from?: string; protocols?: string[] } = {},
): Promise<number> {
  const auth = opts.password
    ? { Authorization: `Basic ${Buffer.from(`${identity}:${opts.password}`).toString('base64')}` }
    : undefined;
  const ws = new WebSocket(`${url}/${identity}`, opts.protocols ?? ['ocpp1.6'], {
    headers: auth,
    localAddress: opts.from ?? '127.0.0.1',
  });
  onTestFinished(() => ws.terminate());
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(101));
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', (e) => reject(e));
  });
}

function withLimits(limits: Partial<OcppLimits>) {
  return ocppCore({ ocpp: { host: '127.0.0.1', port: 0, callTimeoutMs: 2_000, limits } });
}

describe('OCPP handshake throttling', () => {
  it('stops hashing guesses at a charger’s password, yet a genuine charger elsewhere still gets in', async () => {
    const o = await ocppCore();
    const password = 'the-genuine-secret-key';
    const { identity } = await o.station({ securityProfile: 1, password });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++)
      statuses.push(
        await handshake(o.url, identity, { password: `guess-number-${i}-xxxx`, from: '127.0.0.2' }),
      );
    // The first guesses are checked (401); then the identity's budget is spent and this address
    // is refused without a hash (429).
    expect(statuses.filter((s) => s === 401)).toHaveLength(DEFAULT_LIMITS.identityFailureBurst);
    expect(statuses.slice(DEFAULT_LIMITS.identityFailureBurst).every((s) => s === 429)).toBe(true);
    const { attempts } = await o.t.ok(o.admin, 'charger-attempts-list', {});
    expect(attempts.find((a) => a.identity === identity)?.count).toBe(
      DEFAULT_LIMITS.identityFailureBurst,
    );
    // The genuine charger, from an address with no refusals, is let through (and its password
    // remembered: accepted next time even from the guessing address).
    expect(await handshake(o.url, identity, { password, from: '127.0.0.3' })).toBe(101);
    expect(await handshake(o.url, identity, { password, from: '127.0.0.2' })).toBe(101);
  });

  it('throttles refused handshakes per address: random identities stop being recorded', async () => {
    const o = await ocppCore();
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++)
      statuses.push(await handshake(o.url, `RANDOM-${i}`, { from: '127.0.0.4' }));
    expect(statuses.filter((s) => s === 401)).toHaveLength(DEFAULT_LIMITS.addressFailureBurst);
    expect(statuses.slice(DEFAULT_LIMITS.addressFailureBurst).every((s) => s === 429)).toBe(true);
    expect((await o.t.ok(o.admin, 'charger-attempts-list', {})).total).toBe(
      DEFAULT_LIMITS.addressFailureBurst,
    );
    // Another address is not affected; nor is a known charger on the throttled one.
    expect(await handshake(o.url, 'RANDOM-X', { from: '127.0.0.5' })).toBe(401);
    const { identity } = await o.station();
    expect(await handshake(o.url, identity, { from: '127.0.0.4' })).toBe(101);
  });

  it('runs at most two password hashes at a time, clean addresses first', async () => {
    const t = new HandshakeThrottle(DEFAULT_LIMITS);
    let running = 0;
    let most = 0;
    const order: string[] = [];
    const releases: (() => void)[] = [];
    const job = (name: string, clean: boolean) =>
      t.hash(clean, async () => {
        running++;
        most = Math.max(most, running);
        order.push(name);
        await new Promise<void>((r) => releases.push(r));
        running--;
      });
    const all = [job('a', false), job('b', false), job('c', false), job('d', true)];
    for (let i = 0; i < 4; i++) {
      await waitFor(() => releases.length > i, 'a job running');
      releases[i]?.();
    }
    await Promise.all(all);
    expect(most).toBe(2);
    expect(order).toEqual(['a', 'b', 'd', 'c']);
  });
});

describe('refused chargers list', () => {
  it('keeps at most 500 rows, pages them, and sends at most about one event per second', async () => {
    const o = await withLimits({ addressFailureBurst: 10_000 });
    const seen: CoreEvent[] = [];
    onTestFinished(o.t.core.events.subscribe((e) => e.type === 'charger-attempt' && seen.push(e)));
    const started = Date.now();
    for (let i = 0; i < 520; i += 40)
      await Promise.all(
        Array.from({ length: Math.min(40, 520 - i) }, (_, k) =>
          handshake(o.url, `RANDOM-${i + k}`),
        ),
      );
    const elapsedS = (Date.now() - started) / 1000;
    expect(seen.length).toBeLessThanOrEqual(Math.ceil(elapsedS) + 1);
    // The latest attempts are still announced (the trailing event of the last second).
    const lastBatch = new Set(Array.from({ length: 40 }, (_, k) => `RANDOM-${480 + k}`));
    await waitFor(() => {
      const e = seen.at(-1);
      return e?.type === 'charger-attempt' && lastBatch.has(e.identity);
    }, 'the trailing event');
    const page = await o.t.ok(o.admin, 'charger-attempts-list', { limit: 50, offset: 0 });
    expect(page.total).toBe(500);
    expect(page.attempts).toHaveLength(50);
    const last = await o.t.ok(o.admin, 'charger-attempts-list', { limit: 50, offset: 480 });
    expect(last.attempts).toHaveLength(20);
    const ids = new Set([...page.attempts, ...last.attempts].map((a) => a.identity));
    expect(ids.size).toBe(70);
  });

  it('lists an OCPP 2.0.1-only charger with the reason, and offers Adopt only to chargers that can be stations', async () => {
    const o = await ocppCore();
    expect(await handshake(o.url, 'NEW-201', { protocols: ['ocpp2.0.1'] })).toBe(400);
    expect(await handshake(o.url, 'x'.repeat(60))).toBe(400);
    expect(await handshake(o.url, 'NEW-16')).toBe(401);
    const { attempts } = await o.t.ok(o.admin, 'charger-attempts-list', {});
    const by = (id: string) => attempts.find((a) => a.identity === id);
    expect(by('NEW-201')).toMatchObject({
      reason: expect.stringMatching(/^speaks OCPP 2\.0\.1 only/),
      adoptable: false,
      notAdoptable: expect.stringContaining('OCPP 1.6J'),
    });
    expect(by('x'.repeat(60))).toMatchObject({
      adoptable: false,
      notAdoptable: expect.stringContaining('not a valid station id'),
    });
    expect(by('NEW-16')).toMatchObject({ adoptable: true, notAdoptable: null });
  });
});
