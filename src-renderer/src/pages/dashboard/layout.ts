// Which dashboard panels a user shows, and in what order: kept in the core per user
// (dashboard-layout-get/-set), so it follows them to any computer. A layout an earlier version
// kept in this browser's localStorage is moved to the core once, then removed here.
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { DEFAULT_LAYOUT, PANELS, type PanelKey } from '../../../../src-shared/dashboard';
import { describeError } from '../../lib/errors';

export { PANELS, type PanelKey };

const isPanel = (k: unknown): k is PanelKey => PANELS.some((p) => p.key === k);
const legacyKey = (userId: number) => `stratacharge.dashboard.${userId}`;

function legacyLayout(userId: number): PanelKey[] | null {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(legacyKey(userId)) ?? 'null');
    if (Array.isArray(raw)) return [...new Set(raw.filter(isPanel))];
  } catch {
    // A damaged entry is simply dropped.
  }
  return null;
}

export function useDashboardLayout(userId: number) {
  const [layout, setLayout] = useState<PanelKey[]>(DEFAULT_LAYOUT);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void (async () => {
      const got = await api.call('dashboard-layout-get', {});
      if (!live) return;
      if (!got.ok) return setError(describeError(got.error));
      const legacy = legacyLayout(userId);
      if (!got.value.saved && legacy) {
        const moved = await api.call('dashboard-layout-set', { panels: legacy });
        if (moved.ok) localStorage.removeItem(legacyKey(userId));
        if (live) setLayout(moved.ok ? moved.value.panels : got.value.panels);
        return;
      }
      if (legacy) localStorage.removeItem(legacyKey(userId));
      setLayout(got.value.panels);
    })();
    return () => {
      live = false;
    };
  }, [userId]);

  const update = (next: PanelKey[]) => {
    setLayout(next);
    void api.call('dashboard-layout-set', { panels: next }).then((r) => {
      setError(r.ok ? null : `Your layout was not saved: ${describeError(r.error)}`);
    });
  };
  return { layout, update, error };
}
