// Refused WebSocket handshakes cost the server: a wrong password costs an scrypt (~50-100 ms of
// a thread-pool thread, shared with file I/O and the admin UI's logins), an unknown identity a
// row and an event. A LAN device trying passwords or random identities must not slow a genuine
// charger or the UI, nor lock a genuine charger out:
// - per source address, refused handshakes are a token bucket; an address over it gets 429
//   without any hash or row;
// - per identity, wrong passwords are a token bucket; once it is empty, only addresses with no
//   recent refusal may still try (a genuine charger elsewhere still gets in), and a password
//   that verified before is accepted from the cache without hashing at all (authentication.ts);
// - hashes run at most `maxConcurrentHashes` at a time, clean addresses first, and at most
//   `maxQueuedHashes` wait (503 beyond): the thread pool keeps room for everything else.
import { TokenBucket, type OcppLimits } from './limits';

/** Entries forgotten once refilled, checked when a map grows past this. */
const PRUNE_AT = 10_000;

export type ThrottleVerdict = 'ok' | 'address' | 'identity';

export class HandshakeThrottle {
  private readonly byAddress = new Map<string, TokenBucket>();
  private readonly byIdentity = new Map<string, TokenBucket>();
  private running = 0;
  private readonly waiting: { clean: boolean; go: () => void }[] = [];

  constructor(private readonly l: OcppLimits) {}

  /** Whether this address may still be refused (recorded, listed) rather than just dropped. */
  addressOk(ip: string | null, now: number): boolean {
    const b = ip === null ? undefined : this.byAddress.get(ip);
    return b === undefined || b.has(1, now);
  }

  /** Whether a password may be checked (hashed) for this identity from this address. */
  mayHash(identity: string, ip: string | null, now: number): ThrottleVerdict {
    if (!this.addressOk(ip, now)) return 'address';
    const id = this.byIdentity.get(identity);
    if (id === undefined || id.has(1, now)) return 'ok';
    return this.clean(ip, now) ? 'ok' : 'identity';
  }

  /**
   * mayHash, and when it says 'ok' the check is counted as a wrong password right away (in the
   * same synchronous step): checking first and counting after the hash let a parallel burst of
   * guesses all pass the check while the first hashes ran (34 hashed of 40 sent at once, for a
   * budget of 10). `forgive` gives the tokens back when the password was right.
   */
  reserveHash(
    identity: string,
    ip: string | null,
    now: number,
  ): { verdict: ThrottleVerdict; forgive: (at: number) => void } {
    const verdict = this.mayHash(identity, ip, now);
    if (verdict !== 'ok') return { verdict, forgive: () => undefined };
    // A clean address may try an identity whose budget is spent (a genuine charger elsewhere):
    // then there is no identity token to take.
    const tookIdentity = this.byIdentity.get(identity)?.has(1, now) ?? true;
    this.refused(ip, now, tookIdentity ? identity : null);
    return {
      verdict,
      forgive: (at) => {
        if (ip !== null) this.byAddress.get(ip)?.put(1, at);
        if (tookIdentity) this.byIdentity.get(identity)?.put(1, at);
      },
    };
  }

  /** A refused handshake from this address (and a wrong password for this identity). */
  refused(ip: string | null, now: number, wrongPasswordFor: string | null = null) {
    if (ip !== null)
      take(
        this.byAddress,
        ip,
        now,
        () =>
          new TokenBucket(this.l.addressFailuresPerMinute / 60, this.l.addressFailureBurst, now),
      );
    if (wrongPasswordFor !== null)
      take(
        this.byIdentity,
        wrongPasswordFor,
        now,
        () =>
          new TokenBucket(this.l.identityFailuresPerMinute / 60, this.l.identityFailureBurst, now),
      );
  }

  /** No refusal from this address recently. */
  clean(ip: string | null, now: number): boolean {
    const b = ip === null ? undefined : this.byAddress.get(ip);
    return b === undefined || b.full(now);
  }

  /**
   * Runs a hash when a slot is free (clean addresses ahead of the others); null when too many
   * already wait (the caller answers 503 and the charger retries).
   */
  async hash<T>(clean: boolean, f: () => Promise<T>): Promise<T | null> {
    if (this.running >= this.l.maxConcurrentHashes) {
      if (this.waiting.length >= this.l.maxQueuedHashes) return null;
      await new Promise<void>((go) => {
        const w = { clean, go };
        if (clean) {
          const i = this.waiting.findIndex((x) => !x.clean);
          if (i === -1) this.waiting.push(w);
          else this.waiting.splice(i, 0, w);
        } else this.waiting.push(w);
      });
    } else this.running++;
    try {
      return await f();
    } finally {
      const next = this.waiting.shift();
      if (next) next.go();
      else this.running--;
    }
  }
}

function take(map: Map<string, TokenBucket>, key: string, now: number, make: () => TokenBucket) {
  let b = map.get(key);
  if (!b) {
    if (map.size >= PRUNE_AT) for (const [k, v] of map) if (v.full(now)) map.delete(k);
    // Still full (more busy addresses than that): forget the oldest; memory stays bounded.
    if (map.size >= PRUNE_AT) map.delete(map.keys().next().value as string);
    map.set(key, (b = make()));
  }
  b.take(1, now);
}
