// The charger gateway (src-main/ocpp/gateway.ts) against real WebSocket chargers: typed answers
// and failures, a station's live state, and the outbound priority queue.
import { describe, expect, it } from 'vitest';
import { ocppCore, rawSocket, waitFor } from './helpers';

type Frame = [number, string, ...unknown[]];

/** A raw charger whose answers the test writes: `calls` holds our CALLs as they arrive. */
async function charger(url: string, identity: string) {
  const { ws, messages } = await rawSocket(url, identity);
  const calls = () => messages.filter((m): m is Frame => Array.isArray(m) && m[0] === 2);
  const reply = (frame: unknown[]) => ws.send(JSON.stringify(frame));
  return { ws, calls, reply };
}

const reduction = {
  connectorId: 1,
  csChargingProfiles: {
    chargingProfileId: 7,
    stackLevel: 1,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Relative',
    chargingSchedule: {
      chargingRateUnit: 'A',
      chargingSchedulePeriod: [{ startPeriod: 0, limit: 6 }],
    },
  },
};
const diagnostics = { location: 'ftp://127.0.0.1/diagnostics' };

describe('charger gateway', () => {
  it('answers typed failures: offline, timeout, CALLERROR, rejected; and a typed answer', async () => {
    const o = await ocppCore();
    const gw = o.t.core.services.ocpp.gateway;
    const st = await o.station();

    const offline = await gw.send(st.id, 'Reset', { type: 'Soft' });
    expect(offline).toMatchObject({ ok: false, failure: { kind: 'offline' } });

    const c = await charger(o.url, st.identity);
    await waitFor(() => gw.liveState(st.id)?.connected, 'connected');

    // Timeout: the charger never answers.
    const timeout = await gw.send(st.id, 'Reset', { type: 'Soft' }, { timeoutMs: 300 });
    expect(timeout).toMatchObject({ ok: false, failure: { kind: 'timeout' } });

    // CALLERROR.
    const pending = gw.send(st.id, 'UnlockConnector', { connectorId: 1 });
    const unlock = await waitFor(() => c.calls().find((f) => f[2] === 'UnlockConnector'), 'call');
    c.reply([4, unlock[1], 'NotSupported', 'no lock here', {}]);
    expect(await pending).toMatchObject({
      ok: false,
      failure: { kind: 'call-error', code: 'NotSupported' },
    });

    // Rejected: a status that is not a success.
    const rejecting = gw.send(st.id, 'ChangeAvailability', { connectorId: 1, type: 'Inoperative' });
    const avail = await waitFor(() => c.calls().find((f) => f[2] === 'ChangeAvailability'), 'call');
    c.reply([3, avail[1], { status: 'Rejected' }]);
    expect(await rejecting).toMatchObject({
      ok: false,
      failure: { kind: 'rejected', status: 'Rejected' },
    });

    // Accepted: the typed answer.
    const accepting = gw.send(st.id, 'GetLocalListVersion', {});
    const version = await waitFor(
      () => c.calls().find((f) => f[2] === 'GetLocalListVersion'),
      'call',
    );
    c.reply([3, version[1], { listVersion: 4 }]);
    const ok = await accepting;
    expect(ok).toEqual({ ok: true, answer: { listVersion: 4 } });

    c.ws.close();
    await waitFor(() => gw.liveState(st.id)?.connected === false, 'disconnected');
  });

  it('reads a station’s live state: connected, connectors, active transactions, reported configuration', async () => {
    const o = await ocppCore();
    const gw = o.t.core.services.ocpp.gateway;
    const st = await o.station();
    const sim = o.sim(st.identity);
    await sim.start();
    await sim.statusNotification(1, 'Charging');
    await sim.startTransaction(1, 'T1');
    const state = await waitFor(() => {
      const s = gw.liveState(st.id);
      return s?.activeTransactions.length ? s : null;
    }, 'live state');
    expect(state).toMatchObject({
      stationId: st.id,
      identity: st.identity,
      connected: true,
      booted: true,
    });
    expect(state.connectors.find((c) => c.connectorNumber === 1)).toMatchObject({
      status: 'Charging',
    });
    expect(state.activeTransactions).toMatchObject([{ connectorNumber: 1, idTag: 'T1' }]);
    // The post-boot setup asked for the configuration: the keys the charger reported.
    await waitFor(() => gw.liveState(st.id)?.configuration.length, 'configuration');
    expect(gw.liveState(st.id)?.configuration.some((k) => k.key === 'HeartbeatInterval')).toBe(
      true,
    );
    expect(gw.liveState(9_999)).toBeNull();
  });

  it('sends a load reduction queued behind slow calls before them (one call in flight)', async () => {
    const o = await ocppCore();
    const gw = o.t.core.services.ocpp.gateway;
    const st = await o.station();
    const c = await charger(o.url, st.identity);
    await waitFor(() => gw.liveState(st.id)?.connected, 'connected');

    const slow = [1, 2, 3].map(() => gw.send(st.id, 'GetDiagnostics', diagnostics));
    const urgent = gw.send(st.id, 'SetChargingProfile', reduction);
    // The charger answers each call in turn; we note the order they reached it.
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      const call = await waitFor(() => c.calls()[i], `call ${i + 1}`);
      // One in flight: nothing else was sent before this one was answered.
      expect(c.calls()).toHaveLength(i + 1);
      order.push(String(call[2]));
      c.reply([3, call[1], call[2] === 'SetChargingProfile' ? { status: 'Accepted' } : {}]);
    }
    expect(order).toEqual([
      'GetDiagnostics',
      'SetChargingProfile',
      'GetDiagnostics',
      'GetDiagnostics',
    ]);
    expect(await urgent).toEqual({ ok: true, answer: { status: 'Accepted' } });
    for (const s of slow) expect((await s).ok).toBe(true);
  });
});
