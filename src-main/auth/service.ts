// Users' sessions and logins. Tokens are random 256-bit values given to the client
// once; only their SHA-256 is stored, so a copied database does not yield live sessions.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { ApiFailure } from '../../src-shared/api/result';
import type { Role } from '../../src-shared/roles';
import type { Db } from '../db/open';
import { authSessions, userSites, users } from '../db/schema';
import type { Caller } from '../platform/caller';
import { getDummyHash, verifyPassword } from './password';
import {
  createLoginThrottle,
  DEFAULT_THROTTLE_CONFIG,
  type ThrottleConfig,
} from './login-throttle';

export interface AuthConfig {
  /** Idle time after which a session expires. */
  sessionIdleMs: number;
  /** Absolute lifetime of a session. */
  sessionMaxMs: number;
  throttle: ThrottleConfig;
}

export const DEFAULT_AUTH_CONFIG: AuthConfig = {
  sessionIdleMs: 8 * 60 * 60 * 1000,
  sessionMaxMs: 7 * 24 * 60 * 60 * 1000,
  throttle: DEFAULT_THROTTLE_CONFIG,
};

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const GENERIC_LOGIN_ERROR = 'That email and password do not match an active account.';

export type AuthService = ReturnType<typeof createAuthService>;

export function createAuthService(db: Db, config: AuthConfig = DEFAULT_AUTH_CONFIG) {
  const throttle = createLoginThrottle(db, config.throttle);
  const siteIdsOf = (userId: number) =>
    db
      .select({ siteId: userSites.siteId })
      .from(userSites)
      .where(eq(userSites.userId, userId))
      .all()
      .map((r) => r.siteId);

  function createSession(userId: number, now: number) {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = now + config.sessionIdleMs;
    db.insert(authSessions)
      .values({ tokenHash: sha256(token), userId, createdAt: now, lastUsedAt: now, expiresAt })
      .run();
    return { token, expiresAt };
  }

  return {
    createSession,
    throttle,

    /** Checks credentials; throttled per account (see login-throttle.ts), never per address. */
    async login(emailRaw: string, password: string, now: number) {
      const email = emailRaw.trim().toLowerCase();
      const user = db.select().from(users).where(eq(users.email, email)).get();
      const key = throttle.keyOf(email, user !== undefined);
      // Counted before the (asynchronous) hash: a parallel burst cannot outrun the count.
      throttle.reserve(key, now);
      // Verify against a dummy hash for unknown users so both paths cost the same.
      const valid = await verifyPassword(password, user?.passwordHash ?? (await getDummyHash()));
      if (!user || !valid || user.disabled) {
        throw new ApiFailure('unauthenticated', GENERIC_LOGIN_ERROR);
      }
      db.transaction(() => {
        throttle.succeeded(key);
        db.update(users).set({ lastLoginAt: now }).where(eq(users.id, user.id)).run();
      });
      return createSession(user.id, now);
    },

    /** The caller behind a token, sliding its idle expiry; null when expired or unknown. */
    resolveSession(token: string, now: number): Caller | null {
      const row = db
        .select({
          sessionId: authSessions.id,
          createdAt: authSessions.createdAt,
          expiresAt: authSessions.expiresAt,
          lastUsedAt: authSessions.lastUsedAt,
          userId: users.id,
          email: users.email,
          name: users.name,
          role: users.role,
          disabled: users.disabled,
          mustChangePassword: users.mustChangePassword,
        })
        .from(authSessions)
        .innerJoin(users, eq(users.id, authSessions.userId))
        .where(eq(authSessions.tokenHash, sha256(token)))
        .get();
      if (!row || row.disabled) return null;
      if (row.expiresAt <= now || row.createdAt + config.sessionMaxMs <= now) {
        db.delete(authSessions).where(eq(authSessions.id, row.sessionId)).run();
        return null;
      }
      let expiresAt = row.expiresAt;
      // Slide the idle expiry, but write at most once a minute (every call would be a write).
      if (now - row.lastUsedAt > 60_000) {
        expiresAt = Math.min(now + config.sessionIdleMs, row.createdAt + config.sessionMaxMs);
        db.update(authSessions)
          .set({ lastUsedAt: now, expiresAt })
          .where(eq(authSessions.id, row.sessionId))
          .run();
      }
      return {
        userId: row.userId,
        email: row.email,
        name: row.name,
        role: row.role as Role,
        siteIds: siteIdsOf(row.userId),
        mustChangePassword: row.mustChangePassword,
        sessionId: row.sessionId,
        expiresAt,
      };
    },

    logout(sessionId: number) {
      db.delete(authSessions).where(eq(authSessions.id, sessionId)).run();
    },

    /** Ends every session of a user except (optionally) one: after a password change. */
    endSessions(userId: number, exceptSessionId?: number) {
      db.delete(authSessions)
        .where(
          exceptSessionId === undefined
            ? eq(authSessions.userId, userId)
            : and(eq(authSessions.userId, userId), sql`${authSessions.id} <> ${exceptSessionId}`),
        )
        .run();
    },

    siteIdsOf,
  };
}
