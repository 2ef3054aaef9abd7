// The rules: domain events in, alarms raised, folded and cleared out. Timed rules (a charger
// offline beyond its grace period, a session's meter silent) wait on the scheduler's one-shot
// wake-ups on the injected clock, never on their own timers. What the timers know is derived:
// rebuilt from the database at start-up and after a restore (a restarted core has seen no
// events), then kept up to date by the events.
import { eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../db/open';
import { stations, transactions } from '../db/schema';
import type { Clock } from '../platform/clock';
import type { DomainEventOf, DomainEvents } from '../platform/domain-events';
import type { Logger } from '../platform/logger';
import type { Scheduler } from '../platform/scheduler';
import type { AlarmStore } from './store';

/** "GroundFailure" → "ground failure". */
export const humanise = (code: string) =>
  code
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase();

const outlet = (n: number) => (n === 0 ? 'the charger' : `outlet ${n}`);

interface StationInfo {
  id: number;
  siteId: number;
  name: string;
  identity: string;
  blocked: boolean;
}

interface Silent {
  stationId: number | null;
  connectorNumber: number;
  lastAt: number;
}

export function startAlarmRules(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  domainEvents: DomainEvents;
  scheduler: Scheduler;
  store: AlarmStore;
}): { reset(): void; stop(): void } {
  const { db, clock, store, scheduler } = deps;
  const logger = deps.logger.child({ component: 'alarms' });
  /** Stations connected now (by id): a wake-up finding its station back does nothing. */
  const connected = new Set<number>();
  /** Offline wake-ups armed, by station id. */
  const offlineArmed = new Set<number>();
  /** Active sessions: when their meter last spoke. */
  const silent = new Map<number, Silent>();
  /** Sessions with a meter-silent alarm active (a reading then clears it). */
  const silentRaised = new Set<number>();
  let silentWakeAt: number | null = null;

  function station(id: number | null): StationInfo | null {
    if (id === null) return null;
    return (
      db
        .select({
          id: stations.id,
          siteId: stations.siteId,
          name: stations.name,
          identity: stations.identity,
          blocked: stations.blocked,
        })
        .from(stations)
        .where(eq(stations.id, id))
        .get() ?? null
    );
  }
  const stationLabel = (s: StationInfo | null, fallback: string) =>
    s ? `${s.name} (${s.identity})` : fallback;

  // ── Outlet faults and manufacturer codes ──
  function onStatus(e: DomainEventOf<'connector.status'>): void {
    const st = station(e.stationId);
    const where = `${stationLabel(st, `Station #${e.stationId}`)} ${outlet(e.connectorNumber)}`;
    const base = { siteId: e.siteId, stationId: e.stationId, connectorNumber: e.connectorNumber };
    const vendor = e.vendorErrorCode
      ? `${e.vendorId ? `${e.vendorId} ` : ''}code ${e.vendorErrorCode}`
      : null;
    const detail = [e.info, vendor].filter(Boolean).join(' · ') || null;
    let raised: string | null = null;
    if (e.errorCode && !(e.errorCode === 'OtherError' && e.vendorErrorCode)) {
      raised = `connector-fault:${e.stationId}:${e.connectorNumber}:${e.errorCode}`;
      store.raise({
        ...base,
        rule: 'connector-fault',
        foldKey: raised,
        title: `${where}: ${humanise(e.errorCode)}`,
        detail:
          e.status === 'Faulted'
            ? detail
            : [`still ${e.status}`, detail].filter(Boolean).join(' · '),
        at: e.at,
      });
    } else if (e.vendorErrorCode) {
      raised = `vendor-error:${e.stationId}:${e.connectorNumber}:${e.vendorId ?? ''}:${e.vendorErrorCode}`;
      store.raise({
        ...base,
        rule: 'vendor-error',
        foldKey: raised,
        title: `${where}: manufacturer error ${e.vendorErrorCode}`,
        detail,
        at: e.at,
      });
    }
    // Whatever it reports now replaces what it reported before on this outlet.
    const reason = raised
      ? 'The charger reported a different error on this outlet.'
      : `The charger reported no error (${e.status}).`;
    for (const rule of ['connector-fault', 'vendor-error'] as const) {
      store.clearAuto(
        { rule, stationId: e.stationId, connectorNumber: e.connectorNumber, except: raised },
        e.at,
        reason,
      );
    }
  }

  // ── Offline beyond the grace period ──
  function graceMs(): number {
    return (store.ruleSetting('station-offline').delaySeconds ?? 300) * 1000;
  }
  function armOffline(stationId: number, since: number): void {
    offlineArmed.add(stationId);
    scheduler.wakeAt(`alarms.offline.${stationId}`, since + graceMs(), () => {
      offlineArmed.delete(stationId);
      if (connected.has(stationId)) return;
      const st = station(stationId);
      // A removed or blocked charger is not expected back: nothing to raise.
      if (!st || st.blocked) return;
      store.raise({
        rule: 'station-offline',
        foldKey: `station-offline:${stationId}`,
        siteId: st.siteId,
        stationId,
        connectorNumber: null,
        title: `${stationLabel(st, '')} is offline`,
        detail: `Disconnected since ${new Date(since).toISOString()}; no connection for ${Math.round(graceMs() / 1000)} seconds.`,
        at: clock.now(),
      });
    });
  }
  function onConnected(e: DomainEventOf<'station.connected'>): void {
    connected.add(e.stationId);
    if (offlineArmed.delete(e.stationId)) {
      scheduler.wakeAt(`alarms.offline.${e.stationId}`, null, () => undefined);
    }
    store.clearAuto(
      { rule: 'station-offline', stationId: e.stationId },
      e.at,
      'The charger connected again.',
    );
    store.clearAuto(
      { foldKey: `unknown-charger:${e.identity}` },
      e.at,
      'The charger was registered and connected.',
    );
  }
  function onDisconnected(e: DomainEventOf<'station.disconnected'>): void {
    connected.delete(e.stationId);
    armOffline(e.stationId, e.at);
  }

  function onBooted(e: DomainEventOf<'station.booted'>): void {
    const key = `boot-rejected:${e.stationId}`;
    if (e.status === 'Rejected') {
      store.raise({
        rule: 'boot-rejected',
        foldKey: key,
        siteId: e.siteId,
        stationId: e.stationId,
        connectorNumber: null,
        title: `${stationLabel(station(e.stationId), e.identity)} was turned away at start-up`,
        detail: 'It is blocked: unblock it on its page to let it charge again.',
        at: e.at,
      });
    } else if (e.status === 'Accepted') {
      store.clearAuto({ foldKey: key }, e.at, 'The charger was accepted at its next start-up.');
    }
  }

  function onFlagged(e: DomainEventOf<'transaction.flagged'>): void {
    const st = station(e.stationId);
    const backwards = /meter went backwards/.test(e.reason);
    const rule = backwards ? 'meter-backwards' : 'transaction-suspect';
    store.raise({
      rule,
      foldKey: `${rule}:${e.transactionId}`,
      siteId: st?.siteId ?? null,
      stationId: e.stationId,
      connectorNumber: null,
      title: backwards
        ? `${stationLabel(st, 'A removed station')}: the meter went backwards in session #${e.transactionId}`
        : `Session #${e.transactionId} at ${stationLabel(st, 'a removed station')} flagged ${e.flag === 'review' ? 'for review' : 'as suspect'}`,
      detail: e.reason,
      at: e.at,
    });
  }

  // ── Meter silent during a session ──
  function silenceMs(): number {
    return (store.ruleSetting('meter-silent').delaySeconds ?? 1800) * 1000;
  }
  /** One wake-up for the earliest silence deadline (not one per session per reading). */
  function armSilence(): void {
    if (silentWakeAt !== null) return;
    let earliest: number | null = null;
    for (const [id, s] of silent) {
      if (silentRaised.has(id)) continue;
      if (earliest === null || s.lastAt < earliest) earliest = s.lastAt;
    }
    if (earliest === null) return;
    silentWakeAt = earliest + silenceMs();
    scheduler.wakeAt('alarms.meter-silent', silentWakeAt, checkSilence);
  }
  function checkSilence(): void {
    silentWakeAt = null;
    const now = clock.now();
    const limit = silenceMs();
    for (const [id, s] of silent) {
      if (silentRaised.has(id) || now - s.lastAt < limit) continue;
      // An offline charger has its own alarm; its readings arrive when it is back.
      if (s.stationId !== null && !connected.has(s.stationId)) continue;
      const st = station(s.stationId);
      silentRaised.add(id);
      store.raise({
        rule: 'meter-silent',
        foldKey: `meter-silent:${id}`,
        siteId: st?.siteId ?? null,
        stationId: s.stationId,
        connectorNumber: s.connectorNumber,
        title: `${stationLabel(st, 'A station')} ${outlet(s.connectorNumber)}: no meter reading in session #${id}`,
        detail: `Last reading ${new Date(s.lastAt).toISOString()}.`,
        at: now,
      });
    }
    armSilence();
  }
  function onMeter(e: DomainEventOf<'transaction.started' | 'transaction.meter'>): void {
    silent.set(e.transactionId, {
      stationId: e.stationId,
      connectorNumber: e.connectorNumber,
      lastAt: Math.max(e.at, clock.now()),
    });
    if (silentRaised.delete(e.transactionId)) {
      store.clearAuto({ foldKey: `meter-silent:${e.transactionId}` }, e.at, 'A reading arrived.');
    }
    armSilence();
  }
  function onStopped(e: DomainEventOf<'transaction.stopped'>): void {
    silent.delete(e.transactionId);
    if (silentRaised.delete(e.transactionId)) {
      store.clearAuto({ foldKey: `meter-silent:${e.transactionId}` }, e.at, 'The session ended.');
    }
  }

  // ── Unknown chargers (failed commands: operation-rules.ts) ──
  function onRefused(e: DomainEventOf<'station.connection-refused'>): void {
    // A registered charger refused (wrong password, blocked) is named on its own page; an
    // identity nobody registered is someone's new charger waiting to be adopted.
    if (e.stationId !== null) return;
    store.raise({
      rule: 'unknown-charger',
      foldKey: `unknown-charger:${e.identity}`,
      siteId: null,
      stationId: null,
      connectorNumber: null,
      title: `Unknown charger ${e.identity} tried to connect`,
      detail: `${e.reason}${e.ip ? ` (from ${e.ip})` : ''}: adopt it on New chargers if it is one of yours.`,
      at: e.at,
    });
  }

  // ── The mail server and backups ──
  function onMailFailed(e: DomainEventOf<'mail.failed'>): void {
    store.raise({
      rule: 'email-failed',
      foldKey: 'email-failed',
      siteId: null,
      stationId: null,
      connectorNumber: null,
      title: 'An email could not be delivered',
      detail: `“${e.subject}”: ${e.reason}`,
      at: e.at,
      // An alarm email through a mail server that is failing fails too, adding a second failed
      // message per failure: shown in the app (and the digest) instead.
      email: !e.transport,
    });
  }
  function onBackupFailed(e: DomainEventOf<'backup.failed'>): void {
    store.raise({
      rule: 'backup-failed',
      foldKey: 'backup-failed',
      siteId: null,
      stationId: null,
      connectorNumber: null,
      title: 'A backup could not be written',
      detail: e.reason,
      at: e.at,
    });
  }

  // ── Load balancing: the controller publishes the whole set of faults a site has now ──
  function onBalancingFaults(e: DomainEventOf<'balancing.faults'>): void {
    const keyOf = (k: string) => `load-balancing-fault:${e.siteId}:${k}`;
    const now = new Set(e.faults.map((f) => keyOf(f.key)));
    for (const f of e.faults) {
      // The set is republished whenever any fault changes: a fault still active is no repeat.
      if (store.isActive(keyOf(f.key))) continue;
      store.raise({
        rule: 'load-balancing-fault',
        foldKey: keyOf(f.key),
        siteId: e.siteId,
        stationId: f.stationId,
        connectorNumber: f.connectorNumber,
        title: f.title,
        detail: f.detail,
        at: e.at,
      });
    }
    for (const a of store.activeOf('load-balancing-fault'))
      if (a.siteId === e.siteId && !now.has(a.foldKey))
        store.clearAuto(
          { foldKey: a.foldKey },
          e.at,
          'Load balancing no longer sees this fault (the charger follows its limits again, was removed, or the load fell).',
        );
  }

  /** What the timers need to know, from the database (start-up, after a restore). */
  function rebuild(): void {
    const now = clock.now();
    // Every charger that ever connected is offline until it connects to this process: the
    // grace period runs from now (it may come back on its own after a restart).
    const seen = db
      .select({ id: stations.id })
      .from(stations)
      .where(isNotNull(stations.lastSeenAt))
      .all();
    const offline = new Set(store.activeOf('station-offline').map((a) => a.stationId));
    for (const s of seen) if (!connected.has(s.id) && !offline.has(s.id)) armOffline(s.id, now);
    for (const t of db
      .select({
        id: transactions.id,
        stationId: transactions.stationId,
        c: transactions.connectorNumber,
      })
      .from(transactions)
      .where(eq(transactions.status, 'active'))
      .all()) {
      silent.set(t.id, { stationId: t.stationId, connectorNumber: t.c, lastAt: now });
    }
    for (const a of store.activeOf('meter-silent')) {
      const id = Number(a.foldKey.split(':')[1]);
      if (silent.has(id)) silentRaised.add(id);
    }
    armSilence();
  }

  function clearTimers(): void {
    for (const id of offlineArmed) scheduler.wakeAt(`alarms.offline.${id}`, null, () => undefined);
    offlineArmed.clear();
    scheduler.wakeAt('alarms.meter-silent', null, () => undefined);
    silentWakeAt = null;
    silent.clear();
    silentRaised.clear();
  }

  const guard =
    <E>(name: string, fn: (e: E) => void) =>
    (e: E) => {
      try {
        fn(e);
      } catch (error) {
        // An alarm that cannot be written must not stop the next one (the event is logged).
        logger.error('alarm rule failed', { rule: name, error });
      }
    };
  const ev = deps.domainEvents;
  const unsubscribe = [
    ev.subscribe('connector.status', guard('connector-status', onStatus)),
    ev.subscribe('station.connected', guard('connected', onConnected)),
    ev.subscribe('station.disconnected', guard('disconnected', onDisconnected)),
    ev.subscribe('station.booted', guard('booted', onBooted)),
    ev.subscribe('transaction.flagged', guard('flagged', onFlagged)),
    ev.subscribe('transaction.started', guard('started', onMeter)),
    ev.subscribe('transaction.meter', guard('meter', onMeter)),
    ev.subscribe('transaction.stopped', guard('stopped', onStopped)),
    ev.subscribe('balancing.faults', guard('balancing-faults', onBalancingFaults)),
    ev.subscribe('station.connection-refused', guard('refused', onRefused)),
    ev.subscribe('mail.failed', guard('mail-failed', onMailFailed)),
    ev.subscribe(
      'mail.sent',
      guard('mail-sent', (e) =>
        store.clearAuto({ foldKey: 'email-failed' }, e.at, 'An email was delivered again.'),
      ),
    ),
    ev.subscribe('backup.failed', guard('backup-failed', onBackupFailed)),
    ev.subscribe(
      'billing.run-prepared',
      guard('billing-run-prepared', (e) =>
        store.raise({
          rule: 'billing-run-prepared',
          foldKey: `billing-run-prepared:${e.siteId}:${e.periodStart}`,
          siteId: e.siteId,
          stationId: null,
          connectorNumber: null,
          title: `The ${e.periodLabel} invoice run is ready to review`,
          detail: `${e.accounts} account${e.accounts === 1 ? '' : 's'} to invoice, ${e.held} session${e.held === 1 ? '' : 's'} held for review. Nothing is issued until a manager issues it (Billing → Invoice runs).`,
          at: e.at,
          // The managers were emailed with the run's figures already.
          email: false,
        }),
      ),
    ),
    ev.subscribe(
      'billing.run-issued',
      guard('billing-run-issued', (e) =>
        store.clearAuto(
          { foldKey: `billing-run-prepared:${e.siteId}:${e.periodStart}` },
          e.at,
          'A manager issued this invoice run.',
        ),
      ),
    ),
    ev.subscribe(
      'balancing.meter-quiet',
      guard('meter-quiet', (e) =>
        store.raise({
          rule: 'load-meter-quiet',
          foldKey: `load-meter-quiet:${e.siteId}:${e.target}`,
          siteId: e.siteId,
          stationId: null,
          connectorNumber: null,
          title: `The ${e.target === 'supply' ? 'supply' : `circuit ${e.target}`} meter (${e.host}) is quiet: charging limited to the assumed load`,
          detail: e.reason,
          at: e.at,
        }),
      ),
    ),
    ev.subscribe(
      'balancing.meter-restored',
      guard('meter-restored', (e) =>
        store.clearAuto(
          { foldKey: `load-meter-quiet:${e.siteId}:${e.target}` },
          e.at,
          'The meter reads again.',
        ),
      ),
    ),
    ev.subscribe(
      'backup.completed',
      guard('backup-completed', (e) =>
        store.clearAuto({ foldKey: 'backup-failed' }, e.at, `Backup ${e.fileName} was written.`),
      ),
    ),
  ];
  rebuild();

  return {
    /** After a live restore: the connections were dropped, the data replaced. */
    reset() {
      clearTimers();
      connected.clear();
      rebuild();
    },
    stop() {
      clearTimers();
      for (const u of unsubscribe) u();
    },
  };
}
