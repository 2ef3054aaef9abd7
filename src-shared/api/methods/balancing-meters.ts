// Modbus meters for load balancing (issue 11): "Test meter" reads a meter once from the server,
// so an installer sees the amps per phase (to compare with the meter's display) or why not.
import { z } from 'zod';
import { method } from '../define';
import { METER_MODELS } from '../../balancing/config';
import { idSchema, requiredText } from '../../validation';
import { registerMapSchema } from './balancing';

export const balancingMeterMethods = {
  'balancing-meter-test': method({
    summary:
      'Reads a Modbus TCP meter once (address, port, unit id, model): the current per phase, or in plain words why it could not be read.',
    access: ['admin', 'site_admin'],
    // It opens a connection from the server into the building's LAN: recorded.
    audit: true,
    input: z
      .object({
        siteId: idSchema,
        host: requiredText(253),
        port: z.number().int().min(1).max(65_535),
        unitId: z.number().int().min(0).max(247),
        model: z.enum(METER_MODELS),
        /** For 'custom': the installer's map (checked before anything is read). */
        map: registerMapSchema.nullable().optional(),
      })
      .strict(),
    output: z.union([
      z.object({
        answered: z.literal(true),
        /** L1, L2, L3 in A. */
        amps: z.array(z.number()),
        /** L1, L2, L3 in W, where the map has power registers. */
        watts: z.array(z.number()).nullable(),
      }),
      z.object({ answered: z.literal(false), message: z.string() }),
    ]),
  }),
};
