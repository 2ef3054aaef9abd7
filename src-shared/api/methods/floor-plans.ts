// Floor plans: one image per floor (PNG, JPEG or SVG, checked by the core) and each station's
// place on it, in the image's pixels (x right, y down).
import { z } from 'zod';
import { method } from '../define';
import { STAFF_ROLES } from '../../roles';
import { FLOOR_PLAN_MAX_BASE64, FLOOR_PLAN_TYPES } from '../../floor-plans';
import { LIMITS, idSchema, optionalText, requiredText } from '../../validation';

const planInfoSchema = z.object({
  floorId: z.number(),
  mime: z.enum(FLOOR_PLAN_TYPES),
  width: z.number(),
  height: z.number(),
  fileName: z.string(),
  sizeBytes: z.number(),
  uploadedAt: z.number(),
});

const placementSchema = z.object({
  stationId: z.number(),
  floorId: z.number().nullable(),
  x: z.number().nullable(),
  y: z.number().nullable(),
  bayLabel: z.string().nullable(),
  /** The label is the residents' bays' (edited there; the plan's own label is not used). */
  bayFromBays: z.boolean(),
});

/** Far outside any plan, but finite: anything in between is snapped to the image's edge. */
const coordinate = z.number().min(-1e7).max(1e7);

export const floorPlanMethods = {
  'floor-plan-get': method({
    summary: "A floor's plan (without the image) and where each of its stations is placed.",
    access: STAFF_ROLES,
    audit: false,
    input: z.object({ floorId: idSchema }).strict(),
    output: z.object({ plan: planInfoSchema.nullable(), placements: z.array(placementSchema) }),
  }),
  'floor-plan-image': method({
    summary: "A floor plan's image, base64 (fetched once per upload, not with every move).",
    access: STAFF_ROLES,
    audit: false,
    input: z.object({ floorId: idSchema }).strict(),
    output: z.object({ mime: z.enum(FLOOR_PLAN_TYPES), dataBase64: z.string() }).nullable(),
  }),
  'floor-plan-upload': method({
    summary:
      "Replaces a floor's plan with a PNG, JPEG or SVG image (checked: size, type, intact, no active SVG content); a refused file leaves the previous plan.",
    access: ['admin', 'site_admin'],
    audit: true,
    input: z
      .object({
        floorId: idSchema,
        fileName: requiredText(LIMITS.fileName),
        /** The file, base64. The audit log records its size, never its content. */
        data: z.string().min(1).max(FLOOR_PLAN_MAX_BASE64),
      })
      .strict(),
    output: planInfoSchema,
  }),
  'floor-plan-delete': method({
    summary: "Removes a floor's plan (stations keep their place for the next plan).",
    access: ['admin', 'site_admin'],
    audit: true,
    input: z.object({ floorId: idSchema }).strict(),
    output: z.object({ ok: z.literal(true) }),
  }),
  'station-plan-place': method({
    summary:
      "Places a station on its floor's plan (snapped inside the image), takes it off (position null), and sets its bay label.",
    access: ['admin', 'site_admin'],
    audit: true,
    input: z
      .object({
        stationId: idSchema,
        /** Omitted: unchanged (only the label is set); null: taken off the plan. */
        position: z.object({ x: coordinate, y: coordinate }).strict().nullable().optional(),
        bayLabel: optionalText(LIMITS.name).optional(),
      })
      .strict(),
    output: placementSchema.extend({ snapped: z.boolean() }),
  }),
} as const;
