// Floor plans and where each station sits on its floor's plan. Positions are in the plan
// image's pixels (x right, y down); a position outside the image is snapped to its edge.
import { eq, sql } from 'drizzle-orm';
import { ApiFailure } from '../../src-shared/api/result';
import type { Db } from '../db/open';
import { floorPlans, floors, stations } from '../db/schema';
import type { EventBus } from '../platform/events';
import { checkPlanImage, PlanRejected } from './image-check';

export interface PlanInfo {
  floorId: number;
  mime: 'image/png' | 'image/jpeg' | 'image/svg+xml';
  width: number;
  height: number;
  fileName: string;
  sizeBytes: number;
  uploadedAt: number;
}

export interface StationPlacement {
  stationId: number;
  floorId: number | null;
  x: number | null;
  y: number | null;
  bayLabel: string | null;
  /** True when the label comes from the residents' bays (edited there, not here). */
  bayFromBays: boolean;
}

/**
 * One source of truth for a station's bay label: the residents' bays on its outlets (in outlet
 * order) where any is labelled, else the label set on the plan.
 */
const baysLabel = sql<string | null>`(SELECT group_concat(label, ', ') FROM (
  SELECT b.label AS label FROM bays b JOIN connectors c ON c.id = b.connector_id
   WHERE c.station_id = ${stations.id} AND b.label IS NOT NULL AND b.label <> ''
   ORDER BY c.connector_number))`;
const placementColumns = {
  stationId: stations.id,
  floorId: stations.floorId,
  x: stations.planX,
  y: stations.planY,
  bayLabel: sql<string | null>`COALESCE(${baysLabel}, ${stations.bayLabel})`,
  bayFromBays: sql<number>`${baysLabel} IS NOT NULL`.mapWith(Boolean),
};

const clamp = (v: number, max: number) => Math.min(Math.max(v, 0), max);

