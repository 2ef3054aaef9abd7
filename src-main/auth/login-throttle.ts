// Login throttling, per account. Each attempt is recorded as a failure BEFORE its password is
// verified (and forgiven when it turns out right): the check and the record are one synchronous
// step, so a burst of parallel guesses cannot all pass the check while the first hashes are still
// running. Never per address: every browser user of the service is on 127.0.0.1, and a lock on
// the address would let anyone lock the administrator out by failing on a made-up email.
import { and, asc, count, eq, gt, gte, inArray, lt } from 'drizzle-orm';
import { ApiFailure } from '../../src-shared/api/result';
import type { Db } from '../db/open';
import { loginFailures } from '../db/schema';

export interface ThrottleConfig {
  /** Failures allowed before the delays start. */
  freeFailures: number;
  /** Wait after the first failure beyond the free ones; doubles with each further failure. */
  baseDelayMs: number;
  /** The longest wait, however many failures. */
  maxDelayMs: number;
  /** Failures older than this are forgotten. */
  failureMemoryMs: number;
  /** Failures remembered for emails that are no account (made-up emails cost memory only). */
  maxUnknownFailures: number;
}

export const DEFAULT_THROTTLE_CONFIG: ThrottleConfig = {
  freeFailures: 5,
  baseDelayMs: 30_000,
  maxDelayMs: 15 * 60_000,
  failureMemoryMs: 24 * 60 * 60_000,
  maxUnknownFailures: 10_000,
};

/** Keys of made-up emails sort between these two (';' follows ':'), so a range uses the index. */
const UNKNOWN = 'unknown:';
const UNKNOWN_END = 'unknown;';

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;

export function createLoginThrottle(db: Db, config: ThrottleConfig = DEFAULT_THROTTLE_CONFIG) {
  /** The throttle key of an email: accounts and made-up emails are throttled alike, but
   *  kept apart so that made-up ones can be bounded without forgetting a real account's. */
  const keyOf = (email: string, isAccount: boolean) =>
    `${isAccount ? 'account:' : UNKNOWN}${email}`;

  /** How long to wait after `failures` failures (0 while they are within the free ones). */
  const delayAfter = (failures: number) =>
    failures < config.freeFailures
      ? 0
      : Math.min(config.maxDelayMs, config.baseDelayMs * 2 ** (failures - config.freeFailures));

  function forgetOld(now: number) {
    db.delete(loginFailures)
      .where(lt(loginFailures.at, now - config.failureMemoryMs))
      .run();
    const unknown = and(gte(loginFailures.key, UNKNOWN), lt(loginFailures.key, UNKNOWN_END));
    const excess =
      (db.select({ n: count() }).from(loginFailures).where(unknown).get()?.n ?? 0) -
      config.maxUnknownFailures;
    if (excess > 0) {
      const oldest = db
        .select({ id: loginFailures.id })
        .from(loginFailures)
        .where(unknown)
        .orderBy(asc(loginFailures.at), asc(loginFailures.id))
        .limit(excess)
        .all()
        .map((r) => r.id);
      db.delete(loginFailures).where(inArray(loginFailures.id, oldest)).run();
    }
  }

  return {
    keyOf,

    /**
     * Throws `throttled` (with retryAfterSeconds) while the key must wait; otherwise records
     * this attempt as a failure, which `succeeded` takes back. Synchronous on purpose: no other
     * attempt can run between the check and the record.
     */
    reserve(key: string, now: number): void {
      const failures = db
        .select({ at: loginFailures.at })
        .from(loginFailures)
        .where(and(eq(loginFailures.key, key), gt(loginFailures.at, now - config.failureMemoryMs)))
        .orderBy(asc(loginFailures.at))
        .all();
      const last = failures.at(-1)?.at;
      const waitUntil = last === undefined ? now : last + delayAfter(failures.length);
      if (waitUntil > now) {
        const retryAfterSeconds = Math.ceil((waitUntil - now) / 1000);
        throw new ApiFailure(
          'throttled',
          `Too many failed logins for this account. Try again in ${inWords(retryAfterSeconds)}.`,
          { retryAfterSeconds },
        );
      }
      db.transaction(() => {
        db.insert(loginFailures).values({ key, at: now }).run();
        forgetOld(now);
      });
    },

    /** The attempt was right: the account's failures are forgiven. */
    succeeded(key: string): void {
      db.delete(loginFailures).where(eq(loginFailures.key, key)).run();
    },
  };
}

function inWords(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
