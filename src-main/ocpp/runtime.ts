// What the parts of the OCPP service share (service.ts builds it once per service): the seams,
// the store and transactions, the live sessions and the per-charger budgets. Each part
// (authentication.ts, connections.ts, inbound.ts, operations.ts, sweeps.ts, listeners.ts) is a
// factory closing over it, so the hot path reads its state as closure and monomorphic-object
// slots, as it did when the service was one closure.
import { eq } from 'drizzle-orm';
import { stations } from '../db/schema';
import type { DomainEventOf } from '../platform/domain-events';
import type { Seams } from '../platform/seams';
import type { ModelService, StationCreate } from '../model/service';
import type { CardAuthority } from '../residents/authority';
import { ActivityList } from './activity';
import { createCommissioning } from './commissioning';
import { ChargerBudget, DEFAULT_LIMITS, type OcppLimits } from './limits';
import type { MessageLog } from './message-log';
import type { Listener } from './server';
import type { Session } from './session';
import { createOcppStore } from './store';
import { createTransactions } from './transactions';

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

/**
 * For a charger connection we close without waiting. ocpp-rpc's close() awaits the socket's
 * 'close' with events.once, which REJECTS when the socket emits 'error' first, e.g. ws refusing
 * an oversize frame that arrived after we decided to close (a flooding charger): left unhandled,
 * that rejection ended the process (exit 70). The socket is closed either way.
 */
export const closeFailed = (): undefined => undefined;

/** A call of ours is logged unanswered this long after its timeout (its answer may be on the way). */
export const GIVE_UP_MARGIN_MS = 5_000;

export const bracket = (host: string) => (host.includes(':') ? `[${host}]` : host);
export const plainIp = (a: string | undefined | null) => (a ? a.replace(/^::ffff:/, '') : null);

export type OcppRuntime = ReturnType<typeof createRuntime>;

export function createRuntime(seams: Seams, options: OcppOptions | undefined, deps: OcppDeps) {
  const { db, clock, domainEvents } = seams;
  const logger = seams.logger.child({ module: 'ocpp' });
  const store = createOcppStore(db, logger, undefined, domainEvents);
  // A flag raised while a charger message is handled is published after that message's own
  // event (a started transaction before its "flagged"), see inbound.ts run().
  const flags = { holding: false, held: [] as DomainEventOf<'transaction.flagged'>[] };
  const tx = createTransactions(db, (f) => {
    const e = { type: 'transaction.flagged', ...f, at: clock.now() } as const;
    if (flags.holding) flags.held.push(e);
    else domainEvents.publish(e);
  });
  const limits: OcppLimits = { ...DEFAULT_LIMITS, ...options?.limits };
  /** Per identity, across its connections: a reconnection does not refill them. */
  const budgets = new Map<string, ChargerBudget>();

  /** Registers a station through the model service, so adoption and commissioning get the same
   *  checks (site exists, floor on that site, identity unique) as a station added by hand. */
  async function insertStation(input: Omit<StationCreate, 'maxCurrentA' | 'phases'>) {
    const station = await deps.createStation(
      { maxCurrentA: 32, phases: 'three', ...input },
      clock.now(),
    );
    return station.id;
  }

  return {
    seams,
    options,
    deps,
    db,
    clock,
    logger,
    store,
    tx,
    flags,
    commissioning: createCommissioning(db, store),
    limits,
    callTimeoutMs: options?.callTimeoutMs ?? 30_000,
    /** The live session per charger identity (one connection each: the newest wins). */
    sessions: new Map<string, Session>(),
    // Live sessions, least recently heard from first (a message moves its session to the end):
    // the offline sweep reads from the front and stops at the first one still fresh, instead of
    // touching every session every second (~10 ms at 10,000 chargers, a stall every charger
    // waits behind).
    byActivity: new ActivityList<Session>(),
    /** Sessions with calls of ours awaiting an answer (the sweep gives up on them). */
    awaiting: new Set<Session>(),
    /** Bumped when a restore replaces the data: sessions and handshakes from before are void. */
    dataEpoch: 0,
    /** Identities disconnected for flooding: their reconnections are refused until then. */
    abusiveUntil: new Map<string, number>(),
    /** The running listeners (listeners.ts); file URLs name the plain one's port. */
    listeners: { plain: null as Listener | null, secure: null as Listener | null },
    /** Makes sure the sweep runs by then (sweeps.ts sets it while the server runs). */
    sweepBy: ((_at: number) => {}) as (at: number) => void,
    budgetOf(identity: string): ChargerBudget {
      let b = budgets.get(identity);
      if (!b) budgets.set(identity, (b = new ChargerBudget(limits, clock.now())));
      return b;
    },
    updateStation(id: number, patch: Partial<typeof stations.$inferInsert>): void {
      db.update(stations)
        .set({ ...patch, updatedAt: clock.now() })
        .where(eq(stations.id, id))
        .run();
    },
    insertStation,
  };
}
