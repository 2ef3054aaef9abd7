import { readMeterOnce } from '../../balancing/meters/poller';
import { fieldFailure } from '../../../src-shared/api/result';
import { validateRegisterMap } from '../../../src-shared/balancing/register-maps';
import type { HandlerMap } from '../context';

export const balancingMeterHandlers: HandlerMap<'balancing-meter-test'> = {
  'balancing-meter-test': async (input, ctx) => {
    const { siteId, host, port, unitId, model, map } = input;
    if (model === 'custom') {
      const errors = map ? validateRegisterMap(map, 'map', `Meter map on ${host}:${port}`) : [];
      if (!map) errors.push({ field: 'map', message: 'A custom meter needs its register map.' });
      if (errors.length > 0) throw fieldFailure(errors);
    }
    const r = await readMeterOnce({ host, port, unitId, model, map });
    ctx.audit({
      entity: 'balancing-meter',
      entityId: siteId,
      siteId,
      after: { host, port, unitId, model, answered: r.ok },
    });
    return r.ok
      ? { answered: true as const, amps: r.amps, watts: r.watts }
      : { answered: false as const, message: r.message };
  },
};
