// The organisation tree the navigator shows: sites → floors → stations → connectors, in a
// handful of queries (one per level) rather than one per station.
import { asc, inArray } from 'drizzle-orm';
import type { Organisation, Site, Tree } from '../../src-shared/model';
import type { Db } from '../db/open';
import { connectors, floors, stations } from '../db/schema';
import type { ModelHooks } from './context';

export function buildTree(
  db: Db,
  hooks: ModelHooks,
  org: Organisation | null,
  siteRows: Site[],
): Tree {
  const ids = siteRows.map((s) => s.id);
  const floorRows =
    ids.length === 0
      ? []
      : db
          .select()
          .from(floors)
          .where(inArray(floors.siteId, ids))
          .orderBy(asc(floors.level), asc(floors.name))
          .all();
  const stationRows =
    ids.length === 0
      ? []
      : db
          .select()
          .from(stations)
          .where(inArray(stations.siteId, ids))
          .orderBy(asc(stations.name))
          .all();
  const connectorRows =
    stationRows.length === 0
      ? []
      : db
          .select({
            id: connectors.id,
            stationId: connectors.stationId,
            connectorNumber: connectors.connectorNumber,
            status: connectors.status,
          })
          .from(connectors)
          .where(
            inArray(
              connectors.stationId,
              stationRows.map((s) => s.id),
            ),
          )
          .orderBy(asc(connectors.connectorNumber))
          .all();
  return {
    organisation: org ? { name: org.name } : null,
    sites: siteRows.map((s) => ({
      id: s.id,
      name: s.name,
      strataPlan: s.strataPlan,
      floors: floorRows
        .filter((f) => f.siteId === s.id)
        .map((f) => ({ id: f.id, name: f.name, level: f.level })),
      stations: stationRows
        .filter((st) => st.siteId === s.id)
        .map((st) => ({
          id: st.id,
          name: st.name,
          identity: st.identity,
          floorId: st.floorId,
          connected: hooks.isConnected(st.identity),
          connectors: connectorRows
            .filter((c) => c.stationId === st.id)
            .map((c) => ({ id: c.id, connectorNumber: c.connectorNumber, status: c.status })),
        })),
    })),
  };
}
