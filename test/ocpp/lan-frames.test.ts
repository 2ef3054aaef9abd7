// One charger (or a device holding a charger's identity) must not be able to slow the server for
// the others: frames nested thousands deep, over-long message ids, meter-reading floods and
// message floods are refused, and a flooding charger is disconnected and shown to the operator.
import { describe, expect, it } from 'vitest';
import { ocppCore, rawSocket, waitFor } from './helpers';
import { validateInbound } from '../../src-main/ocpp/validation';
import type { OcppLimits } from '../../src-main/ocpp/limits';

const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
const byId = (messages: unknown[], id: string) =>
  messages.find((m) => Array.isArray(m) && m[1] === id) as unknown[] | undefined;

function withLimits(limits: Partial<OcppLimits>) {
  return ocppCore({ ocpp: { host: '127.0.0.1', port: 0, callTimeoutMs: 2_000, limits } });
}

describe('OCPP frame limits', () => {
  it('answers a frame nested 5,000 levels deep with FormationViolation, logs it and keeps serving', async () => {
    const o = await ocppCore();
    const { identity } = await o.station();
    const { ws, messages } = await rawSocket(o.url, identity);
    ws.send(`[2,"deep","Heartbeat",{"x":${nested(5_000)}}]`);
    ws.send(JSON.stringify([2, 'after', 'Heartbeat', {}]));
    await waitFor(() => byId(messages, 'after'), 'the next answer');
    expect(byId(messages, 'deep')).toEqual([
      4,
      'deep',
      'FormationViolation',
      expect.stringContaining('nested deeper'),
      {},
    ]);
    expect(byId(messages, 'after')?.[0]).toBe(3);
    expect(
      o.t.logger.entries.some(
        (e) => e.msg === 'malformed OCPP frame' && String(e.fields.error).includes('nested'),
      ),
    ).toBe(true);
  });

  it('maps a validator stack overflow to FormationViolation (not GenericError)', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(() => validateInbound('urn:Heartbeat.req', { vendorX: deep })).toThrow(
      expect.objectContaining({ rpcErrorCode: 'FormationViolation' }),
    );
  });

  it('refuses a message id longer than 36 characters (OCPP-J 1.6 §4.1.3) without acting on it', async () => {
    const o = await ocppCore();
    const { identity, id: stationId } = await o.station();
    const { ws, messages } = await rawSocket(o.url, identity);
    const longId = 'x'.repeat(37);
    const status = { connectorId: 1, status: 'Faulted', errorCode: 'GroundFailure' };
    ws.send(JSON.stringify([2, longId, 'StatusNotification', status]));
    ws.send(JSON.stringify([2, 'y'.repeat(36), 'Heartbeat', {}]));
    await waitFor(() => byId(messages, 'y'.repeat(36)), 'the 36-character call answered');
    expect(byId(messages, longId)?.slice(0, 3)).toEqual([4, longId, 'FormationViolation']);
    o.t.core.services.ocpp.flushLastSeen();
    const faults = o.t.core.db.$client
      .prepare(
        "SELECT count(*) AS n FROM connectors WHERE station_id = ? AND error_code = 'GroundFailure'",
      )
      .get(stationId);
    expect(faults).toEqual({ n: 0 });
  });

  it('refuses a MeterValues with 1,000 readings and stores none of them', async () => {
    const o = await ocppCore();
    const { identity } = await o.station();
    const { ws, messages } = await rawSocket(o.url, identity);
    const meterValue = Array.from({ length: 1_000 }, (_, i) => ({
      timestamp: new Date(o.t.clock.now() + i * 1000).toISOString(),
      sampledValue: [{ value: String(i), measurand: 'Energy.Active.Import.Register' }],
    }));
    ws.send(JSON.stringify([2, 'mv', 'MeterValues', { connectorId: 1, meterValue }]));
    await waitFor(() => byId(messages, 'mv'), 'an answer');
    expect(byId(messages, 'mv')?.slice(0, 3)).toEqual([4, 'mv', 'OccurrenceConstraintViolation']);
    o.t.core.services.ocpp.flushLastSeen();
    const rows = o.t.core.db.$client.prepare('SELECT count(*) AS n FROM meter_values').get();
    expect(rows).toEqual({ n: 0 });
  });

  it('disconnects a charger that floods messages, lists it with the reason, refuses it for a while, and keeps serving the others', async () => {
    const o = await withLimits({ messageBurst: 30, messagesPerSecond: 1 });
    const flooder = await o.station();
    const other = await o.station();
    const good = await rawSocket(o.url, other.identity);
    const bad = await rawSocket(o.url, flooder.identity);
    const closed = new Promise<number>((r) => bad.ws.once('close', (code) => r(code)));
    for (let i = 0; i < 200; i++) bad.ws.send(JSON.stringify([2, `h${i}`, 'Heartbeat', {}]));
    expect(await closed).toBe(1008);
    expect(bad.messages.length).toBeLessThanOrEqual(30);

    const attempts = await o.t.ok(o.admin, 'charger-attempts-list', {});
    expect(JSON.stringify(attempts)).toMatch(/disconnected: more than 1 messages per second/);
    expect(o.t.logger.entries.some((e) => e.msg === 'charger disconnected for flooding')).toBe(
      true,
    );
    // Reconnecting at once is refused; after the cool-down it is accepted again.
    await expect(rawSocket(o.url, flooder.identity)).rejects.toThrow(/HTTP 429/);
    await o.t.clock.advance(61_000);
    await rawSocket(o.url, flooder.identity);

    good.ws.send(JSON.stringify([2, 'ok', 'Heartbeat', {}]));
    await waitFor(() => byId(good.messages, 'ok'), 'the other charger answered');
  });

  it('disconnects a charger that sends more meter readings than its budget', async () => {
    const o = await withLimits({ sampleBurst: 50, samplesPerSecond: 1 });
    const { identity } = await o.station();
    const { ws, messages } = await rawSocket(o.url, identity);
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    const mv = (n: number, at: number) =>
      Array.from({ length: n }, (_, i) => ({
        timestamp: new Date(at + i * 1000).toISOString(),
        sampledValue: [{ value: String(i), measurand: 'Energy.Active.Import.Register' }],
      }));
    ws.send(
      JSON.stringify([
        2,
        'a',
        'MeterValues',
        { connectorId: 1, meterValue: mv(40, o.t.clock.now()) },
      ]),
    );
    await waitFor(() => byId(messages, 'a'), 'first answer');
    expect(byId(messages, 'a')?.[0]).toBe(3);
    ws.send(
      JSON.stringify([
        2,
        'b',
        'MeterValues',
        { connectorId: 1, meterValue: mv(40, o.t.clock.now() + 60_000) },
      ]),
    );
    expect(await closed).toBe(1008);
    o.t.core.services.ocpp.flushLastSeen();
    expect(o.t.core.db.$client.prepare('SELECT count(*) AS n FROM meter_values').get()).toEqual({
      n: 40,
    });
  });

  it('disconnects a charger that sends more bytes than its budget', async () => {
    const o = await withLimits({ byteBurst: 100_000, bytesPerSecond: 1 });
    const { identity } = await o.station();
    const { ws } = await rawSocket(o.url, identity);
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    const big = JSON.stringify([
      2,
      'd',
      'DataTransfer',
      { vendorId: 'x', data: 'y'.repeat(40_000) },
    ]);
    for (let i = 0; i < 3; i++) ws.send(big);
    expect(await closed).toBe(1008);
  });
});
