// Keeps each charger's local authorisation list (OCPP 1.6 §5.15 SendLocalList) in step with the
// cards allowed on it (local-list-plan.ts), so a card revoked here is refused offline too.
// Driven by the domain events card.changed / account.changed / bay.changed (after COMMIT), by a
// wake-up on the injected clock when an account opens on a later date (a lot's new owner), and
// by the post-boot setup (sync(stationId, 'Full')).
//
// Per charger we keep what it last accepted and its version (local_list_snapshots). A change is
// sent as Differentials (additions/updates with idTagInfo, removals without), after asking the
// charger its version (GetLocalListVersion): a version that disagrees, or an answer Failed /
// VersionMismatch, gets the whole list instead. A whole list longer than the charger takes in
// one message (SendLocalListMaxLength) goes as a Full with the first piece, then Differentials;
// a list longer than the charger holds (LocalAuthListMaxLength) is cut as local-list-plan.ts
// says. Where a card was revoked the charger's authorisation cache is cleared too (ClearCache).
import { and, eq, gt, inArray, max, min } from 'drizzle-orm';
import type { Db } from '../db/open';
import {
  accounts as accountsTable,
  idTags,
  localListSnapshots,
  stationConfig,
  stations,
  transactions,
} from '../db/schema';
import type { Logger } from '../platform/logger';
import type { Clock } from '../platform/clock';
import type { DomainEvents } from '../platform/domain-events';
import type { Scheduler } from '../platform/scheduler';
import type { ChargerGateway } from '../ocpp/gateway';
import type { Cards } from './cards';
import type { Accounts } from './accounts';
import {
  differences,
  pieces,
  planList,
  revokes,
  type IdTagInfo,
  type ListCandidate,
  type ListEntry,
  type ListPlan,
} from './local-list-plan';

export type LocalListResult =
  'Accepted' | 'Failed' | 'VersionMismatch' | 'NotSupported' | 'offline' | 'error';

const iso = (t: number) => new Date(t).toISOString();

