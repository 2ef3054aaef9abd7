// Load balancing (issue 11): a site's electrical model (read, saved whole, previewed), the live
// allocation and the log of what the controller decided. Shapes checked here; the electrical
// rules (a child above its parent, a phase the circuit lacks...) by validateConfig in the core.
import { z } from 'zod';
import { method } from '../define';
import { STAFF_ROLES } from '../../roles';
import { PHASES, PRIORITIES, ROTATIONS, WIRINGS } from '../../balancing/model';
import { METER_MODELS } from '../../balancing/config';
import { REGISTER_TYPES, WORD_ORDERS } from '../../balancing/register-maps';
import { LIMITS, idSchema, requiredText } from '../../validation';

const amps = z.number().min(0).max(10_000);
const circuitId = requiredText(40);

export const supplySchema = z
  .object({
    phaseLimitA: z.number(),
    nominalVoltageV: z.number(),
    phases: z.union([z.literal(1), z.literal(3)]),
    usablePercent: z.number(),
    reserveA: z.number(),
    assumedOtherLoadA: z.number(),
  })
  .strict();

export const circuitSchema = z
  .object({
    id: circuitId,
    name: requiredText(LIMITS.name),
    parentId: circuitId.nullable(),
    limitA: z.number(),
    phases: z.array(z.enum(PHASES)).max(3),
    assumedOtherLoadA: z.number(),
  })
  .strict();

export const stationWiringSchema = z
  .object({
    stationId: idSchema,
    circuitId,
    wiring: z.enum(WIRINGS),
    rotation: z.enum(ROTATIONS),
    priority: z.enum(PRIORITIES),
    capA: z.number().nullable(),
  })
  .strict();

export const policySchema = z
  .object({
    minCurrentA: z.number(),
    rotationPeriodS: z.number(),
    hysteresisA: z.number(),
    drawMarginA: z.number(),
  })
  .strict();

const triple = z.tuple([z.number(), z.number(), z.number()]);
/** An installer's register map; its rules (addresses, scales) in validateRegisterMap. */
export const registerMapSchema = z
  .object({
    label: requiredText(LIMITS.name),
    functionCode: z.union([z.literal(3), z.literal(4)]),
    type: z.enum(REGISTER_TYPES),
    wordOrder: z.enum(WORD_ORDERS),
    currentRegisters: triple,
    currentScale: z.number(),
    powerRegisters: triple.nullable(),
    powerScale: z.number(),
    defaultUnitId: z.number(),
  })
  .strict();

export const loadSourceSchema = z
  .object({
    target: circuitId,
    kind: z.enum(['typed', 'modbus']),
    /** L1, L2, L3. */
    typedA: z.array(amps).min(3).max(3).nullable(),
    modbus: z
      .object({
        host: requiredText(253),
        port: z.number().int(),
        unitId: z.number().int(),
        model: z.enum(METER_MODELS),
        map: registerMapSchema.nullable().optional(),
        pollSeconds: z.number(),
        timeoutSeconds: z.number(),
      })
      .strict()
      .nullable(),
  })
  .strict();

export const accountPolicySchema = z
  .object({ accountId: idSchema, priority: z.enum(PRIORITIES), capA: z.number().nullable() })
  .strict();

export const balancingConfigShape = {
  enabled: z.boolean(),
  supply: supplySchema,
  circuits: z.array(circuitSchema).max(200),
  stations: z.array(stationWiringSchema).max(LIMITS.list),
  policy: policySchema,
  loadSources: z.array(loadSourceSchema).max(50),
  accountPolicies: z.array(accountPolicySchema).max(LIMITS.list),
  /** The site's own register maps, selectable for its meters (optional: older callers). */
  registerMaps: z.array(registerMapSchema).max(50).optional(),
};
const configSchema = z.object(balancingConfigShape);

const reasonSchema = z.object({ kind: z.string(), text: z.string() });

const previewConnectorSchema = z.object({
  stationId: z.number(),
  stationName: z.string(),
  connectorNumber: z.number(),
  phases: z.array(z.enum(PHASES)),
  limitA: z.number(),
  controlled: z.boolean(),
  reason: reasonSchema,
});

const overloadSchema = z.object({
  nodeName: z.string(),
  phase: z.enum(PHASES),
  excessA: z.number(),
});

const nodeSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['supply', 'circuit']),
  parentId: z.string().nullable(),
  /** Where the rest of the building's load comes from: typed in, or a meter (its last reading's
   *  time; quiet: none within its timeout, the assumed load counts); null: assumed. */
  load: z
    .object({
      kind: z.enum(['typed', 'meter']),
      at: z.number().nullable(),
      quiet: z.boolean(),
    })
    .nullable(),
  /** Per building phase (null where the node does not carry it). */
  phases: z.array(
    z.object({
      phase: z.enum(PHASES),
      limitA: z.number(),
      /** What the rest of the building draws (reading, or the assumed worst case). */
      otherA: z.number(),
      measured: z.boolean(),
      /** What the chargers below may draw now (the ledger's bounds). */
      allowedA: z.number(),
      /** What the chargers below draw (latest meter values). */
      drawA: z.number(),
    }),
  ),
});

export const balancingMethods = {
  'balancing-get': method({
    summary:
      "A site's load-balancing model (supply, circuits, station wiring, policy, measured loads, account priorities), or a starting point when none is saved, with the site's stations and accounts.",
    access: STAFF_ROLES,
    audit: false,
    input: z.object({ siteId: idSchema }).strict(),
    output: z.object({
      saved: z.boolean(),
      config: configSchema,
      stations: z.array(
        z.object({
          id: z.number(),
          name: z.string(),
          identity: z.string(),
          maxCurrentA: z.number(),
        }),
      ),
      accounts: z.array(z.object({ id: z.number(), name: z.string() })),
    }),
  }),
  'balancing-save': method({
    summary:
      "Replaces a site's load-balancing model after checking it whole; any fault (named by field) saves nothing.",
    access: ['admin', 'site_admin'],
    audit: true,
    input: z.object({ siteId: idSchema, ...balancingConfigShape }).strict(),
    output: z.object({ saved: z.literal(true) }),
  }),
  'balancing-preview': method({
    summary:
      'What the chargers of the site would be allowed with this model and the cars charging now (nothing saved, nothing sent).',
    access: STAFF_ROLES,
    audit: false,
    input: z.object({ siteId: idSchema, ...balancingConfigShape }).strict(),
    output: z.object({
      connectors: z.array(previewConnectorSchema),
      overloads: z.array(overloadSchema),
    }),
  }),
  'balancing-live': method({
    summary:
      "The site's allocation now: each circuit's limit, allowed and measured current per phase, each charger's limit, draw and reason, paused cars and when their turn comes.",
    access: STAFF_ROLES,
    audit: false,
    input: z.object({ siteId: idSchema }).strict(),
    output: z.object({
      enabled: z.boolean(),
      saved: z.boolean(),
      /** When the allocation shown was computed. */
      at: z.number(),
      /** The server's clock at this read (ages are measured from it). */
      now: z.number(),
      /** A charger's draw sampled longer ago than this is stale. */
      staleAfterMs: z.number(),
      nodes: z.array(nodeSchema),
      connectors: z.array(
        previewConnectorSchema.extend({
          /** What the charger may draw now (confirmed, or in flight and higher). */
          allowedA: z.number(),
          drawA: z.number().nullable(),
          /** When that draw was sampled (null: no sample with currents). */
          drawAt: z.number().nullable(),
          inFlight: z.boolean(),
          uncontrolled: z.boolean(),
          /** Paused: when it paused, and the latest its turn comes (null: not paused). */
          pausedSince: z.number().nullable(),
          resumesBy: z.number().nullable(),
        }),
      ),
      overloads: z.array(overloadSchema),
    }),
  }),
  'balancing-history': method({
    summary:
      'Current per phase against the limit on the supply or a circuit over the last hours: per point the peak current (the rest of the building plus the chargers), the peak allowed and the limit.',
    access: STAFF_ROLES,
    audit: false,
    input: z
      .object({
        siteId: idSchema,
        /** 'supply' or a circuit id. */
        nodeId: circuitId,
        hours: z.number().int().min(1).max(336),
      })
      .strict(),
    output: z.object({
      from: z.number(),
      to: z.number(),
      /** Each point's span (peaks within it), ms. */
      bucketMs: z.number(),
      points: z
        .array(
          z.object({
            at: z.number(),
            /** L1, L2, L3 (null: the node does not carry that phase). */
            currentA: z.array(z.number().nullable()).max(3),
            allowedA: z.array(z.number().nullable()).max(3),
            limitA: z.array(z.number().nullable()).max(3),
          }),
        )
        .max(400),
    }),
  }),
  'balancing-log': method({
    summary: 'What the controller sent to the chargers of a site and why, newest first.',
    access: STAFF_ROLES,
    audit: false,
    input: z
      .object({ siteId: idSchema, limit: z.number().int().min(1).max(500).optional() })
      .strict(),
    output: z.array(
      z.object({
        id: z.number(),
        at: z.number(),
        stationId: z.number(),
        stationName: z.string(),
        connectorNumber: z.number(),
        fromA: z.number().nullable(),
        toA: z.number(),
        action: z.string(),
        reason: z.string(),
      }),
    ),
  }),
} as const;
