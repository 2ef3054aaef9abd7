// The lean inbound CALL path (service.ts `leanInboundCalls`) hooks private methods of ocpp-rpc
// 2.2.1 (`_onMessage`, `sendRaw`'s 'message' event). If an ocpp-rpc upgrade renames them, the
// server silently falls back to ocpp-rpc's own per-call path: still correct, but measured ~20 %
// more server CPU per message and more garbage (docs/benchmarks.md, rounds 3-4). This test
// makes that fallback a failure. ocpp-rpc is pinned to an exact version in package.json; on an
// upgrade, re-check the hooks listed in service.ts before changing the pin.
import { describe, expect, it } from 'vitest';
import { ocppCore } from './helpers';

describe('OCPP lean inbound path', () => {
  it('answers a connected charger’s calls on the lean path, not ocpp-rpc’s', async () => {
    const o = await ocppCore();
    const { identity } = await o.station();
    const sim = o.sim(identity);
    expect(await sim.start()).toBe('Accepted');
    const hb = (await sim.send('Heartbeat', {})) as { currentTime: string };
    expect(typeof hb.currentTime).toBe('string');
    const leanCalls = () => o.t.core.services.ocpp.leanCalls(identity);
    // -1: the hook could not be installed (ocpp-rpc changed); 0: installed but not used.
    const before = leanCalls() ?? -1;
    expect(before).toBeGreaterThanOrEqual(2); // BootNotification + Heartbeat
    await sim.send('StatusNotification', {
      connectorId: 1,
      errorCode: 'NoError',
      status: 'Available',
    });
    expect(leanCalls()).toBe(before + 1);
  });
});
