// Keeps each charger's local authorisation list (OCPP 1.6 §5.15 SendLocalList) in step with the
// site's cards, so a card revoked here is refused offline too. Called after a card change has
// committed (ResidentsService.onCardsChanged; it can move onto domain events later) and for the
// post-boot Full list (entriesFor). Per charger we keep what it last accepted and its version:
// a change is sent as a Differential (additions/updates with idTagInfo, removals without); a
// version that disagrees with the charger's stored one, or an answer Failed/VersionMismatch,
// gets the whole list (Full). Where a card was revoked the charger's cache is cleared too.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/open';
import { localListSnapshots, stationConfig, stations } from '../db/schema';
import type { Logger } from '../platform/logger';
import type { Clock } from '../platform/clock';
import type { OcppService } from '../ocpp/service';
import type { Cards } from './cards';
import type { Accounts } from './accounts';

export interface LocalEntry {
  idTag: string;
  idTagInfo?: { status: string; expiryDate?: string };
}

type Info = { status: string; expiryDate?: string };

export type LocalListResult =
  'Accepted' | 'Failed' | 'VersionMismatch' | 'NotSupported' | 'offline' | 'error';

export function createLocalListSync(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  ocpp: OcppService;
  cards: Cards;
  accounts: Accounts;
}) {
  const { db, clock, logger, ocpp, cards, accounts } = deps;

  /** What a charger of the site should hold now: its cards that may charge, and the
   *  organisation-wide id tags the site has no card for. */
  function wanted(siteId: number, now: number): Map<string, Info> {
    const out = new Map<string, Info>();
    for (const t of ocpp.store.listIdTags()) {
      if (t.status !== 'Accepted' || (t.expiryDate !== null && t.expiryDate <= now)) continue;
      out.set(t.idTag, {
        status: 'Accepted',
        ...(t.expiryDate !== null ? { expiryDate: new Date(t.expiryDate).toISOString() } : {}),
      });
    }
    for (const c of cards.list({ siteId }, now)) {
      out.delete(c.idTag);
      if (c.effectiveStatus !== 'active') continue;
      const account = accounts.get(c.accountId);
      if (!account || !accounts.isOpen(account, now)) continue;
      // Offline the charger cannot know the account closes: the earlier end goes in the list.
      const ends = [c.expiresAt, account.closedAt].filter((v): v is number => v !== null);
      const expiry = ends.length > 0 ? Math.min(...ends) : null;
      out.set(c.idTag, {
        status: 'Accepted',
        ...(expiry !== null ? { expiryDate: new Date(expiry).toISOString() } : {}),
      });
    }
    return out;
  }

  const toEntries = (m: Map<string, Info>): LocalEntry[] =>
    [...m].map(([idTag, idTagInfo]) => ({ idTag, idTagInfo }));

  function snapshot(stationId: number) {
    return db
      .select()
      .from(localListSnapshots)
      .where(eq(localListSnapshots.stationId, stationId))
      .get();
  }

  function save(stationId: number, version: number, m: Map<string, Info> | null, result: string) {
    const now = clock.now();
    const set = {
      version,
      result,
      ...(m ? { entries: JSON.stringify(Object.fromEntries(m)), syncedAt: now } : {}),
    };
    db.insert(localListSnapshots)
      .values({ stationId, entries: '{}', ...set })
      .onConflictDoUpdate({ target: localListSnapshots.stationId, set })
      .run();
  }

  /** The full list for a charger (the post-boot SendLocalList Full). */
  function entriesFor(stationId: number): LocalEntry[] | null {
    const s = ocpp.store.stationById(stationId);
    if (!s || s.siteId === null) return null;
    return toEntries(wanted(s.siteId, clock.now()));
  }

  async function send(
    stationId: number,
    version: number,
    type: 'Full' | 'Differential',
    list: LocalEntry[],
  ) {
    const conf = await ocpp.call(stationId, 'SendLocalList', {
      listVersion: version,
      updateType: type,
      localAuthorizationList: list,
    });
    return String(conf.status) as LocalListResult;
  }

  async function syncStation(stationId: number, siteId: number): Promise<LocalListResult> {
    const want = wanted(siteId, clock.now());
    const snap = snapshot(stationId);
    const current = ocpp.store.getStationOcpp(stationId)?.localListVersion ?? 0;
    const held = new Map(
      Object.entries(snap ? (JSON.parse(snap.entries) as Record<string, Info>) : {}),
    );
    const inStep = snap !== undefined && snap.version === current && current > 0;
    const version = Math.max(1, current + 1);
    const revoked = [...held.keys()].some((t) => !want.has(t));
    let result: LocalListResult;
    if (inStep) {
      const diff: LocalEntry[] = [];
      for (const [idTag, info] of want) {
        if (JSON.stringify(held.get(idTag)) !== JSON.stringify(info))
          diff.push({ idTag, idTagInfo: info });
      }
      for (const idTag of held.keys()) if (!want.has(idTag)) diff.push({ idTag });
      if (diff.length === 0) return 'Accepted';
      result = await send(stationId, version, 'Differential', diff);
      if (result === 'Failed' || result === 'VersionMismatch') {
        result = await send(stationId, version, 'Full', toEntries(want));
      }
    } else {
      result = await send(stationId, version, 'Full', toEntries(want));
    }
    if (result === 'Accepted') {
      ocpp.store.patchStationOcpp(stationId, { localListVersion: version });
      save(stationId, version, want, result);
      // A revoked card may still be in the charger's authorisation cache.
      if (revoked) await ocpp.call(stationId, 'ClearCache', {}).catch(() => undefined);
    } else {
      save(stationId, snap?.version ?? 0, null, result);
    }
    return result;
  }

  /** After a site's cards changed: every connected charger of the site, in turn. */
  async function syncSite(siteId: number): Promise<void> {
    const list = db
      .select({ id: stations.id, identity: stations.identity })
      .from(stations)
      .where(and(eq(stations.siteId, siteId)))
      .all();
    for (const s of list) {
      if (supported(s.id) === false) {
        save(s.id, 0, null, 'NotSupported');
        continue;
      }
      if (!ocpp.isConnected(s.identity)) {
        // Sent in full at its next boot (post-boot setup).
        save(s.id, snapshot(s.id)?.version ?? 0, null, 'offline');
        continue;
      }
      try {
        await syncStation(s.id, siteId);
      } catch (cause) {
        logger.warn('local list sync failed', { stationId: s.id, cause: String(cause) });
        save(s.id, snapshot(s.id)?.version ?? 0, null, 'error');
      }
    }
  }

  // One sync per site at a time; a change during a sync runs one more after it.
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

  /** False when the charger reported its profiles without LocalAuthListManagement. */
  function supported(stationId: number): boolean | null {
    const row = db
      .select({ value: stationConfig.value })
      .from(stationConfig)
      .where(
        and(
          eq(stationConfig.stationId, stationId),
          eq(stationConfig.key, 'SupportedFeatureProfiles'),
        ),
      )
      .get();
    if (!row?.value) return null;
    return row.value.split(',').some((p) => p.trim() === 'LocalAuthListManagement');
  }

  function status(stationId: number) {
    const snap = snapshot(stationId);
    const version = ocpp.store.getStationOcpp(stationId)?.localListVersion ?? null;
    const sup = supported(stationId);
    return {
      supported: sup !== false && snap?.result !== 'NotSupported',
      version,
      syncedAt: snap?.syncedAt ?? null,
      result: snap?.result ?? null,
      entries: snap ? Object.keys(JSON.parse(snap.entries) as object).length : null,
    };
  }

  return { entriesFor, schedule, syncStation, status, idle: () => Promise.all(running.values()) };
}

export type LocalListSync = ReturnType<typeof createLocalListSync>;
