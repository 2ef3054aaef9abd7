// Session bookkeeping that a charger owner notices: calls that overlap are each answered and
// logged as complete exchanges, a quiet charger whose link died is dropped (and shown offline),
// and a charger that keeps talking is never pinged.
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ocppCore, waitFor } from './helpers';
import { ActivityList, type ActivityLinks } from '../../src-main/ocpp/activity';

describe('OCPP sessions', () => {
  it('answers and logs two calls a charger sends without waiting for the first answer', async () => {
    const o = await ocppCore();
    const { id: stationId, identity } = await o.station();
    const ws = new WebSocket(`${o.url}/${identity}`, ['ocpp1.6']);
    const answers: unknown[] = [];
    ws.on('message', (d) => answers.push(JSON.parse(String(d))));
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    // OCPP-J allows one call in flight; some chargers send the next one anyway. The three
    // frames go out in one write (corked), so the server reads them together.
    const socket = (ws as unknown as { _socket: { cork(): void; uncork(): void } })._socket;
    socket.cork();
    ws.send(
      JSON.stringify([
        2,
        'a1',
        'StatusNotification',
        { connectorId: 1, errorCode: 'NoError', status: 'Available' },
      ]),
    );
    ws.send(JSON.stringify([2, 'a2', 'Heartbeat', {}]));
    ws.send(JSON.stringify([2, 'a3', 'Heartbeat', {}]));
    socket.uncork();
    await waitFor(() => answers.length === 3, 'three answers');
    // The Heartbeats were answered while the StatusNotification (answered after its commit)
    // was still in flight: the overlap really happened. Each answer carries its messageId.
    expect(answers.map((a) => (a as unknown[]).slice(0, 2))).toEqual([
      [3, 'a2'],
      [3, 'a3'],
      [3, 'a1'],
    ]);
    const log = await o.t.ok(o.admin, 'ocpp-log-list', { stationId, direction: 'in' });
    const byId = new Map(log.entries.map((e) => [e.messageId, e]));
    for (const id of ['a1', 'a2', 'a3']) {
      expect(byId.get(id), id).toMatchObject({ kind: 'result', response: expect.anything() });
    }
    expect(byId.get('a1')?.action).toBe('StatusNotification');
    expect(byId.get('a3')?.action).toBe('Heartbeat');
    ws.terminate();
  });

  it('drops a charger that stops answering pings, and marks it offline', async () => {
    const o = await ocppCore({
      ocpp: { host: '127.0.0.1', port: 0, callTimeoutMs: 2_000, pingIntervalMs: 150 },
    });
    const { id: stationId, identity } = await o.station();
    // A link that died without a FIN: the socket stays open but nothing answers.
    const ws = new WebSocket(`${o.url}/${identity}`, ['ocpp1.6'], { autoPong: false });
    let pings = 0;
    ws.on('ping', () => pings++);
    const closed = new Promise<void>((r) => ws.once('close', () => r()));
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    await waitFor(
      async () => (await o.t.ok(o.admin, 'station-get', { id: stationId })).connected,
      'connected',
    );
    await closed;
    expect(pings).toBeGreaterThanOrEqual(1);
    await waitFor(
      async () => !(await o.t.ok(o.admin, 'station-get', { id: stationId })).connected,
      'shown offline',
    );
  });

  it('does not ping a charger whose messages keep arriving', async () => {
    const o = await ocppCore({
      ocpp: { host: '127.0.0.1', port: 0, callTimeoutMs: 2_000, pingIntervalMs: 800 },
    });
    const { identity } = await o.station();
    const ws = new WebSocket(`${o.url}/${identity}`, ['ocpp1.6']);
    let pings = 0;
    ws.on('ping', () => pings++);
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    // 2 s of messages 100 ms apart: well inside the interval even on a loaded machine.
    for (let i = 0; i < 20; i++) {
      ws.send(JSON.stringify([2, `h${i}`, 'Heartbeat', {}]));
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(pings).toBe(0);
    // Quiet now: pinged within about one interval.
    await waitFor(() => pings > 0, 'a ping once quiet', 3_000);
    ws.terminate();
  });
});

describe('ActivityList', () => {
  interface Item extends ActivityLinks<Item> {
    name: string;
  }
  const item = (name: string): Item => ({
    name,
    prevActive: null,
    nextActive: null,
    listed: false,
  });
  const drain = (list: ActivityList<Item>) => {
    const out: string[] = [];
    for (let i = list.first(); i !== null; i = i.nextActive) out.push(i.name);
    return out;
  };

  it('keeps items least recently touched first', () => {
    const list = new ActivityList<Item>();
    const [a, b, c] = [item('a'), item('b'), item('c')];
    list.touch(a);
    list.touch(b);
    list.touch(c);
    expect(drain(list)).toEqual(['a', 'b', 'c']);
    list.touch(a); // heard again: to the end
    expect(drain(list)).toEqual(['b', 'c', 'a']);
    list.touch(a); // already last: unchanged
    list.delete(c);
    expect(drain(list)).toEqual(['b', 'a']);
    expect(list.size).toBe(2);
    list.delete(c); // twice: no effect
    expect(list.size).toBe(2);
    list.delete(b);
    list.delete(a);
    expect(list.first()).toBeNull();
    list.touch(c);
    expect(drain(list)).toEqual(['c']);
    list.clear();
    expect(list.size).toBe(0);
    expect(c.listed).toBe(false);
  });
});
