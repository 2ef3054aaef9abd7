// Wrong-password handshakes sent all at once: the throttle must count each check before its
// (asynchronous) scrypt, or a parallel burst passes the check while the first hashes run.
import { describe, expect, it, onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
import { ocppCore } from './helpers';
import { DEFAULT_LIMITS } from '../../src-main/ocpp/limits';

function handshake(url: string, identity: string, password: string, from: string) {
  const basic = Buffer.from(`${identity}:${password}`).toString('base64');
  const ws = new WebSocket(`${url}/${identity}`, ['ocpp1.6'], {
    headers: { Authorization: `Basic ${basic}` },
    localAddress: from,
  });
  onTestFinished(() => ws.terminate());
  return new Promise<number>((resolve, reject) => {
    ws.once('open', () => resolve(101));
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', (e) => reject(e));
  });
}

describe('OCPP handshake throttling under a parallel burst', () => {
  it('checks at most the identity’s budget of 40 guesses sent at once, and not the right one among them', async () => {
    const o = await ocppCore();
    const password = 'the-genuine-secret-key';
    const { identity } = await o.station({ securityProfile: 1, password });
    const guesses = Array.from({ length: 40 }, (_, i) =>
      i === 30 ? password : `guess-number-${i}-xxxx`,
    );
    const statuses = await Promise.all(
      guesses.map((p) => handshake(o.url, identity, p, '127.0.0.2')),
    );
    // 401 = the password was checked (hashed) and wrong; 429/503 = refused without a check.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(
      DEFAULT_LIMITS.identityFailureBurst,
    );
    expect(statuses[30]).not.toBe(101);
    const { attempts } = await o.t.ok(o.admin, 'charger-attempts-list', {});
    expect(attempts.find((a) => a.identity === identity)?.count).toBeLessThanOrEqual(
      DEFAULT_LIMITS.identityFailureBurst,
    );
    // The genuine charger, from an address with no refusals, still gets in.
    expect(await handshake(o.url, identity, password, '127.0.0.3')).toBe(101);
  });
});
