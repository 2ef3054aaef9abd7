// The OCPP 1.6J central system as a core service: listeners, authentication (security profiles
// 0-2), one session per charger, charger-initiated handlers, the outbound command path with
// timeouts, the message log, periodic sweeps (offline chargers, suspect transactions, log
// retention) and the firmware/diagnostics file endpoint.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server as HttpsServer } from 'node:https';
import { join } from 'node:path';
import { asc, desc, eq } from 'drizzle-orm';
import { createRPCError, type RPCServer } from 'ocpp-rpc';
import { ApiFailure } from '../../src-shared/api/result';
import type { CoreEvent } from '../../src-shared/api/events';
import type { CentralSystemAction, OcppSettings, TlsStatus } from '../../src-shared/ocpp/types';
import { verifyPassword } from '../auth/password';
import {
  connectors,
  diagnosticsFiles,
  ocppFileTokens,
  stationConfig,
  stationOcpp,
  stations,
} from '../db/schema';
import type { Seams } from '../platform/seams';
import type { DomainEventOf } from '../platform/domain-events';
import type { ModelService, StationCreate } from '../model/service';
import { createHandlers16, type Handler, type Payload } from './handlers-16';
import {
  closeServer,
  createRpcServer,
  listen,
  MAX_BAD_FRAMES,
  type AuthDecision,
  type Handshake,
  type Listener,
} from './server';
import { ActivityList } from './activity';
import { createCommissioning } from './commissioning';
import { chargerAddresses, lanHosts, type ChargerAddresses } from './charger-addresses';
import type { OcppContext, PendingCall, RpcClientLike, Session } from './session';
import type { MessageLog } from './message-log';
import { createOcppStore } from './store';
import {
  checkPair,
  generateSelfSigned,
  readStoredTls,
  storeTls,
  tlsStatus,
  type TlsMaterial,
} from './tls';
import { createTransactions } from './transactions';
import { createFileEndpoint } from './file-endpoint';
import { createOutbound } from './outbound';
import { OutboundQueue } from './outbound-queue';
import { createChargerGateway } from './gateway';
import { HandshakeThrottle } from './handshake-throttle';
import {
  boundSamples,
  callIdOf,
  ChargerBudget,
  DEFAULT_LIMITS,
  DEPTH_SCAN_FROM_CHARS,
  nestsDeeperThan,
  type OcppLimits,
} from './limits';
import { OcppValidationError, validateInbound, validateOutbound } from './validation';
import { redactConfigFrame } from './redact-frames';
import type { CardAuthority } from '../residents/authority';
import {
  isDcCharger,
  sampledDataChange,
  sampleIntervalChange,
  supportsLocalList,
  type ReportedKey,
} from './post-boot-plan';
import { configRefusalSchema, type ConfigRefusal } from '../../src-shared/api/methods/ocpp';
import { checkConfigValue, shownConfigValue } from '../../src-shared/ocpp/config-keys';

/**
 * For a charger connection we close without waiting. ocpp-rpc's close() awaits the socket's
 * 'close' with events.once, which REJECTS when the socket emits 'error' first, e.g. ws refusing
 * an oversize frame that arrived after we decided to close (a flooding charger): left unhandled,
 * that rejection ended the process (exit 70). The socket is closed either way.
 */
const closeFailed = (): undefined => undefined;

export interface OcppOptions {
  host: string;
  /** 0 = any free port (tests). */
  port: number;
  tlsPort?: number;
  tls?: { certFile: string; keyFile: string } | 'self-signed';
  /** Opens the commissioning window for N minutes at start-up (install day). */
  commissioningMinutes?: number;
  /** How long to wait for a charger's answer (OCPP-J recommends a timeout; 30 s default). */
  callTimeoutMs?: number;
  /** A charger quiet this long is pinged, and dropped if still silent this long after (30 s). */
  pingIntervalMs?: number;
  /** What one charger may cost (limits.ts DEFAULT_LIMITS; docs/security.md). */
  limits?: Partial<OcppLimits>;
}

/** A verified charger password is accepted without hashing again for this long. */
const VERIFIED_PASSWORD_MS = 24 * 3_600_000;
/** At most one charger-attempt event per this interval. */
const ATTEMPT_EVENT_MS = 1_000;
const SWEEP_INTERVAL_MS = 1_000;
const PRUNE_EVERY_MS = 60 * 60_000;

/**
 * Charger messages whose handling writes nothing that must be durable before the answer:
 * Heartbeat only touches the in-memory last-seen state, Authorize and DataTransfer only read.
 */
const NO_COMMIT: ReadonlySet<string> = new Set(['Heartbeat', 'Authorize', 'DataTransfer']);

const bracket = (host: string) => (host.includes(':') ? `[${host}]` : host);
const plainIp = (a: string | undefined | null) => (a ? a.replace(/^::ffff:/, '') : null);

/** What the OCPP service borrows from other domains (injected by core.ts). */
export interface OcppDeps {
  createStation: ModelService['createStation'];
  /** Where every exchange is logged (its own file and writer thread). */
  messageLog: Pick<MessageLog, 'log' | 'prune'>;
  /** The site's RFID cards (src-main/residents): consulted before the id tag list. */
  cards?: CardAuthority;
  /** Sends the charger its local card list (residents/local-list-sync.ts): after boot, on demand. */
  localListSync?: (
    stationId: number,
    updateType: 'Full' | 'Differential',
  ) => Promise<{ status: string; listVersion: number }>;
}