export function createFloorPlanService(deps: { db: Db; events: EventBus }) {
  const { db, events } = deps;

  function floorRow(floorId: number) {
    const floor = db.select().from(floors).where(eq(floors.id, floorId)).get();
    if (!floor)
      throw new ApiFailure('not-found', 'That floor no longer exists.', { field: 'floorId' });
    return floor;
  }

  function info(floorId: number): PlanInfo | null {
    const r = db
      .select({
        floorId: floorPlans.floorId,
        mime: floorPlans.mime,
        width: floorPlans.width,
        height: floorPlans.height,
        fileName: floorPlans.fileName,
        sizeBytes: floorPlans.sizeBytes,
        uploadedAt: floorPlans.uploadedAt,
      })
      .from(floorPlans)
      .where(eq(floorPlans.floorId, floorId))
      .get();
    return r ?? null;
  }

  function placement(stationId: number): StationPlacement & { siteId: number } {
    const r = db
      .select({ ...placementColumns, siteId: stations.siteId })
      .from(stations)
      .where(eq(stations.id, stationId))
      .get();
    if (!r)
      throw new ApiFailure('not-found', 'That station no longer exists.', { field: 'stationId' });
    return r;
  }

  return {
    siteOfFloor: (floorId: number) => floorRow(floorId).siteId,
    info,

    /** The plan with its image (base64), or null when the floor has none yet. */
    get(floorId: number) {
      floorRow(floorId);
      const r = db.select().from(floorPlans).where(eq(floorPlans.floorId, floorId)).get();
      if (!r) return null;
      const { data, uploadedBy: _by, ...meta } = r;
      return { ...meta, dataBase64: data.toString('base64') };
    },

    /** Checks the file and replaces the floor's plan; a refused file leaves the old plan as is. */
    upload(input: {
      floorId: number;
      fileName: string;
      data: Buffer;
      userId: number | null;
      now: number;
    }) {
      const floor = floorRow(input.floorId);
      let image;
      try {
        image = checkPlanImage(input.data);
      } catch (cause) {
        if (cause instanceof PlanRejected) {
          throw new ApiFailure('validation', cause.message, { field: 'data' });
        }
        throw cause;
      }
      const before = info(input.floorId);
      const row = {
        floorId: input.floorId,
        ...image,
        fileName: input.fileName,
        data: input.data,
        sizeBytes: input.data.length,
        uploadedAt: input.now,
        uploadedBy: input.userId,
      };
      db.transaction((tx) => {
        tx.insert(floorPlans)
          .values(row)
          .onConflictDoUpdate({ target: floorPlans.floorId, set: row })
          .run();
        // Stations already placed keep their spot, pulled inside a smaller new image.
        for (const st of tx
          .select({ id: stations.id, x: stations.planX, y: stations.planY })
          .from(stations)
          .where(eq(stations.floorId, input.floorId))
          .all()) {
          if (st.x === null || st.y === null) continue;
          const x = clamp(st.x, image.width);
          const y = clamp(st.y, image.height);
          if (x !== st.x || y !== st.y) {
            tx.update(stations).set({ planX: x, planY: y }).where(eq(stations.id, st.id)).run();
          }
        }
      });
      events.emit({ type: 'floor-plan-changed', siteId: floor.siteId, floorId: input.floorId });
      const after: PlanInfo = {
        floorId: input.floorId,
        ...image,
        fileName: input.fileName,
        sizeBytes: input.data.length,
        uploadedAt: input.now,
      };
      return { before, after, siteId: floor.siteId };
    },

    remove(floorId: number) {
      const floor = floorRow(floorId);
      const before = info(floorId);
      db.delete(floorPlans).where(eq(floorPlans.floorId, floorId)).run();
      events.emit({ type: 'floor-plan-changed', siteId: floor.siteId, floorId });
      return { before, siteId: floor.siteId };
    },

    placement,

    /**
     * Puts a station on its floor's plan (or takes it off with `position: null`). A position
     * outside the image is snapped to the nearest point inside; `snapped` says so.
     */
    place(input: {
      stationId: number;
      /** undefined: unchanged; null: off the plan. */
      position?: { x: number; y: number } | null;
      bayLabel?: string | null;
      now: number;
    }) {
      const before = placement(input.stationId);
      if (input.bayLabel !== undefined && before.bayFromBays) {
        throw new ApiFailure(
          'conflict',
          'This station’s bay label comes from its bays (Residents & cards → Bays): change it there.',
          { field: 'bayLabel' },
        );
      }
      let x: number | null = null;
      let y: number | null = null;
      let snapped = false;
      if (input.position) {
        if (before.floorId === null) {
          throw new ApiFailure(
            'conflict',
            'This station is not on a floor yet: choose its floor on the station page first.',
            { field: 'stationId' },
          );
        }
        const plan = info(before.floorId);
        if (!plan) {
          throw new ApiFailure('conflict', 'This floor has no plan yet: upload one first.', {
            field: 'stationId',
          });
        }
        x = clamp(input.position.x, plan.width);
        y = clamp(input.position.y, plan.height);
        snapped = x !== input.position.x || y !== input.position.y;
      }
      db.update(stations)
        .set({
          ...(input.position !== undefined ? { planX: x, planY: y } : {}),
          ...(input.bayLabel !== undefined ? { bayLabel: input.bayLabel } : {}),
          updatedAt: input.now,
        })
        .where(eq(stations.id, input.stationId))
        .run();
      if (before.floorId !== null) {
        events.emit({ type: 'floor-plan-changed', siteId: before.siteId, floorId: before.floorId });
      }
      const after = placement(input.stationId);
      return { before, after, snapped };
    },

    /** Every station of a floor with its place on the plan (x/y null: not placed yet). */
    placements(floorId: number): StationPlacement[] {
      floorRow(floorId);
      return db.select(placementColumns).from(stations).where(eq(stations.floorId, floorId)).all();
    },
  };
}

export type FloorPlanService = ReturnType<typeof createFloorPlanService>;