export function createLocalListSync(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  gateway: ChargerGateway;
  events: DomainEvents;
  scheduler: Scheduler;
  cards: Cards;
  accounts: Accounts;
}) {
  const { db, clock, logger, gateway, cards, accounts } = deps;

  // ── What the charger reported (GetConfiguration after boot) ──
  function configValue(stationId: number, key: string): string | null {
    return (
      db
        .select({ value: stationConfig.value })
        .from(stationConfig)
        .where(and(eq(stationConfig.stationId, stationId), eq(stationConfig.key, key)))
        .get()?.value ?? null
    );
  }
  const positiveInt = (v: string | null) => {
    const n = v === null ? NaN : Number(v);
    return Number.isInteger(n) && n > 0 ? n : null;
  };
  /** False when the charger reported its profiles without LocalAuthListManagement. */
  function supported(stationId: number): boolean | null {
    const v = configValue(stationId, 'SupportedFeatureProfiles');
    if (!v) return null;
    return v.split(',').some((p) => p.trim() === 'LocalAuthListManagement');
  }
  const capacityOf = (stationId: number) =>
    positiveInt(configValue(stationId, 'LocalAuthListMaxLength'));
  const pieceSizeOf = (stationId: number) =>
    positiveInt(configValue(stationId, 'SendLocalListMaxLength'));

  // ── What the charger should hold ──
  function lastUsed(siteId: number): Map<string, number> {
    const rows = db
      .select({ idTag: transactions.idTag, at: max(transactions.startedAt) })
      .from(transactions)
      .where(
        inArray(
          transactions.stationId,
          db.select({ id: stations.id }).from(stations).where(eq(stations.siteId, siteId)),
        ),
      )
      .groupBy(transactions.idTag)
      .all();
    return new Map(rows.map((r) => [r.idTag, r.at ?? 0]));
  }

  function plan(stationId: number, siteId: number, now: number): ListPlan {
    const bays = accounts.baysOfStation(stationId);
    const privateLots = new Set(
      bays.filter((b) => b.kind === 'private' && b.lotNumber !== null).map((b) => b.lotNumber),
    );
    const onlyPrivate = bays.length > 0 && bays.every((b) => b.kind === 'private');
    const open = new Map(
      accounts
        .list(siteId, {}, now)
        .filter((a) => accounts.isOpen(a, now))
        .map((a) => [a.id, a]),
    );
    const candidates: ListCandidate[] = [];
    const siteTags = new Set<string>();
    for (const c of cards.list({ siteId }, now)) {
      siteTags.add(c.idTag);
      const account = open.get(c.accountId);
      if (c.effectiveStatus !== 'active' || !account) continue;
      const ofBay = privateLots.has(account.lotNumber);
      if (onlyPrivate && !ofBay) continue;
      // Offline the charger cannot know the account closes: the earlier end goes in the list.
      const ends = [c.expiresAt, account.closedAt].filter((v): v is number => v !== null);
      const info: IdTagInfo = { status: 'Accepted' };
      if (ends.length > 0) info.expiryDate = iso(Math.min(...ends));
      candidates.push({
        idTag: c.idTag,
        info,
        group: ofBay ? 0 : 1,
        lastUsedAt: 0,
        createdAt: c.createdAt,
      });
    }
    for (const t of db.select().from(idTags).all()) {
      if (siteTags.has(t.idTag) || t.status !== 'Accepted') continue;
      if (t.expiryDate !== null && t.expiryDate <= now) continue;
      const info: IdTagInfo = { status: 'Accepted' };
      if (t.expiryDate !== null) info.expiryDate = iso(t.expiryDate);
      candidates.push({ idTag: t.idTag, info, group: 2, lastUsedAt: 0, createdAt: t.createdAt });
    }
    const capacity = capacityOf(stationId);
    if (capacity !== null && candidates.length > capacity) {
      // Only a list that does not fit needs the (heavier) last-use ranking.
      const used = lastUsed(siteId);
      for (const c of candidates) c.lastUsedAt = used.get(c.idTag) ?? 0;
    }
    return planList(candidates, capacity);
  }

  // ── What the charger holds (as far as we know) ──
  function snapshot(stationId: number) {
    return db
      .select()
      .from(localListSnapshots)
      .where(eq(localListSnapshots.stationId, stationId))
      .get();
  }
  function heldOf(snap: ReturnType<typeof snapshot>): Map<string, IdTagInfo> {
    return new Map(
      Object.entries(snap ? (JSON.parse(snap.entries) as Record<string, IdTagInfo>) : {}),
    );
  }
  function save(
    stationId: number,
    result: LocalListResult,
    held?: { version: number; entries: Map<string, IdTagInfo> },
  ) {
    const set = {
      result,
      ...(held
        ? {
            version: held.version,
            entries: JSON.stringify(Object.fromEntries(held.entries)),
            syncedAt: clock.now(),
          }
        : {}),
    };
    db.insert(localListSnapshots)
      .values({ stationId, version: 0, entries: '{}', ...set })
      .onConflictDoUpdate({ target: localListSnapshots.stationId, set })
      .run();
  }

  // ── Talking to the charger ──
  type Sent = { status: LocalListResult; version: number; held: Map<string, IdTagInfo> };

  async function sendList(
    stationId: number,
    version: number,
    type: 'Full' | 'Differential',
    list: ListEntry[],
  ): Promise<LocalListResult> {
    const r = await gateway.send(stationId, 'SendLocalList', {
      listVersion: version,
      updateType: type,
      localAuthorizationList: list,
    });
    if (r.ok) return 'Accepted';
    switch (r.failure.kind) {
      case 'rejected':
        return r.failure.status === 'Failed' ||
          r.failure.status === 'VersionMismatch' ||
          r.failure.status === 'NotSupported'
          ? r.failure.status
          : 'error';
      case 'offline':
        return 'offline';
      case 'call-error':
        return r.failure.code === 'NotImplemented' || r.failure.code === 'NotSupported'
          ? 'NotSupported'
          : 'error';
      case 'timeout':
      case 'invalid':
        return 'error';
    }
  }

  /** Applies `changes` to `held` piece by piece, each with the next version. */
  async function sendPieces(
    stationId: number,
    from: { version: number; held: Map<string, IdTagInfo> },
    first: 'Full' | 'Differential',
    changes: ListEntry[],
  ): Promise<Sent> {
    let version = from.version;
    let held = first === 'Full' ? new Map<string, IdTagInfo>() : new Map(from.held);
    let type = first;
    for (const piece of pieces(changes, pieceSizeOf(stationId))) {
      const status = await sendList(stationId, version + 1, type, piece);
      if (status !== 'Accepted') {
        // A Full refused leaves the charger's list as it was.
        return type === 'Full' ? { status, ...from } : { status, version, held };
      }
      version += 1;
      if (type === 'Full') held = new Map();
      for (const e of piece) {
        if (e.idTagInfo) held.set(e.idTag, e.idTagInfo);
        else held.delete(e.idTag);
      }
      type = 'Differential';
    }
    return { status: 'Accepted', version, held };
  }

  async function syncNow(
    stationId: number,
    siteId: number,
    mode: 'Full' | 'Differential',
  ): Promise<{ status: LocalListResult; listVersion: number }> {
    if (supported(stationId) === false) {
      save(stationId, 'NotSupported');
      return { status: 'NotSupported', listVersion: snapshot(stationId)?.version ?? 0 };
    }
    if (!gateway.liveState(stationId)?.connected) {
      // Sent in full at its next boot (post-boot setup).
      save(stationId, 'offline');
      return { status: 'offline', listVersion: snapshot(stationId)?.version ?? 0 };
    }
    const want = plan(stationId, siteId, clock.now()).entries;
    const snap = snapshot(stationId);
    const from = { version: snap?.version ?? 0, held: heldOf(snap) };
    let full = mode === 'Full' || !snap?.syncedAt;
    let result: Sent | null = null;
    if (!full) {
      const diff = differences(from.held, want);
      if (diff.length === 0) return { status: 'Accepted', listVersion: from.version };
      // The charger may have lost or replaced its list (reset, another system): ask first.
      const v = await gateway.send(stationId, 'GetLocalListVersion', {});
      if (!v.ok && v.failure.kind === 'offline') {
        save(stationId, 'offline');
        return { status: 'offline', listVersion: from.version };
      }
      if (v.ok && v.answer.listVersion === -1) {
        save(stationId, 'NotSupported');
        return { status: 'NotSupported', listVersion: from.version };
      }
      if (v.ok && v.answer.listVersion === from.version) {
        result = await sendPieces(stationId, from, 'Differential', diff);
        if (result.status === 'Failed' || result.status === 'VersionMismatch') full = true;
      } else {
        if (v.ok) from.version = Math.max(from.version, v.answer.listVersion);
        full = true;
      }
    }
    if (full) {
      const entries = [...want].map(([idTag, idTagInfo]) => ({ idTag, idTagInfo }));
      result = await sendPieces(stationId, from, 'Full', entries);
    }
    if (!result) throw new Error('local list: nothing sent');
    const changed = result.status === 'Accepted' || result.version !== from.version;
    save(
      stationId,
      result.status,
      changed ? { version: result.version, entries: result.held } : undefined,
    );
    if (result.status === 'Accepted' && revokes(from.held, result.held)) {
      // A revoked card may still be in the charger's authorisation cache.
      await gateway.send(stationId, 'ClearCache', {});
    }
    return { status: result.status, listVersion: result.version };
  }

  // One sync at a time per charger (a site's sync and a boot's may meet).
  const stationBusy = new Map<number, Promise<unknown>>();
  function sync(
    stationId: number,
    mode: 'Full' | 'Differential' = 'Differential',
  ): Promise<{ status: LocalListResult; listVersion: number }> {
    const station = db
      .select({ siteId: stations.siteId })
      .from(stations)
      .where(eq(stations.id, stationId))
      .get();
    if (!station?.siteId) return Promise.resolve({ status: 'error', listVersion: 0 });
    const siteId = station.siteId;
    const before = stationBusy.get(stationId) ?? Promise.resolve();
    const run = before
      .catch(() => undefined)
      .then(() => syncNow(stationId, siteId, mode))
      .catch((cause: unknown) => {
        logger.warn('local list sync failed', { stationId, cause: String(cause) });
        save(stationId, 'error');
        return { status: 'error' as const, listVersion: snapshot(stationId)?.version ?? 0 };
      })
      .finally(() => {
        if (stationBusy.get(stationId) === run) stationBusy.delete(stationId);
      });
    stationBusy.set(stationId, run);
    return run;
  }

  /** After a change: every charger of the site, in turn (offline ones get it at their boot). */
  async function syncSite(siteId: number): Promise<void> {
    const list = db
      .select({ id: stations.id })
      .from(stations)
      .where(eq(stations.siteId, siteId))
      .all();
    for (const s of list) await sync(s.id);
    wakeForNextOpening(siteId);
  }

  /** An account that opens later (a lot's new owner): its cards join the lists on that date. */
  function wakeForNextOpening(siteId: number) {
    const now = clock.now();
    const next = db
      .select({ at: min(accountsTable.openedAt) })
      .from(accountsTable)
      .where(and(eq(accountsTable.siteId, siteId), gt(accountsTable.openedAt, now)))
      .get()?.at;
    deps.scheduler.wakeAt(`local-list.site-${siteId}`, next ?? null, () => schedule(siteId));
  }

  // One site sync at a time; a change during a sync runs one more after it.
  const running = new Map<number, Promise<void>>();
  const again = new Set<number>();
  function schedule(siteId: number): Promise<void> {
    const busy = running.get(siteId);
    if (busy) {
      again.add(siteId);
      return busy;
    }
    const p = syncSite(siteId)
      .catch((cause: unknown) => {
        // E.g. the core closing meanwhile: the next boot sends the full list anyway.
        logger.warn('local list sync stopped', { siteId, cause: String(cause) });
      })
      .finally(() => {
        running.delete(siteId);
        if (again.delete(siteId)) void schedule(siteId);
      });
    running.set(siteId, p);
    return p;
  }

  function status(stationId: number) {
    const snap = snapshot(stationId);
    const sup = supported(stationId);
    const station = db
      .select({ siteId: stations.siteId })
      .from(stations)
      .where(eq(stations.id, stationId))
      .get();
    const p = station?.siteId ? plan(stationId, station.siteId, clock.now()) : null;
    return {
      supported: sup !== false && snap?.result !== 'NotSupported',
      version: snap?.syncedAt ? snap.version : null,
      syncedAt: snap?.syncedAt ?? null,
      result: snap?.result ?? null,
      entries: snap?.syncedAt ? heldOf(snap).size : null,
      /** Cards and id tags allowed on this charger now. */
      wanted: p?.wanted ?? null,
      /** How many of them its list has no room for (LocalAuthListMaxLength). */
      omitted: p?.omitted ?? 0,
      capacity: capacityOf(stationId),
    };
  }

  /** Starts following the domain events (and arms the wake-ups for accounts opening later). */
  function start(): () => void {
    const offs = [
      deps.events.subscribe('card.changed', (e) => void schedule(e.siteId)),
      deps.events.subscribe('account.changed', (e) => void schedule(e.siteId)),
      deps.events.subscribe('bay.changed', (e) => void schedule(e.siteId)),
      // A charger back after a network outage usually does not boot again, so the post-boot
      // setup never sends it the list: bring it up to date here (a card replaced or blocked
      // while it was away would still work offline). Nothing is sent when it already holds
      // what it should; a charger never synced is left to its post-boot setup.
      deps.events.subscribe('station.connected', (e) => {
        if (snapshot(e.stationId)?.syncedAt) void sync(e.stationId);
      }),
    ];
    const sites = db.selectDistinct({ siteId: stations.siteId }).from(stations).all();
    for (const s of sites) if (s.siteId) wakeForNextOpening(s.siteId);
    return () => offs.forEach((off) => off());
  }

  return {
    start,
    sync,
    schedule,
    status,
    plan,
    /** Resolves once no sync is running or due to run again (tests, shutdown). */
    async idle(): Promise<void> {
      while (running.size > 0 || stationBusy.size > 0) {
        await Promise.all([...running.values(), ...stationBusy.values()]);
      }
    },
  };
}

export type LocalListSync = ReturnType<typeof createLocalListSync>;