export function createOcppService(seams: Seams, options: OcppOptions | undefined, deps: OcppDeps) {
  const { db, clock, logger: baseLogger, events, domainEvents, dataDir, info } = seams;
  const logger = baseLogger.child({ module: 'ocpp' });
  const { messageLog } = deps;
  const store = createOcppStore(db, logger, undefined, domainEvents);
  const commissioning = createCommissioning(db, store);
  // A flag raised while a charger message is handled is published after that message's own
  // event (a started transaction before its "flagged"), see run().
  const heldFlags: DomainEventOf<'transaction.flagged'>[] = [];
  let holdingFlags = false;
  const tx = createTransactions(db, (f) => {
    const e = { type: 'transaction.flagged', ...f, at: clock.now() } as const;
    if (holdingFlags) heldFlags.push(e);
    else domainEvents.publish(e);
  });
  const sessions = new Map<string, Session>();
  // Live sessions, least recently heard from first (a message moves its session to the end):
  // the offline sweep reads from the front and stops at the first one still fresh, instead of
  // touching every session every second (~10 ms at 10,000 chargers, a stall every charger
  // waits behind).
  const byActivity = new ActivityList<Session>();
  /** Sessions with calls of ours awaiting an answer (the sweep gives up on them). */
  const awaiting = new Set<Session>();
  const callTimeoutMs = options?.callTimeoutMs ?? 30_000;
  /** Bumped when a restore replaces the data: sessions and handshakes from before are void. */
  let dataEpoch = 0;
  const limits: OcppLimits = { ...DEFAULT_LIMITS, ...options?.limits };
  /** Per identity, across its connections: a reconnection does not refill them. */
  const budgets = new Map<string, ChargerBudget>();
  const budgetOf = (identity: string) => {
    let b = budgets.get(identity);
    if (!b) budgets.set(identity, (b = new ChargerBudget(limits, clock.now())));
    return b;
  };
  const connectionLimits = {
    maxPerAddress: limits.maxConnectionsPerAddress,
    idleMs: limits.idleTimeoutMs,
    headersMs: limits.handshakeTimeoutMs,
    // File uploads (50 MiB at most) on a slow link.
    requestMs: 300_000,
  };
  /** Identities disconnected for flooding: their reconnections are refused until then. */
  const abusiveUntil = new Map<string, number>();

  let rpc: RPCServer | null = null;
  let plain: Listener | null = null;
  let secure: Listener | null = null;
  let tlsMaterial: TlsMaterial | null = null;
  let sweepTimer: NodeJS.Timeout | null = null;
  let lastPrune = 0;

  // ── Station writes ──────────────────────────────────────────────────────────────────────
  function updateStation(id: number, patch: Partial<typeof stations.$inferInsert>): void {
    db.update(stations)
      .set({ ...patch, updatedAt: clock.now() })
      .where(eq(stations.id, id))
      .run();
  }

  /** Registers a station through the model service, so adoption and commissioning get the same
   *  checks (site exists, floor on that site, identity unique) as a station added by hand. */
  async function insertStation(input: Omit<StationCreate, 'maxCurrentA' | 'phases'>) {
    const station = await deps.createStation(
      { maxCurrentA: 32, phases: 'three', ...input },
      clock.now(),
    );
    return station.id;
  }

  // ── Authentication (security profiles 0-2) ──────────────────────────────────────────────
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
        await insertStation({
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

  // ── Message log: one row per exchange ───────────────────────────────────────────────
  // The frames are stored as received/sent; only their header is read here (a regex instead of
  // a full JSON.parse + stringify per frame: the log must not halve the server's throughput).
  // A CALL waits in the session (s.pending) for its answer; the pair is one row, written when
  // the answer passes (or when the call is given up: timeout, disconnect, shutdown).
  const FRAME_HEAD =
    /^\s*\[\s*([234])\s*,\s*"((?:[^"\\]|\\.){0,100})"\s*(?:,\s*"((?:[^"\\]|\\.){0,100})")?/;
  const MAX_LOGGED_FRAME = 100_000;
  const clip = (raw: string) =>
    raw.length > MAX_LOGGED_FRAME ? `${raw.slice(0, MAX_LOGGED_FRAME)}…` : raw;

  function logFrame(s: Session, raw: string, outbound: boolean) {
    const at = clock.now();
    const m = FRAME_HEAD.exec(raw);
    const messageId = m?.[2] ?? null;
    if (m && messageId !== null) {
      if (m[1] === '2') {
        if (outbound) awaiting.add(s);
        holdCall(s, !outbound, { at, action: m[3] ?? null, messageId, frame: clip(raw) });
        return;
      }
      // An answer completes the other side's call.
      const call = takeCall(s, outbound, messageId);
      if (call) {
        const kind = m[1] === '3' ? 'result' : 'error';
        return logExchange(s, call, outbound ? 'in' : 'out', kind, clip(raw), at);
      }
    }
    // A frame that belongs to no exchange: a late answer (a GetConfiguration's, with secrets
    // in it), or garbage.
    messageLog.log({
      at,
      stationId: s.stationId,
      identity: s.identity,
      direction: outbound ? 'out' : 'in',
      kind: m?.[1] === '3' ? 'result' : 'error',
      action: null,
      messageId,
      payload: clip(redactConfigFrame(raw)),
      response: null,
      respondedAt: null,
    });
  }

  /** An exchange's one log row: the call, and its answer (null when it never came). */
  function logExchange(
    s: Session,
    call: PendingCall,
    direction: 'in' | 'out',
    kind: 'call' | 'result' | 'error',
    response: string | null,
    respondedAt: number | null,
  ) {
    // Only these two carry configuration values (secrets among them: redact-frames.ts).
    const config = call.action === 'ChangeConfiguration' || call.action === 'GetConfiguration';
    messageLog.log({
      at: call.at,
      stationId: s.stationId,
      identity: s.identity,
      direction,
      kind,
      action: call.action,
      messageId: call.messageId,
      payload: config ? redactConfigFrame(call.frame) : call.frame,
      response: config && response !== null ? redactConfigFrame(response) : response,
      respondedAt,
    });
  }

  /** Keeps a call until its answer: the charger's in the session's slot when it is free. */
  function holdCall(s: Session, inbound: boolean, call: PendingCall) {
    if (inbound && s.inCall === null) s.inCall = call;
    else s.pending.set((inbound ? 'i' : 'o') + call.messageId, call);
  }
  /** Takes the call an answer completes: `answerOutbound` = we answer the charger's call. */
  function takeCall(s: Session, answerOutbound: boolean, messageId: string): PendingCall | null {
    if (answerOutbound && s.inCall !== null && s.inCall.messageId === messageId) {
      const call = s.inCall;
      s.inCall = null;
      return call;
    }
    if (s.pending.size === 0) return null;
    const key = (answerOutbound ? 'i' : 'o') + messageId;
    const call = s.pending.get(key);
    if (!call) return null;
    s.pending.delete(key);
    return call;
  }
  const inFlight = (s: Session, messageId: string) =>
    (s.inCall !== null && s.inCall.messageId === messageId) ||
    (s.pending.size > 0 && s.pending.has('i' + messageId));

  /** Logs the session's calls still unanswered (all, or those sent before `before`). */
  function logUnanswered(s: Session, before = Infinity) {
    if (s.inCall !== null && s.inCall.at < before) {
      logExchange(s, s.inCall, 'in', 'call', null, null);
      s.inCall = null;
    }
    for (const [key, call] of s.pending) {
      if (call.at >= before) continue;
      s.pending.delete(key);
      logExchange(s, call, key.startsWith('o') ? 'out' : 'in', 'call', null, null);
    }
  }

  // The lean path knows each exchange's messageId and action from its one JSON.parse: its
  // frames are logged without the header regex, the row built once.
  function leanCallIn(s: Session, messageId: string, action: string, raw: string) {
    holdCall(s, true, { at: clock.now(), action, messageId, frame: clip(raw) });
  }
  /** Set while the lean path sends an answer: the 'message' listener logs it directly. */
  let leanAnswerId: string | null = null;
  let leanAnswerKind: 'result' | 'error' = 'result';
  function leanAnswerOut(s: Session, messageId: string, kind: 'result' | 'error', raw: string) {
    const call = takeCall(s, true, messageId);
    if (!call) return logFrame(s, raw, true);
    logExchange(s, call, 'in', kind, clip(raw), clock.now());
  }

  // ── Sessions ────────────────────────────────────────────────────────────────────────────
  const ctx: OcppContext = {
    store,
    tx,
    clock,
    events,
    domain: domainEvents,
    logger,
    updateStation,
    configureAfterBoot: async (s) => configureAfterBoot(s),
    closeAfterAnswer: (s, reason) => {
      s.closeAfterAnswer = reason;
    },
    cards: deps.cards,
  };
  const handlers = createHandlers16(ctx);

  /** Through the group commit, so that it keeps its place among the station's other events. */
  function setConnected(s: Session, connected: boolean) {
    const e = {
      stationId: s.stationId,
      siteId: s.siteId,
      identity: s.identity,
      at: clock.now(),
    };
    store.groupThen(
      () =>
        domainEvents.publish(
          connected ? { type: 'station.connected', ...e } : { type: 'station.disconnected', ...e },
        ),
      () => {},
    );
  }

  /**
   * A charger's CALL, answered: lenient inbound validation (quirks repaired and logged), the
   * handler, strict validation of our answer. Throws an ocpp-rpc RPC error for the CALLERROR.
   * Messages that write nothing transactional are answered at once; the others after the group
   * commit (store.group), so that "answered" implies "stored".
   */
  function answer(s: Session, action: string, params: unknown): Payload | Promise<Payload> {
    const handler = (handlers as Record<string, Handler | undefined>)[action];
    if (!handler) throw createRPCError('NotImplemented', `Unable to handle '${action}' calls`);
    const payload = validated(s, action, params);
    if (NO_COMMIT.has(action)) return checkAnswer(action, run(handler, s, payload));
    return store.group(() => run(handler, s, payload)).then((r) => checkAnswer(action, r));
  }
  /**
   * A session from before a restore must not write into the restored data: its station id may
   * now name another station, or none (its queued messages are refused, never answered on the
   * closed connection, so the charger sends them again once it has reconnected).
   */
  function run(handler: Handler, s: Session, payload: Payload): Payload {
    if (s.epoch !== dataEpoch)
      throw createRPCError('GenericError', 'The server restored its data: reconnect.');
    holdingFlags = true;
    heldFlags.length = 0;
    try {
      const out = handler(s, payload);
      for (const e of heldFlags) domainEvents.publish(e);
      return out;
    } finally {
      holdingFlags = false;
      heldFlags.length = 0;
    }
  }
  /** Lenient inbound validation (quirks repaired and logged); throws the RPC error. */
  function validated(s: Session, action: string, params: unknown): Payload {
    try {
      const v = validateInbound(`urn:${action}.req`, params);
      if (v.quirks.length)
        logger.warn('charger message quirks repaired', {
          identity: s.identity,
          action,
          quirks: v.quirks,
        });
      if (action === 'MeterValues' || action === 'StopTransaction')
        boundReadings(s, action, v.value as Payload);
      return v.value as Payload;
    } catch (e) {
      if (e instanceof OcppValidationError) {
        logger.warn('invalid message from charger', {
          identity: s.identity,
          action,
          error: e.message,
        });
        throw e.toRpcError();
      }
      throw e;
    }
  }
  /** Meter readings per message and per second (limits.ts): a flood is refused, not stored. */
  function boundReadings(s: Session, action: string, payload: Payload) {
    const b = boundSamples(action, payload, limits);
    if ('refused' in b) throw new OcppValidationError('OccurrenceConstraintViolation', b.refused);
    if (b.truncatedFrom !== null)
      logger.warn('StopTransaction transactionData truncated', {
        identity: s.identity,
        received: b.truncatedFrom,
        kept: limits.maxTransactionData,
      });
    if (b.samples > 0 && !budgetOf(s.identity).samples.take(b.samples, clock.now())) {
      disconnectFlood(s, `more than ${limits.samplesPerSecond} meter readings per second`);
      throw new OcppValidationError('GenericError', 'Too many meter readings: disconnected');
    }
  }

  /**
   * A charger over its budget (limits.ts) is disconnected, its reconnections refused for
   * `abuseCooldownMs`, and the event raised where an operator sees it: an error in the log and
   * a row on the chargers page (charger attempts), with the reason.
   */
  function disconnectFlood(s: Session, what: string) {
    if (s.flooded) return;
    s.flooded = true;
    const now = clock.now();
    abusiveUntil.set(s.identity, now + limits.abuseCooldownMs);
    logger.error('charger disconnected for flooding', { identity: s.identity, ip: s.ip, what });
    noteAttempt(s.identity, s.ip, `disconnected: ${what}`, now);
    void s.client.close({ code: 1008, reason: 'Rate limit exceeded' }).catch(closeFailed);
  }

  function checkAnswer(action: string, result: Payload): Payload {
    try {
      validateOutbound(`urn:${action}.conf`, result);
    } catch (e) {
      logger.error('our answer failed schema validation (bug)', {
        action,
        error: (e as Error).message,
      });
      throw new OcppValidationError('InternalError', 'Internal error').toRpcError();
    }
    return result;
  }

  /**
   * The lean inbound CALL path. ocpp-rpc spends, per inbound call, an AbortController, a
   * promise chain and five event objects (~10 % of the server's CPU per message and a good
   * part of its garbage, docs/benchmarks.md). A well-formed CALL for an action we handle is
   * answered here instead, with the same validation, handlers and CALLERROR mapping; anything
   * else (our calls' answers, malformed frames, unknown actions) goes to ocpp-rpc as before,
   * which also keeps outbound call correlation, timeouts and pings. Hooks ocpp-rpc 2.2's
   * `_onMessage` (called per frame by its ws listener) and `sendRaw`: ocpp-rpc is pinned to an
   * exact version in package.json and test/ocpp/lean-path.test.ts fails if the hook is not
   * active. On an upgrade re-check: `_onMessage(buffer)` still the per-frame entry point,
   * `_badMessagesCount` still the bad-frame counter, `sendRaw` still emits 'message'
   * {message, outbound: true}, and the handled/unhandled split of CALLs unchanged.
   */
  function leanInboundCalls(client: unknown, s: Session, heard: () => void) {
    const c = client as {
      _onMessage?: (buffer: Buffer | string) => void;
      _deferNextPing?: () => void;
      _badMessagesCount?: number;
      protocol?: string;
      sendRaw(message: string): void;
    };
    const viaRpc = c._onMessage;
    if (typeof viaRpc !== 'function') return; // another ocpp-rpc version: its own path only
    s.leanCalls = 0;
    const send = (id: string, kind: 'result' | 'error', message: string) => {
      leanAnswerId = id;
      leanAnswerKind = kind;
      try {
        c.sendRaw(message);
      } catch {
        // Closed meanwhile: nothing to answer on (ocpp-rpc drops these too).
      } finally {
        leanAnswerId = null;
      }
    };
    const fail = (id: string, e: unknown) => send(id, 'error', JSON.stringify(callError(id, e)));
    const budget = budgetOf(s.identity);
    /** A frame refused before parsing: FormationViolation when it is a CALL we can answer. */
    const badFrame = (text: string, message: string) => {
      c._badMessagesCount = (c._badMessagesCount ?? 0) + 1;
      logger.warn('malformed OCPP frame', { identity: s.identity, error: message });
      heard();
      const id = callIdOf(text);
      if (id === null) logFrame(s, clip(text), false);
      else {
        holdCall(s, true, { at: clock.now(), action: null, messageId: id, frame: clip(text) });
        send(id, 'error', JSON.stringify([4, id, 'FormationViolation', message, {}]));
      }
      if (c._badMessagesCount > MAX_BAD_FRAMES)
        void s.client.close({ code: 1002, reason: 'Too many malformed frames' }).catch(closeFailed);
    };
    c._onMessage = (buffer) => {
      if (s.flooded) return;
      const now = clock.now();
      if (!budget.messages.take(1, now))
        return disconnectFlood(s, `more than ${limits.messagesPerSecond} messages per second`);
      if (!budget.bytes.take(buffer.length, now))
        return disconnectFlood(s, `more than ${limits.bytesPerSecond} bytes per second`);
      const text = typeof buffer === 'string' ? buffer : buffer.toString('utf8');
      // Before JSON.parse: the parser and the schema validator recurse per level.
      if (text.length >= DEPTH_SCAN_FROM_CHARS && nestsDeeperThan(text, limits.maxDepth))
        return badFrame(text, `JSON nested deeper than ${limits.maxDepth} levels`);
      let frame: unknown;
      try {
        frame = JSON.parse(text);
      } catch {
        return viaRpc.call(client, buffer);
      }
      if (
        Array.isArray(frame) &&
        frame[0] === 2 &&
        typeof frame[1] === 'string' &&
        frame[1].length > limits.maxMessageIdLength
      )
        return badFrame(
          text,
          `Message id longer than ${limits.maxMessageIdLength} characters (OCPP-J 1.6 §4.1.3)`,
        );
      if (
        s.closed ||
        !Array.isArray(frame) ||
        frame.length < 4 ||
        frame[0] !== 2 ||
        typeof frame[1] !== 'string' ||
        typeof frame[2] !== 'string' ||
        !Object.hasOwn(handlers, frame[2])
      )
        return viaRpc.call(client, buffer);
      const id: string = frame[1];
      if (inFlight(s, id)) return viaRpc.call(client, buffer);
      const action: string = frame[2];
      s.leanCalls++;
      // What ocpp-rpc's own _onMessage does first: activity postpones its next keep-alive ping.
      c._deferNextPing?.();
      heard();
      leanCallIn(s, id, action, text);
      c._badMessagesCount = 0;
      const handler = (handlers as Record<string, Handler>)[action] as Handler;
      let payload: Payload;
      try {
        payload = validated(s, action, frame[3]);
      } catch (e) {
        return fail(id, e);
      }
      if (NO_COMMIT.has(action)) {
        let out: Payload;
        try {
          out = checkAnswer(action, run(handler, s, payload));
        } catch (e) {
          return fail(id, e);
        }
        return send(id, 'result', JSON.stringify([3, id, out]));
      }
      // Answered after the group commit, by callback (no promise chain per message).
      store.groupThen(
        () => run(handler, s, payload),
        (failed, value) => {
          if (failed) return fail(id, value);
          let out: Payload;
          try {
            out = checkAnswer(action, value as Payload);
          } catch (e) {
            return fail(id, e);
          }
          send(id, 'result', JSON.stringify([3, id, out]));
        },
      );
    };
  }

  function onClient(raw: unknown) {
    const client = raw as RpcClientLike & {
      identity: string;
      session: { stationId: number; siteId: number; epoch: number };
      handshake: Handshake;
    };
    if (client.session.epoch !== dataEpoch) {
      // Authenticated against data a restore has since replaced: it reconnects and is checked
      // against the restored data.
      void client.close({ code: 1012, reason: 'Data restored', force: true }).catch(closeFailed);
      return;
    }
    const now = clock.now();
    const sock = client.handshake.request.socket as { encrypted?: boolean; localAddress?: string };
    const s: Session = {
      identity: client.identity,
      stationId: client.session.stationId,
      siteId: client.session.siteId,
      client,
      tls: Boolean(sock.encrypted),
      ip: plainIp(client.handshake.remoteAddress),
      localAddress: plainIp(sock.localAddress),
      connectedAt: now,
      lastMessageAt: now,
      booted: false,
      inCall: null,
      pending: new Map(),
      outbound: new OutboundQueue(),
      closed: false,
      bootRequestedAt: null,
      closeAfterAnswer: null,
      flooded: false,
      leanCalls: -1,
      prevActive: null,
      nextActive: null,
      listed: false,
      epoch: dataEpoch,
    };
    // One live connection per identity: the newest wins (a charger that reconnects after a
    // network blip often does so before the old TCP connection has timed out).
    const old = sessions.get(s.identity);
    sessions.set(s.identity, s);
    byActivity.touch(s);
    if (old) {
      old.closed = true;
      byActivity.delete(old);
      logger.info('charger reconnected; closing its previous connection', { identity: s.identity });
      void old.client
        .close({ code: 1000, reason: 'Replaced by a new connection' })
        .catch(closeFailed);
    }
    const heard = () => {
      s.lastMessageAt = clock.now();
      store.touch(s.stationId, s.lastMessageAt, false);
      if (!s.closed) byActivity.touch(s);
    };
    client.on('message', (e: { message: string | Buffer; outbound: boolean }) => {
      const text = typeof e.message === 'string' ? e.message : e.message.toString('utf8');
      if (!e.outbound) {
        heard();
        return logFrame(s, text, false);
      }
      if (leanAnswerId !== null) leanAnswerOut(s, leanAnswerId, leanAnswerKind, text);
      else logFrame(s, text, true);
      if (s.closeAfterAnswer !== null && /^\s*\[\s*[34]/.test(text)) {
        const reason = s.closeAfterAnswer;
        s.closeAfterAnswer = null;
        // After the frame is on its way (ws keeps order: the close frame follows it).
        setImmediate(() => void client.close({ code: 1000, reason }).catch(closeFailed));
      }
    });
    client.once('close', () => {
      s.closed = true;
      byActivity.delete(s);
      awaiting.delete(s);
      logUnanswered(s);
      if (sessions.get(s.identity) === s) {
        sessions.delete(s.identity);
        setConnected(s, false);
        logger.info('charger disconnected', { identity: s.identity });
      }
    });
    for (const action of Object.keys(handlers)) {
      client.handle(action, ({ params }) => answer(s, action, params));
    }
    leanInboundCalls(client, s, heard);
    updateStation(s.stationId, { lastSeenAt: now, lastIp: s.ip, ocppVersion: '1.6' });
    setConnected(s, true);
    logger.info('charger connected', { identity: s.identity, ip: s.ip, tls: s.tls });
  }

  /**
   * OCPP-J 1.6 has no RpcFrameworkError / MessageTypeNotSupported (those are 2.0.1): a frame that
   * is not a well-formed CALL gets FormationViolation (§4.2.3 "not conform the PDU structure").
   */
  function onBadMessage(raw: unknown, e: { error: Error; response: unknown[] | null }) {
    const client = raw as { identity: string };
    const r = e.response;
    if (
      r &&
      (r[2] === 'RpcFrameworkError' ||
        r[2] === 'MessageTypeNotSupported' ||
        r[2] === 'GenericError')
    ) {
      r[2] = 'FormationViolation';
    }
    logger.warn('malformed OCPP frame', { identity: client.identity, error: e.error.message });
  }

  /** authenticate(), with the data epoch it was checked against in the session (onClient). */
  async function authenticateInEpoch(h: Handshake, isTls: boolean): Promise<AuthDecision> {
    const epoch = dataEpoch;
    const d = await authenticate(h, isTls);
    return d.accept ? { accept: true, session: { ...d.session, epoch } } : d;
  }

  /**
   * Closes every charger connection at once, because a restore replaced the data they were
   * authenticated against: each reconnects and is authenticated, and its messages attributed,
   * against the data as it is now. Calls in flight are logged unanswered (ours fail with
   * "disconnected"), queued writes refused (run()). Returns how many were closed.
   */
  function dropAllConnections(reason: string): number {
    dataEpoch++;
    const all = [...sessions.values()];
    sessions.clear();
    byActivity.clear();
    awaiting.clear();
    for (const s of all) {
      s.closed = true;
      logUnanswered(s);
      // force: the socket is terminated now, so no frame of it is handled after this.
      void s.client.close({ code: 1012, reason, force: true }).catch(() => undefined);
    }
    if (all.length > 0)
      logger.warn('all charger connections closed', { reason, count: all.length });
    return all.length;
  }

  /** Closes the connections of these stations (their records are being deleted). */
  function dropStations(stationIds: ReadonlySet<number>, reason: string): number {
    let closed = 0;
    for (const s of [...sessions.values()]) {
      if (!stationIds.has(s.stationId)) continue;
      sessions.delete(s.identity);
      byActivity.delete(s);
      awaiting.delete(s);
      s.closed = true;
      logUnanswered(s);
      void s.client.close({ code: 1000, reason, force: true }).catch(() => undefined);
      closed++;
    }
    return closed;
  }

  // ── Outbound calls ──────────────────────────────────────────────────────────────────────
  function sessionFor(stationId: number): {
    station: typeof stations.$inferSelect;
    session: Session;
  } {
    const station = store.stationById(stationId);
    if (!station) throw new ApiFailure('not-found', 'No such station.');
    const session = sessions.get(station.identity);
    if (!session || session.closed) {
      throw new ApiFailure(
        'charger-offline',
        `${station.name} (${station.identity}) is not connected.`,
      );
    }
    return { station, session };
  }

  // Our calls: per charger a priority queue (outbound-queue.ts), answers typed (outbound.ts).
  const outbound = createOutbound({ clock, logger, callTimeoutMs });
  const callOn = (
    session: Session,
    action: CentralSystemAction,
    payload: Record<string, unknown>,
    timeoutMs = callTimeoutMs,
  ) => outbound.call(session, action, payload, timeoutMs);
  const gateway = createChargerGateway({
    db,
    sessionOf: (identity) => sessions.get(identity),
    send: outbound.send,
  });

  async function call(
    stationId: number,
    action: CentralSystemAction,
    payload: Record<string, unknown>,
    timeoutMs?: number,
  ) {
    const { session } = sessionFor(stationId);
    return callOn(session, action, payload, timeoutMs);
  }

  function storeConfiguration(stationId: number, conf: Record<string, unknown>) {
    const now = clock.now();
    const keys =
      (conf.configurationKey as { key: string; value?: string; readonly: boolean }[] | undefined) ??
      [];
    const unknown = (conf.unknownKey as string[] | undefined) ?? [];
    db.transaction((t) => {
      for (const k of keys) {
        // A secret (AuthorizationKey, a vendor password) some chargers report back: not kept.
        const value = shownConfigValue(k.key, k.value ?? null);
        t.insert(stationConfig)
          .values({ stationId, key: k.key, value, readonly: k.readonly, updatedAt: now })
          .onConflictDoUpdate({
            target: [stationConfig.stationId, stationConfig.key],
            set: { value, readonly: k.readonly, updatedAt: now },
          })
          .run();
      }
    });
    store.patchStationOcpp(stationId, {
      configFetchedAt: now,
      unknownConfigKeys: JSON.stringify(unknown),
    });
    // The charger's own count of its connectors (read-only key) registers those the station
    // was added without, bounded (store.MAX_CONNECTORS); absurd values register nothing.
    const added = store.registerConnectors(stationId, store.chargerConnectorCount(stationId), now);
    if (added) logger.info('connectors registered from NumberOfConnectors', { stationId, added });
  }

  /** One key the charger accepted from us (secrets stored as REDACTED, never in clear). */
  function storeConfigValue(stationId: number, key: string, raw: string) {
    const value = shownConfigValue(key, raw);
    const now = clock.now();
    db.insert(stationConfig)
      .values({ stationId, key, value, readonly: false, updatedAt: now })
      .onConflictDoUpdate({
        target: [stationConfig.stationId, stationConfig.key],
        set: { value, updatedAt: now },
      })
      .run();
  }

  function localListEntries() {
    return store.listIdTags().map((t) => ({
      idTag: t.idTag,
      idTagInfo: {
        status: t.status,
        ...(t.expiryDate != null ? { expiryDate: new Date(t.expiryDate).toISOString() } : {}),
        ...(t.parentIdTag ? { parentIdTag: t.parentIdTag } : {}),
      },
    }));
  }

  async function sendLocalList(
    session: Session,
    stationId: number,
    updateType: 'Full' | 'Differential' = 'Full',
  ) {
    if (deps.localListSync) return deps.localListSync(stationId, updateType);
    const current = store.getStationOcpp(stationId)?.localListVersion ?? 0;
    // A stored -1 (GetLocalListVersion: "not supported") or 0 (empty list) must not be sent
    // back as the version of a non-empty list: versions of real updates start at 1.
    const listVersion = Math.max(1, current + 1);
    const conf = await callOn(session, 'SendLocalList', {
      listVersion,
      updateType,
      localAuthorizationList: localListEntries(),
    });
    if (conf.status === 'Accepted')
      store.patchStationOcpp(stationId, { localListVersion: listVersion });
    return { status: String(conf.status), listVersion };
  }

  /** After an accepted boot: read its configuration, set sampling, sync the card list. */
  /**
   * After an accepted boot (docs/ocpp.md "Post-boot setup"): read the configuration, then set
   * sampling from what the charger reported (post-boot-plan.ts) — only keys it has and may
   * change, only measurands it can measure, no more than its maximum, nothing it already
   * holds — and sync the card list if it has the profile. What it refuses (or what cannot be
   * asked) is logged and kept for the configuration tab; what it accepts is stored.
   */
  async function configureAfterBoot(s: Session) {
    const settings = store.getSettings();
    const refused: ConfigRefusal[] = [];
    const step = async (what: string, f: () => Promise<unknown>) => {
      if (s.closed) return;
      try {
        await f();
      } catch (e) {
        logger.warn(`post-boot ${what} failed`, {
          identity: s.identity,
          error: (e as Error).message,
        });
      }
    };
    const refuse = (key: string, value: string | null, answer: string) => {
      refused.push({ key, value, answer, at: clock.now() });
      logger.warn('charger did not take a post-boot setting', {
        identity: s.identity,
        key,
        value,
        answer,
      });
    };
    const reported = new Map<string, ReportedKey>();
    let read = false;
    await step('GetConfiguration', async () => {
      const conf = await callOn(s, 'GetConfiguration', {});
      storeConfiguration(s.stationId, conf);
      for (const k of (conf.configurationKey as
        { key: string; value?: string; readonly: boolean }[] | undefined) ?? [])
        reported.set(k.key, { value: k.value ?? null, readonly: k.readonly });
      read = true;
    });
    if (s.closed) return;
    // Without its configuration nothing is known about the charger: change nothing blindly.
    if (!read) return saveRefusals(s.stationId, [], 'GetConfiguration failed');
    const dc = isDcCharger(
      db
        .select({ type: connectors.type })
        .from(connectors)
        .where(eq(connectors.stationId, s.stationId))
        .all()
        .map((c) => c.type),
    );
    const changes = [
      sampleIntervalChange(reported, settings.meterSampleIntervalSeconds),
      sampledDataChange(reported, settings.sampledMeasurands, dc),
    ];
    for (const c of changes) {
      if (!c) continue;
      if (!c.send) {
        refuse(c.key, c.value, c.reason);
        continue;
      }
      await step(c.key, async () => {
        let value = c.value;
        let status = String((await callOn(s, 'ChangeConfiguration', { key: c.key, value })).status);
        if (status === 'Rejected' && c.fallback) {
          refuse(c.key, value, status);
          value = c.fallback;
          status = String((await callOn(s, 'ChangeConfiguration', { key: c.key, value })).status);
        }
        if (status === 'Accepted' || status === 'RebootRequired')
          storeConfigValue(s.stationId, c.key, value);
        else refuse(c.key, value, status);
      });
    }
    if (supportsLocalList(reported))
      await step('SendLocalList', async () => {
        const r = await sendLocalList(s, s.stationId);
        if (r.status === 'NotSupported')
          logger.info('charger has no local list support', { identity: s.identity });
      });
    saveRefusals(s.stationId, refused);
  }

  function saveRefusals(stationId: number, refused: ConfigRefusal[], failed?: string) {
    if (failed) logger.warn('post-boot setup skipped', { stationId, reason: failed });
    store.patchStationOcpp(stationId, { setupRefused: JSON.stringify(refused) });
  }

  // ── File endpoint (firmware downloads, diagnostics uploads: file-endpoint.ts) ──────────
  const files = createFileEndpoint({ db, clock, logger, dataDir });
  const handleFileRequest = files.handle;
  const newToken = files.newToken;
  function fileBaseUrl(s: Session): string {
    const host =
      s.localAddress && s.localAddress !== '0.0.0.0'
        ? s.localAddress
        : (options?.host ?? '127.0.0.1');
    return `http://${bracket(host)}:${plain?.port ?? 0}`;
  }

  // ── Sweeps ──────────────────────────────────────────────────────────────────────────────
  /** Offline chargers, quiet transactions, log retention. Runs every second; tests call it. */
  function sweep(): void {
    const now = clock.now();
    const settings = store.getSettings();
    // Calls unanswered past the call timeout (with a margin for the answer in flight) are
    // logged as such; an answer arriving later is logged as a frame of its own.
    const givenUp = now - callTimeoutMs - 5_000;
    for (const s of awaiting) {
      logUnanswered(s, givenUp);
      if (s.pending.size === 0) awaiting.delete(s);
    }
    const silentSince = now - settings.offlineAfterSeconds * 1000;
    for (let s = byActivity.first(); s !== null; s = byActivity.first()) {
      if (s.lastMessageAt >= silentSince) break;
      logger.warn('charger silent too long: marked offline', {
        identity: s.identity,
        lastMessageAt: s.lastMessageAt,
      });
      byActivity.delete(s);
      if (sessions.get(s.identity) === s) sessions.delete(s.identity);
      s.closed = true;
      setConnected(s, false);
      void s.client
        .close({ code: 1001, reason: 'Heartbeat timeout', force: true })
        .catch(closeFailed);
    }
    tx.flagQuietAsSuspect(now - settings.transactionSuspectMinutes * 60_000);
    if (now - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = now;
      void messageLog
        .prune(now - settings.messageLogRetentionDays * 86_400_000)
        .then((removed) => removed && logger.info('OCPP message log pruned', { removed }));
    }
  }

  // ── TLS ─────────────────────────────────────────────────────────────────────────────────
  function tlsUrl(): string | null {
    return secure ? `wss://${bracket(displayHost())}:${secure.port}/ocpp` : null;
  }
  function displayHost() {
    const h = options?.host ?? '127.0.0.1';
    return h === '0.0.0.0' || h === '::' ? '127.0.0.1' : h;
  }
  function getTlsStatus(): TlsStatus {
    return tlsStatus(tlsMaterial ?? readStoredTls(dataDir), secure?.port ?? null, tlsUrl());
  }
  function installTls(m: TlsMaterial) {
    storeTls(dataDir, m);
    tlsMaterial = m;
    if (secure) (secure.server as HttpsServer).setSecureContext({ cert: m.cert, key: m.key });
  }

  return {
    store,
    tx,
    sessions,
    /** For other domains: typed operations and a station's live state (gateway.ts). */
    gateway,
    async start(): Promise<void> {
      if (!options) return;
      const now = clock.now();
      if (options.commissioningMinutes)
        commissioning.set(options.commissioningMinutes, { siteId: null, floorId: null }, now);
      const deps = {
        logger,
        authenticate: authenticateInEpoch,
        onClient,
        onBadMessage,
        handleFileRequest,
      };
      rpc = createRpcServer(
        deps,
        callTimeoutMs,
        options?.pingIntervalMs ?? 30_000,
        limits.maxFrameBytes,
      );
      try {
        plain = await listen(rpc, deps, options.host, options.port, null, connectionLimits);
      } catch (e) {
        throw Object.assign(
          new Error(
            `OCPP port ${options.port} on ${options.host}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
          ),
          {
            code: (e as NodeJS.ErrnoException).code,
            port: options.port,
            flag: '--ocpp-port',
            env: 'STRATACHARGE_OCPP_PORT',
          },
        );
      }
      info.ocppUrl = `ws://${bracket(displayHost())}:${plain.port}/ocpp`;
      if (options.tlsPort !== undefined) {
        if (options.tls && options.tls !== 'self-signed') {
          tlsMaterial = {
            cert: readFileSync(options.tls.certFile, 'utf8'),
            key: readFileSync(options.tls.keyFile, 'utf8'),
            source: 'file',
          };
        } else {
          tlsMaterial = readStoredTls(dataDir);
          if (!tlsMaterial) {
            const lan = lanHosts(options.host);
            tlsMaterial = await generateSelfSigned(lan[0] ?? displayHost(), now, lan);
            storeTls(dataDir, tlsMaterial);
          }
        }
        try {
          secure = await listen(
            rpc,
            deps,
            options.host,
            options.tlsPort,
            tlsMaterial,
            connectionLimits,
          );
        } catch (e) {
          await closeServer(plain.server);
          throw Object.assign(
            new Error(
              `OCPP TLS port ${options.tlsPort} on ${options.host}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
            ),
            {
              code: (e as NodeJS.ErrnoException).code,
              port: options.tlsPort,
              flag: '--tls-port',
              env: 'STRATACHARGE_TLS_PORT',
            },
          );
        }
        info.ocppTlsUrl = tlsUrl();
      }
      sweepTimer = setInterval(() => {
        try {
          sweep();
        } catch (cause) {
          logger.error('OCPP sweep failed', { cause });
        }
      }, SWEEP_INTERVAL_MS);
      sweepTimer.unref();
      store.startCheckpoints();
      logger.info('OCPP server listening', { url: info.ocppUrl, tlsUrl: info.ocppTlsUrl });
    },
    async stop(): Promise<void> {
      if (sweepTimer) clearInterval(sweepTimer);
      sweepTimer = null;
      for (const s of sessions.values()) {
        s.closed = true;
        logUnanswered(s);
      }
      sessions.clear();
      byActivity.clear();
      awaiting.clear();
      if (rpc)
        await rpc
          .close({ code: 1001, reason: 'Server shutting down', force: true })
          .catch(() => undefined);
      if (plain) await closeServer(plain.server);
      if (secure) await closeServer(secure.server);
      plain = secure = null;
      rpc = null;
      store.flush();
      store.stopCheckpoints();
    },
    sweep,
    dropAllConnections,
    dropStations,
    /** Before a restore swaps the data: pending last-seen writes go to the data they belong to. */
    flushPending: () => store.flush(),
    /** After it (platform/restore-hooks.ts): connections dropped, caches reloaded. */
    resetAfterRestore(): void {
      dropAllConnections('Data restored from a backup');
      store.reloadAfterRestore();
      tx.reloadAfterRestore();
      verified.clear();
      // A window open in the backup would reopen and register any unknown charger on the LAN
      // unannounced: a restore closes it (the operator reopens it deliberately).
      commissioning.set(0, { siteId: null, floorId: null }, clock.now());
    },
    isConnected: (identity: string) => sessions.has(identity),
    hasTransactions: (stationId: number) => tx.hasTransactions(stationId),
    get port() {
      return plain?.port ?? null;
    },
    get tlsPort() {
      return secure?.port ?? null;
    },
    /** What to type into a charger: every LAN address of the running listeners (read live:
     *  a DHCP lease may change while the service runs). */
    chargerAddresses() {
      return chargerAddresses({
        host: options?.host ?? '127.0.0.1',
        port: plain?.port ?? null,
        tlsPort: secure?.port ?? null,
      });
    },

    // ── Adoption / commissioning ──
    commissioning: () => commissioning.state(clock.now()),
    /** The window as stored (its site, for the caller's site check when closing it). */
    commissioningWindow: () => commissioning.window(),
    setCommissioning(minutes: number, where: { siteId: number | null; floorId: number | null }) {
      return commissioning.set(minutes, where, clock.now());
    },
    async adopt(input: {
      identity: string;
      siteId: number;
      floorId: number | null;
      name: string;
      connectorCount: number;
      securityProfile: number;
      password: string | null;
    }) {
      if (input.securityProfile >= 1 && !input.password)
        throw new ApiFailure('validation', 'Security profile 1 and 2 need a password.', {
          field: 'password',
        });
      const stationId = await insertStation({ ...input, approved: true });
      store.deleteAttempt(input.identity);
      return { stationId, identity: input.identity };
    },

    // ── Settings / TLS ──
    settings(): OcppSettings & { ocppUrl: string; tls: TlsStatus; chargerUrls: ChargerAddresses } {
      return {
        ...store.getSettings(),
        ocppUrl: info.ocppUrl,
        tls: getTlsStatus(),
        chargerUrls: this.chargerAddresses(),
      };
    },
    updateSettings(patch: Partial<OcppSettings>) {
      store.updateSettings(patch, clock.now());
      return this.settings();
    },
    importTls(certPem: string, keyPem: string): TlsStatus {
      try {
        checkPair(certPem, keyPem);
      } catch (e) {
        throw new ApiFailure('validation', (e as Error).message);
      }
      installTls({ cert: certPem, key: keyPem, source: 'imported' });
      return getTlsStatus();
    },
    async generateTls(commonName?: string): Promise<TlsStatus> {
      const lan = lanHosts(options?.host ?? '127.0.0.1');
      installTls(await generateSelfSigned(commonName ?? lan[0] ?? displayHost(), clock.now(), lan));
      return getTlsStatus();
    },

    // ── Operations ──
    call,
    sessionFor,
    async configGet(stationId: number, refresh: boolean) {
      if (refresh) {
        const { session } = sessionFor(stationId);
        storeConfiguration(stationId, await callOn(session, 'GetConfiguration', {}));
      } else if (!store.stationById(stationId))
        throw new ApiFailure('not-found', 'No such station.');
      const keys = db
        .select()
        .from(stationConfig)
        .where(eq(stationConfig.stationId, stationId))
        .orderBy(asc(stationConfig.key))
        .all();
      const st = db.select().from(stationOcpp).where(eq(stationOcpp.stationId, stationId)).get();
      let unknownKeys: string[] = [];
      try {
        unknownKeys = st?.unknownConfigKeys ? (JSON.parse(st.unknownConfigKeys) as string[]) : [];
      } catch {
        unknownKeys = [];
      }
      const refusedParsed = configRefusalSchema
        .array()
        .safeParse(st?.setupRefused ? safeJson(st.setupRefused) : []);
      return {
        keys: keys.map((k) => ({
          key: k.key,
          value: shownConfigValue(k.key, k.value),
          readonly: k.readonly,
        })),
        unknownKeys,
        fetchedAt: st?.configFetchedAt ?? null,
        setupRefused: refusedParsed.success ? refusedParsed.data : [],
      };
    },
    /**
     * ChangeConfiguration with the value checked first (a standard key's type, range and
     * read-only state: src-shared/ocpp/config-keys.ts); the stored configuration follows what
     * the charger accepted. `value` is the value sent (normalised), for the caller's use only:
     * a secret key's value is never stored.
     */
    async configSet(stationId: number, key: string, raw: string) {
      const checked = checkConfigValue(key, raw);
      if (!checked.ok) throw new ApiFailure('validation', checked.message, { field: 'value' });
      const value = checked.value;
      const conf = await call(stationId, 'ChangeConfiguration', { key, value });
      const status = String(conf.status);
      if (status === 'Accepted' || status === 'RebootRequired')
        storeConfigValue(stationId, key, value);
      return { status, value };
    },
    async localListSend(stationId: number, updateType: 'Full' | 'Differential') {
      return sendLocalList(sessionFor(stationId).session, stationId, updateType);
    },
    async firmwareUpdate(
      stationId: number,
      input: {
        fileName: string;
        content: Buffer;
        retrieveDate?: number;
        retries?: number;
        retryIntervalSeconds?: number;
      },
    ) {
      const { session } = sessionFor(stationId);
      const dir = join(dataDir, 'firmware');
      mkdirSync(dir, { recursive: true });
      const storedPath = join(dir, `${stationId}-${clock.now()}-${input.fileName}`);
      writeFileSync(storedPath, input.content);
      const token = newToken('firmware', stationId, storedPath, input.fileName);
      const location = `${fileBaseUrl(session)}/files/firmware/${token}/${encodeURIComponent(input.fileName)}`;
      await callOn(session, 'UpdateFirmware', {
        location,
        retrieveDate: new Date(input.retrieveDate ?? clock.now()).toISOString(),
        ...(input.retries !== undefined ? { retries: input.retries } : {}),
        ...(input.retryIntervalSeconds !== undefined
          ? { retryInterval: input.retryIntervalSeconds }
          : {}),
      });
      return { status: 'Accepted', location };
    },
    async diagnosticsRequest(stationId: number, input: { startTime?: number; stopTime?: number }) {
      const { session } = sessionFor(stationId);
      const token = newToken('diagnostics', stationId, null, null);
      const location = `${fileBaseUrl(session)}/files/diagnostics/${token}`;
      const conf = await callOn(session, 'GetDiagnostics', {
        location,
        ...(input.startTime !== undefined
          ? { startTime: new Date(input.startTime).toISOString() }
          : {}),
        ...(input.stopTime !== undefined
          ? { stopTime: new Date(input.stopTime).toISOString() }
          : {}),
      });
      const fileName = typeof conf.fileName === 'string' ? conf.fileName : null;
      if (fileName)
        db.update(ocppFileTokens).set({ fileName }).where(eq(ocppFileTokens.token, token)).run();
      return { status: fileName ? 'Accepted' : 'NoFile', fileName, location };
    },
    diagnosticsList(stationId: number) {
      return db
        .select({
          id: diagnosticsFiles.id,
          stationId: diagnosticsFiles.stationId,
          fileName: diagnosticsFiles.fileName,
          sizeBytes: diagnosticsFiles.sizeBytes,
          receivedAt: diagnosticsFiles.receivedAt,
        })
        .from(diagnosticsFiles)
        .where(eq(diagnosticsFiles.stationId, stationId))
        .orderBy(desc(diagnosticsFiles.receivedAt), desc(diagnosticsFiles.id))
        .all();
    },
    diagnosticsFile(id: number) {
      return db.select().from(diagnosticsFiles).where(eq(diagnosticsFiles.id, id)).get() ?? null;
    },
  };
}

export type OcppService = ReturnType<typeof createOcppService>;

/**
 * The CALLERROR frame for an error thrown while answering, as ocpp-rpc builds it: its RPC error
 * code (GenericError otherwise, 1.6 spellings per the OCPP-J 1.6 errata §5), message, details.
 */
function callError(id: string, e: unknown): unknown[] {
  const err = e as {
    rpcErrorCode?: string;
    rpcErrorMessage?: string;
    message?: string;
    details?: unknown;
  };
  let code = err.rpcErrorCode ?? 'GenericError';
  if (code === 'FormatViolation') code = 'FormationViolation';
  if (code === 'OccurenceConstraintViolation') code = 'OccurrenceConstraintViolation';
  return [4, id, code, err.message || err.rpcErrorMessage || '', err.details ?? {}];
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

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
