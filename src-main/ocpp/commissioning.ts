// The commissioning window (install day): while it is open, a charger with an unknown charge box
// id is registered and approved on the site (and floor) chosen when the window was opened. The
// --commissioning start-up flag chooses none: then the first site, as on a one-building install.
import { asc, eq } from 'drizzle-orm';
import { ApiFailure } from '../../src-shared/api/result';
import type { Db } from '../db/open';
import { floors, sites } from '../db/schema';
import type { CommissioningWindow } from './store';

interface WindowStore {
  commissioningWindow(): CommissioningWindow | null;
  setCommissioningWindow(w: CommissioningWindow | null, now: number): void;
}

export interface CommissioningState {
  open: boolean;
  /** Epoch ms until which unknown chargers are registered; null = closed. */
  openUntil: number | null;
  siteId: number | null;
  siteName: string | null;
  floorId: number | null;
  floorName: string | null;
}

export function createCommissioning(db: Db, store: WindowStore) {
  function site(id: number | null) {
    const q = db.select({ id: sites.id, name: sites.name }).from(sites);
    return (id === null ? q.orderBy(asc(sites.id)).limit(1) : q.where(eq(sites.id, id))).get();
  }
  function floor(id: number | null) {
    if (id === null) return undefined;
    return db
      .select({ id: floors.id, name: floors.name, siteId: floors.siteId })
      .from(floors)
      .where(eq(floors.id, id))
      .get();
  }

  /** Where an unknown charger connecting now is registered, or why it is not. */
  function target(
    now: number,
  ): { siteId: number; floorId: number | null } | { refused: string } | null {
    const w = store.commissioningWindow();
    if (w === null || w.until <= now) return null;
    const s = site(w.siteId);
    if (!s) {
      return w.siteId === null
        ? { refused: 'unknown identity (no site to register it on)' }
        : { refused: 'unknown identity (the commissioning site no longer exists)' };
    }
    // A floor removed meanwhile: still on the chosen site, just not on a floor.
    const f = floor(w.floorId);
    return { siteId: s.id, floorId: f && f.siteId === s.id ? f.id : null };
  }

  function state(now: number): CommissioningState {
    const w = store.commissioningWindow();
    const open = w !== null && w.until > now;
    const s = w ? site(w.siteId) : undefined;
    const f = w ? floor(w.floorId) : undefined;
    return {
      open,
      openUntil: open && w ? w.until : null,
      siteId: s?.id ?? null,
      siteName: s?.name ?? null,
      floorId: f?.id ?? null,
      floorName: f?.name ?? null,
    };
  }

  /** Opens (minutes > 0) the window onto a site and optionally one of its floors; 0 closes it. */
  function set(
    minutes: number,
    where: { siteId: number | null; floorId: number | null },
    now: number,
  ): CommissioningState {
    if (minutes <= 0) {
      const w = store.commissioningWindow();
      store.setCommissioningWindow(w ? { ...w, until: now } : null, now);
      return state(now);
    }
    if (where.siteId !== null && !site(where.siteId))
      throw new ApiFailure('not-found', 'That site no longer exists.', { field: 'siteId' });
    if (where.floorId !== null) {
      const f = floor(where.floorId);
      const siteId = where.siteId ?? site(null)?.id;
      if (!f || f.siteId !== siteId)
        throw new ApiFailure('validation', 'Floor: choose a floor of the chosen site.', {
          field: 'floorId',
        });
    }
    store.setCommissioningWindow(
      { until: now + minutes * 60_000, siteId: where.siteId, floorId: where.floorId },
      now,
    );
    return state(now);
  }

  return { target, state, set, window: () => store.commissioningWindow() };
}
