import { readMeterOnce } from '../../balancing/meters/poller';
import type { HandlerMap } from '../context';

export const balancingMeterHandlers: HandlerMap<'balancing-meter-test'> = {
  'balancing-meter-test': async (input, ctx) => {
    const { siteId, host, port, unitId, model } = input;
    const r = await readMeterOnce({ host, port, unitId, model });
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
