// The controller's copy of each site's saved model and of its stations' names, ratings and wiring
// (config-store.ts's loadConfig and siteStations): every recompute needs them, and reading them
// was six queries over the whole site each time (a quarter of a recompute with 200 stations).
// They change only through writes that publish a domain event, so the copy is dropped on those:
// - balancing.model-saved (the model, and the wiring a save writes to the station rows);
// - station.created / station.updated (rating, phases, rotation, name, a move between sites: both
//   sites) / station.removed, and site.changed (a site removed);
// - and all of it on reset() (a live restore replaced the data).
// The events are published after their commit, and a recompute that read the old copy just before
// one is followed by another (the same events trigger it).
import { toModel, type BalancingConfig, type SiteFacts } from '../../src-shared/balancing/config';
import type { ElectricalModel } from '../../src-shared/balancing/model';
import type { Db } from '../db/open';
import type { DomainEvents } from '../platform/domain-events';
import { loadConfig, siteStations } from './config-store';

export interface CachedSite {
  config: BalancingConfig;
  /** The site's stations; no accounts (the controller does not validate). */
  facts: SiteFacts;
  /** toModel(config, facts): what allocate() reads. */
  model: ElectricalModel;
}

export function createSiteConfigCache(db: Db, domainEvents: DomainEvents) {
  /** null: the site has no saved model (also worth remembering). */
  const sites = new Map<number, CachedSite | null>();
  const drop = (siteId: number) => sites.delete(siteId);
  const unsubscribe = [
    domainEvents.subscribe('balancing.model-saved', (e) => drop(e.siteId)),
    domainEvents.subscribe('station.created', (e) => drop(e.siteId)),
    domainEvents.subscribe('station.updated', (e) => {
      drop(e.siteId);
      drop(e.previousSiteId);
    }),
    domainEvents.subscribe('station.removed', (e) => drop(e.siteId)),
    domainEvents.subscribe('site.changed', (e) => drop(e.siteId)),
  ];

  function get(siteId: number): CachedSite | null {
    const known = sites.get(siteId);
    if (known !== undefined) return known;
    const config = loadConfig(db, siteId);
    let site: CachedSite | null = null;
    if (config) {
      const facts: SiteFacts = {
        stations: new Map(siteStations(db, siteId).map((s) => [s.id, s])),
        accounts: new Map(),
      };
      site = { config, facts, model: toModel(config, facts) };
    }
    sites.set(siteId, site);
    return site;
  }

  return {
    get,
    /** The saved model, or null (as loadConfig). */
    config: (siteId: number) => get(siteId)?.config ?? null,
    clear: () => sites.clear(),
    stop(): void {
      for (const u of unsubscribe.splice(0)) u();
    },
  };
}

export type SiteConfigCache = ReturnType<typeof createSiteConfigCache>;
