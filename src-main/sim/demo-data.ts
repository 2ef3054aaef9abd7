// The demo's records (`--demo`): which site is the demo's, and removing it in one action — the
// site, its floors, stations, connectors, sessions and meter readings, and the demo's cards, in
// one transaction, after the simulated chargers are stopped and their connections closed.
import { eq, inArray, or } from 'drizzle-orm';
import type { Db } from '../db/open';
import {
  connectors,
  floors,
  idTags,
  meterValues,
  settings,
  sites,
  stations,
  transactions,
} from '../db/schema';
import type { EventBus } from '../platform/events';
import type { Logger } from '../platform/logger';

const DEMO_SITE_KEY = 'demo.site-id';
export const DEMO_TAGS = [
  'DEMO-TAG-01',
  'DEMO-TAG-02',
  'DEMO-TAG-03',
  'DEMO-TAG-04',
  'DEMO-TAG-05',
];

export interface DemoRemoval {
  siteName: string;
  stations: number;
  sessions: number;
}

export function createDemoData(deps: {
  db: Db;
  events: EventBus;
  logger: Logger;
  /** Closes the OCPP connections of stations about to be deleted. */
  dropStations: (ids: ReadonlySet<number>, reason: string) => number;
  /** Writes the OCPP layer still holds in memory (last seen), before their rows go. */
  flushPending: () => void;
}) {
  const { db, events, logger } = deps;
  /** Running simulated chargers register how to stop them (sim/demo.ts). */
  let stopChargers: (() => Promise<void>) | null = null;

  function siteId(): number | null {
    const row = db.select().from(settings).where(eq(settings.key, DEMO_SITE_KEY)).get();
    const id = row ? Number(JSON.parse(row.value)) : NaN;
    if (!Number.isInteger(id)) return null;
    // A demo site deleted by hand is no longer the demo's.
    return db.select({ id: sites.id }).from(sites).where(eq(sites.id, id)).get() ? id : null;
  }

  function markSite(id: number, now: number): void {
    const value = JSON.stringify(id);
    db.insert(settings)
      .values({ key: DEMO_SITE_KEY, value, updatedAt: now })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } })
      .run();
  }

  async function remove(): Promise<DemoRemoval | null> {
    const id = siteId();
    if (id === null) return null;
    const stop = stopChargers;
    stopChargers = null;
    await stop?.();
    const stationIds = db
      .select({ id: stations.id })
      .from(stations)
      .where(eq(stations.siteId, id))
      .all()
      .map((s) => s.id);
    deps.dropStations(new Set(stationIds), 'Demo data removed');
    deps.flushPending();
    const removed = db.transaction((tx) => {
      const site = tx.select({ name: sites.name }).from(sites).where(eq(sites.id, id)).get();
      const txIds = stationIds.length
        ? tx
            .select({ id: transactions.id })
            .from(transactions)
            .where(inArray(transactions.stationId, stationIds))
            .all()
            .map((t) => t.id)
        : [];
      if (stationIds.length) {
        tx.delete(meterValues)
          .where(
            txIds.length
              ? or(
                  inArray(meterValues.stationId, stationIds),
                  inArray(meterValues.transactionId, txIds),
                )
              : inArray(meterValues.stationId, stationIds),
          )
          .run();
        tx.delete(transactions).where(inArray(transactions.stationId, stationIds)).run();
        tx.delete(connectors).where(inArray(connectors.stationId, stationIds)).run();
        // station_ocpp, station_config, diagnostics, file tokens, reservations: ON DELETE CASCADE.
        tx.delete(stations).where(inArray(stations.id, stationIds)).run();
      }
      tx.delete(floors).where(eq(floors.siteId, id)).run();
      tx.delete(sites).where(eq(sites.id, id)).run();
      tx.delete(idTags).where(inArray(idTags.idTag, DEMO_TAGS)).run();
      tx.delete(settings).where(eq(settings.key, DEMO_SITE_KEY)).run();
      return { siteName: site?.name ?? '', stations: stationIds.length, sessions: txIds.length };
    });
    logger.info('demo data removed', { siteId: id, ...removed });
    events.emit({ type: 'tree-changed', siteId: null });
    return removed;
  }

  return {
    siteId,
    markSite,
    remove,
    attachChargers(stop: () => Promise<void>) {
      stopChargers = stop;
    },
  };
}

export type DemoData = ReturnType<typeof createDemoData>;
