import { ApiFailure } from '../../../src-shared/api/result';
import { FLOOR_PLAN_MAX_BASE64 } from '../../../src-shared/floor-plans';
import type { HandlerMap } from '../context';

type FloorPlanMethod =
  | 'floor-plan-get'
  | 'floor-plan-image'
  | 'floor-plan-upload'
  | 'floor-plan-delete'
  | 'station-plan-place';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export const floorPlanHandlers: HandlerMap<FloorPlanMethod> = {
  'floor-plan-get': (input, ctx) => {
    const plans = ctx.services.floorPlans;
    ctx.assertSite(plans.siteOfFloor(input.floorId));
    return { plan: plans.info(input.floorId), placements: plans.placements(input.floorId) };
  },

  'floor-plan-image': (input, ctx) => {
    const plans = ctx.services.floorPlans;
    ctx.assertSite(plans.siteOfFloor(input.floorId));
    const plan = plans.get(input.floorId);
    return plan ? { mime: plan.mime, dataBase64: plan.dataBase64 } : null;
  },

  'floor-plan-upload': (input, ctx) => {
    const plans = ctx.services.floorPlans;
    ctx.assertSite(plans.siteOfFloor(input.floorId));
    // Buffer.from(…, 'base64') skips what is not base64 instead of failing: check first, so a
    // garbled upload is named as such rather than as a damaged image.
    if (input.data.length > FLOOR_PLAN_MAX_BASE64 || !BASE64.test(input.data)) {
      throw new ApiFailure('validation', 'The file did not arrive intact; choose it again.', {
        field: 'data',
      });
    }
    const { before, after, siteId } = plans.upload({
      floorId: input.floorId,
      fileName: input.fileName,
      data: Buffer.from(input.data, 'base64'),
      userId: ctx.caller?.userId ?? null,
      now: ctx.now,
    });
    ctx.audit({ entity: 'floor-plan', entityId: input.floorId, siteId, before, after });
    return after;
  },

  'floor-plan-delete': (input, ctx) => {
    const plans = ctx.services.floorPlans;
    ctx.assertSite(plans.siteOfFloor(input.floorId));
    const { before, siteId } = plans.remove(input.floorId);
    ctx.audit({ entity: 'floor-plan', entityId: input.floorId, siteId, before });
    return { ok: true as const };
  },

  'station-plan-place': (input, ctx) => {
    const plans = ctx.services.floorPlans;
    ctx.assertSite(plans.placement(input.stationId).siteId);
    const { before, after, snapped } = plans.place({ ...input, now: ctx.now });
    const { siteId, ...placed } = after;
    ctx.audit({ entity: 'station-position', entityId: input.stationId, siteId, before, after });
    return { ...placed, snapped };
  },
};
