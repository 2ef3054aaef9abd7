// Charger authentication at the WebSocket handshake (security profiles 0-2): identity and
// subprotocol checks, commissioning (an unknown charger registered while the window is open),
// passwords (remembered once verified; throttled per identity and address), refusals listed on
// the chargers page (charger attempts).
import { createHash } from 'node:crypto';
import { ApiFailure } from '../../src-shared/api/result';
import type { CoreEvent } from '../../src-shared/api/events';
import { verifyPassword } from '../auth/password';
import { HandshakeThrottle } from './handshake-throttle';
import { plainIp, type OcppRuntime } from './runtime';
import type { AuthDecision, Handshake } from './server';

/** A verified charger password is accepted without hashing again for this long. */
const VERIFIED_PASSWORD_MS = 24 * 3_600_000;
/** At most one charger-attempt event per this interval. */
const ATTEMPT_EVENT_MS = 1_000;

export type Authentication = ReturnType<typeof createAuthentication>;

export function createAuthentication(rt: OcppRuntime) {
  const { clock, logger, store, commissioning, limits, abusiveUntil } = rt;
  const { events } = rt.seams;

  // A reconnect storm (every charger after a power cut) must not cost one scrypt each, nor may a
  // LAN device guessing passwords (handshake-throttle.ts). A verified password is remembered per
  // (identity, password, stored hash) for a day, so a charger that connected before is accepted
  // without hashing even while its identity is under attack; a wrong one is not remembered
  // (guesses do not repeat, and remembering them let a guessing run evict the genuine entries).
  // Checks in flight for the same key share one scrypt.
  const verified = new Map<string, number>();
  const pwInflight = new Map<string, Promise<boolean | null>>();
  const throttle = new HandshakeThrottle(limits);
  async function checkPassword(
    identity: string,
    ip: string | null,
    password: Buffer,
    hash: string,
  ): Promise<boolean | 'address' | 'identity' | 'busy'> {
    const key = createHash('sha256')
      .update(identity)
      .update('\0')
      .update(password)
      .update('\0')
      .update(hash)
      .digest('base64');
    const now = clock.now();
    const until = verified.get(key);
    if (until !== undefined && until > now) return true;
    let p = pwInflight.get(key);
    if (!p) {
      // Counted before the hash (reserveHash), forgiven if right: a parallel burst of guesses
      // cannot all pass the check while the first hashes run.
      const clean = throttle.clean(ip, now);
      const { verdict, forgive } = throttle.reserveHash(identity, ip, now);
      if (verdict !== 'ok') return verdict;
      p = throttle
        .hash(clean, () => verifyPassword(password.toString('utf8'), hash))
        .then((r) => {
          if (r !== false) forgive(clock.now()); // right, or not checked at all (busy)
          return r;
        })
        .finally(() => pwInflight.delete(key));
      pwInflight.set(key, p);
    }
    const ok = await p;
    if (ok === null) return 'busy';
    if (ok) {
      if (verified.size >= 10_000) verified.clear();
      verified.set(key, now + VERIFIED_PASSWORD_MS);
    }
    return ok;
  }

  // At most one charger-attempt event per second (the latest; the page re-reads the list): a
  // burst of refused handshakes used to push one event per handshake to every admin socket.
  let attemptEventTimer: NodeJS.Timeout | null = null;
  let attemptEventPending: CoreEvent | null = null;
  function emitAttempt(e: CoreEvent) {
    if (attemptEventTimer !== null) {
      attemptEventPending = e;
      return;
    }
    events.emit(e);
    const tick = () => {
      const next = attemptEventPending;
      attemptEventPending = null;
      if (next === null) attemptEventTimer = null;
      else {
        events.emit(next);
        attemptEventTimer = setTimeout(tick, ATTEMPT_EVENT_MS);
        attemptEventTimer.unref();
      }
    };
    attemptEventTimer = setTimeout(tick, ATTEMPT_EVENT_MS);
    attemptEventTimer.unref();
  }

  /** A refused or disconnected charger, listed on the chargers page with the reason. */
  function noteAttempt(identity: string, ip: string | null, reason: string, now: number) {
    try {
      store.recordAttempt(identity.slice(0, 100), ip, reason, now);
    } catch (cause) {
      logger.error('could not record a connection attempt', { cause });
    }
    emitAttempt({ type: 'charger-attempt', siteId: null, identity, ip, reason, at: now });
    // For the alarms (an unknown charger trying to connect); a flood is bounded by the throttle.
    const known = store.stationByIdentity(identity);
    rt.seams.domainEvents.publish({
      type: 'station.connection-refused',
      identity,
      ip,
      reason,
      stationId: known?.id ?? null,
      siteId: known?.siteId ?? null,
      at: now,
    });
  }

  /** Handshakes dropped by the throttle since the last warning (logged at most once a minute). */
  let throttledCount = 0;
  let throttledLoggedAt = -Infinity;
  function throttled(identity: string, ip: string | null, why: 'address' | 'identity') {
    const now = clock.now();
    throttledCount++;
    if (now - throttledLoggedAt >= 60_000) {
      logger.warn('charger handshakes throttled', { identity, ip, why, count: throttledCount });
      throttledCount = 0;
      throttledLoggedAt = now;
    }
    const message =
      why === 'address'
        ? 'Too many refused connections from this address; retry later'
        : 'Too many wrong passwords for this charger; retry later';
    return { accept: false as const, code: 429, message };
  }

  function refuse(
    identity: string,
    ip: string | null,
    reason: string,
    code: number,
    wrongPasswordFor: string | null = null,
    counted = false,
  ): AuthDecision {
    const now = clock.now();
    if (!counted) {
      // Over its budget: no row, no event (a flood of random identities stays a few rows).
      if (!throttle.addressOk(ip, now)) return throttled(identity, ip, 'address');
      throttle.refused(ip, now, wrongPasswordFor);
    }
    noteAttempt(identity, ip, reason, now);
    logger.warn('charger refused', { identity, ip, reason });
    return { accept: false, code, message: reason };
  }

  async function authenticate(h: Handshake, isTls: boolean): Promise<AuthDecision> {
    const ip = plainIp(h.remoteAddress);
    // OCPP-J §3.1.2: the charger must offer the subprotocol; without it we cannot know the
    // dialect, so refuse rather than guess.
    // Listed with the reason (an OCPP 2.0.1-only charger is a real charger someone installed).
    if (!h.protocols.has('ocpp1.6')) {
      const d = refuse(h.identity, ip, protocolMismatch(h.protocols), 400);
      return d.accept ? d : { ...d, message: 'Subprotocol ocpp1.6 required' };
    }
    const identity = h.identity;
    if (!/^[A-Za-z0-9._:\-*]{1,48}$/.test(identity)) {
      return refuse(identity, ip, 'invalid identity', 400);
    }
    const cooldown = abusiveUntil.get(identity);
    if (cooldown !== undefined) {
      if (cooldown > clock.now())
        return { accept: false, code: 429, message: 'Disconnected for flooding; retry later' };
      abusiveUntil.delete(identity);
    }
    let station = store.stationByIdentity(identity);
    if (!station) {
      const now = clock.now();
      const target = commissioning.target(now);
      if (target === null) return refuse(identity, ip, 'unknown identity', 401);
      if ('refused' in target) return refuse(identity, ip, target.refused, 401);
      // Commissioning: registered AND approved (install day; the installer is on site).
      const password = h.password ? h.password.toString('utf8') : null;
      try {
        await rt.insertStation({
          identity,
          siteId: target.siteId,
          floorId: target.floorId,
          name: identity,
          connectorCount: 1,
          securityProfile: password ? (isTls ? 2 : 1) : 0,
          password,
          approved: true,
        });
        store.deleteAttempt(identity);
        logger.info('charger registered during commissioning', { identity, ip, ...target });
      } catch (cause) {
        // Two connections of the same new charger racing through the window: the other one
        // registered it while this one hashed its password; use that registration.
        if (!(cause instanceof ApiFailure && cause.error.code === 'conflict')) throw cause;
      }
      station = store.stationByIdentity(identity);
      if (!station) return { accept: false, code: 500, message: 'Registration failed' };
    }
    if (station.securityProfile >= 2 && !isTls) {
      return refuse(identity, ip, 'security profile 2 requires TLS (wss)', 401);
    }
    if (station.securityProfile >= 1 || (h.password && station.passwordHash)) {
      if (!h.password) return refuse(identity, ip, 'password required (HTTP Basic)', 401);
      if (!station.passwordHash)
        return refuse(identity, ip, 'no password set for this charger', 401);
      const ok = await checkPassword(identity, ip, h.password, station.passwordHash);
      if (ok === 'address' || ok === 'identity') return throttled(identity, ip, ok);
      if (ok === 'busy') return { accept: false, code: 503, message: 'Busy; retry later' };
      // Already counted against the address and the identity when the check was reserved.
      if (!ok) return refuse(identity, ip, 'wrong password', 401, identity, true);
    }
    return { accept: true, session: { stationId: station.id, siteId: station.siteId } };
  }

  /** authenticate(), with the data epoch it was checked against in the session (connections.ts). */
  async function authenticateInEpoch(h: Handshake, isTls: boolean): Promise<AuthDecision> {
    const epoch = rt.dataEpoch;
    const d = await authenticate(h, isTls);
    return d.accept ? { accept: true, session: { ...d.session, epoch } } : d;
  }

  return {
    authenticate: authenticateInEpoch,
    noteAttempt,
    /** After a restore: the remembered passwords were checked against the replaced data. */
    forgetVerified: () => verified.clear(),
  };
}

/** Why a charger that did not offer `ocpp1.6` was refused, in words for the chargers page. */
export function protocolMismatch(offered: ReadonlySet<string>): string {
  const versions = [...offered]
    .map((p) => /^ocpp(\d+(?:\.\d+)*)$/i.exec(p)?.[1])
    .filter((v): v is string => v !== undefined);
  if (versions.length > 0)
    return `speaks OCPP ${versions.join(' / ')} only (this server speaks OCPP 1.6J)`;
  if (offered.size > 0)
    return `offered no OCPP version (${[...offered].join(', ').slice(0, 60)}); needs ocpp1.6`;
  return 'offered no OCPP version (needs the ocpp1.6 subprotocol)';
}
