// The navigator tree, shared by the navbar, the header (site context) and the dashboard. Fetched
// once, refetched on `tree-changed`, patched live from connector/station events.
import { createContext, useContext, useEffect, type ReactNode } from 'react';
import type { Tree } from '../../../src-shared/model';
import type { CoreEvent } from '../../../src-shared/api/events';
import { api } from '../api/client';
import { useQuery, type QueryState } from '../api/use-query';

type TreeState = QueryState<Tree>;
const TreeContext = createContext<TreeState | null>(null);

export function patchTree(tree: Tree | undefined, event: CoreEvent): Tree | undefined {
  if (!tree) return tree;
  switch (event.type) {
    case 'connector-status':
      return {
        ...tree,
        sites: tree.sites.map((site) => ({
          ...site,
          stations: site.stations.map((st) =>
            st.id !== event.stationId
              ? st
              : {
                  ...st,
                  connectors: st.connectors.map((c) =>
                    c.connectorNumber === event.connectorNumber
                      ? { ...c, status: event.status }
                      : c,
                  ),
                },
          ),
        })),
      };
    case 'station-connection':
      return {
        ...tree,
        sites: tree.sites.map((site) => ({
          ...site,
          stations: site.stations.map((st) =>
            st.id === event.stationId ? { ...st, connected: event.connected } : st,
          ),
        })),
      };
    default:
      // Other events do not change the tree's shape (tree-changed refetches instead).
      return tree;
  }
}

/** `enabled` is false for EV users: the tree is staff-only (contract access). */
export function TreeProvider({ children, enabled }: { children: ReactNode; enabled: boolean }) {
  const state = useQuery('tree-get', {}, { refreshOn: (e) => e.type === 'tree-changed', enabled });
  const { setData } = state;
  useEffect(
    () =>
      api.onEvent((event) => {
        if (event.type === 'connector-status' || event.type === 'station-connection')
          setData((prev) => patchTree(prev, event));
      }),
    [setData],
  );
  return <TreeContext.Provider value={state}>{children}</TreeContext.Provider>;
}

export function useTree(): TreeState {
  const ctx = useContext(TreeContext);
  if (!ctx) throw new Error('useTree outside TreeProvider');
  return ctx;
}

export type TreeSite = Tree['sites'][number];
export type TreeStation = TreeSite['stations'][number];

export function findStation(
  tree: Tree | undefined,
  stationId: number,
): { site: TreeSite; station: TreeStation } | null {
  for (const site of tree?.sites ?? []) {
    const station = site.stations.find((s) => s.id === stationId);
    if (station) return { site, station };
  }
  return null;
}

export function findFloorSite(tree: Tree | undefined, floorId: number): TreeSite | null {
  return tree?.sites.find((s) => s.floors.some((f) => f.id === floorId)) ?? null;
}
