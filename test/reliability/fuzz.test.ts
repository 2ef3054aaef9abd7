// Fuzzed OCPP-J frames from several chargers: mutated payloads of every charger action, wrong
// types, huge numbers, bad JSON, deep nesting, long ids, unknown actions. Every well-formed CALL
// with a usable id must get exactly one answer (a CALLRESULT, or a CALLERROR with a code the
// spec defines), none may go unanswered, and the process must survive and keep serving.
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { setupAndLogin } from './support/api';
import { ReliableCharger } from './support/charger';
import { fuzzFrame, SPEC_ERROR_CODES } from './support/fuzz';
import { rng, testRng, type Rng } from './support/prng';
import { isAlive, serviceFor } from './support/service';
import { waitUntil } from './support/wait';

// 10 × 300: each charger stays inside the per-charger burst allowance (500 frames, 4 MiB), so
// what is tested is the answer to each frame, not the flood limits (lan-flood.test.ts does those).
const FUZZERS = 10;
const FRAMES_EACH = 300;
const ANSWER_TIMEOUT_MS = 10_000;

interface Tally {
  sent: number;
  maxBytesPerCharger: number;
  mustAnswer: number;
  answers: Map<string, unknown[][]>;
  unanswered: { id: string; kind: string; frame: string }[];
  badCodes: unknown[][];
  closes: number[];
}

async function open(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url, ['ocpp1.6']);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return ws;
}

/** One hostile charger: sends its frames one by one, waiting for the answers it is owed. */
async function fuzzOne(url: string, identity: string, r: Rng, tally: Tally): Promise<void> {
  let ws = await open(url);
  const waiting = new Map<string, () => void>();
  const listen = (socket: WebSocket) => {
    socket.on('message', (data) => {
      let frame: unknown[];
      try {
        frame = JSON.parse(String(data)) as unknown[];
      } catch {
        return;
      }
      if (frame[0] === 2) {
        // The server's own calls after a boot: answer like a minimal charger.
        socket.send(JSON.stringify([4, frame[1], 'NotImplemented', '', {}]));
        return;
      }
      const id = String(frame[1]);
      const list = tally.answers.get(id);
      if (list === undefined) return; // an answer to a frame that owed none (e.g. bad JSON)
      list.push(frame);
      if (frame[0] === 4 && !SPEC_ERROR_CODES.has(String(frame[2]))) tally.badCodes.push(frame);
      waiting.get(id)?.();
    });
    socket.on('close', (code) => tally.closes.push(code));
  };
  listen(ws);

  let seq = 0;
  let garbageRun = 0;
  let bytes = 0;
  const send = async (text: string, mustAnswer: string | null, kind: string) => {
    if (ws.readyState !== WebSocket.OPEN) {
      ws = await open(url);
      listen(ws);
    }
    tally.sent++;
    bytes += Buffer.byteLength(text);
    tally.maxBytesPerCharger = Math.max(tally.maxBytesPerCharger, bytes);
    if (mustAnswer === null) {
      ws.send(text);
      return;
    }
    tally.mustAnswer++;
    tally.answers.set(mustAnswer, []);
    const answered = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), ANSWER_TIMEOUT_MS);
      waiting.set(mustAnswer, () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    ws.send(text);
    if (!(await answered)) {
      tally.unanswered.push({ id: mustAnswer, kind, frame: text.slice(0, 300) });
    }
    waiting.delete(mustAnswer);
  };

  const nextId = () => `${identity}-${++seq}`;
  const bootId = nextId();
  const boot = { chargePointVendor: 'Fuzz', chargePointModel: 'M' };
  await send(JSON.stringify([2, bootId, 'BootNotification', boot]), bootId, 'boot');
  for (let i = 0; i < FRAMES_EACH; i++) {
    const frame = fuzzFrame(r, nextId());
    await send(frame.text, frame.mustAnswer, frame.kind);
    // A run of frames that are not CALLs at all gets a charger disconnected (maxBadMessages):
    // a healthy message now and then keeps this one on the same connection.
    garbageRun = frame.mustAnswer === null ? garbageRun + 1 : 0;
    if (garbageRun >= r.int(3, 12)) {
      const id = nextId();
      await send(JSON.stringify([2, id, 'Heartbeat', {}]), id, 'heartbeat');
      garbageRun = 0;
    }
  }
  ws.close();
}

describe('fuzzed OCPP-J frames', () => {
  it('answers every well-formed CALL exactly once with a spec code, and never dies', async () => {
    const rand = testRng('fuzzed OCPP-J frames');
    const svc = await serviceFor();
    const { api, siteId } = await setupAndLogin(svc.apiUrl);
    for (let i = 1; i <= FUZZERS + 1; i++) {
      await api.ok('station-create', {
        siteId,
        name: `Fuzz ${i}`,
        identity: `FUZZ-${i}`,
        connectorCount: 2,
      });
    }
    const tally: Tally = {
      sent: 0,
      maxBytesPerCharger: 0,
      mustAnswer: 0,
      answers: new Map(),
      unanswered: [],
      badCodes: [],
      closes: [],
    };
    const started = performance.now();
    // Each fuzzer gets its own stream from the seed, so one seed replays the same frames.
    await Promise.all(
      Array.from({ length: FUZZERS }, (_, i) =>
        fuzzOne(svc.ocppBaseUrl + `FUZZ-${i + 1}`, `FUZZ-${i + 1}`, rng(rand.seed * 31 + i), tally),
      ),
    );
    const seconds = ((performance.now() - started) / 1000).toFixed(1);

    const duplicates = [...tally.answers].filter(([, list]) => list.length > 1);
    console.info(
      `[reliability] fuzz: ${tally.sent} frames (${tally.mustAnswer} owed an answer) from ${FUZZERS} chargers (at most ${Math.round(tally.maxBytesPerCharger / 1024)} KiB each) in ${seconds} s, ${tally.unanswered.length} unanswered, ${duplicates.length} answered twice, closes ${JSON.stringify(tally.closes)} (seed ${rand.seed})`,
    );
    expect(isAlive(svc), `the service died:\n${svc.output()}`).toBe(true);
    if (tally.unanswered.length > 0) {
      console.error(
        `[reliability] unanswered CALLs:\n${JSON.stringify(tally.unanswered, null, 1)}`,
      );
    }
    expect(tally.unanswered, 'CALLs without an answer').toEqual([]);
    expect(duplicates, 'CALLs answered more than once').toEqual([]);
    expect(tally.badCodes, 'CALLERRORs with a code OCPP 1.6 does not define').toEqual([]);

    // Still serving: a genuine charger boots and starts a transaction on the fuzzed service.
    const genuine = new ReliableCharger({
      identity: `FUZZ-${FUZZERS + 1}`,
      baseUrl: () => svc.ocppBaseUrl,
    });
    try {
      await waitUntil(() => genuine.connected, 'the genuine charger to boot after the fuzzing');
      const hb = await genuine.call('Heartbeat', {});
      expect(typeof hb.currentTime).toBe('string');
    } finally {
      genuine.close();
    }
    expect(isAlive(svc)).toBe(true);
    api.close();
  });
});
