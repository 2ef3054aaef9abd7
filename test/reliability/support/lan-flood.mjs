// A hostile device on the building LAN, as its own process (so its work does not slow down the
// test process that measures the genuine charger and the UI). Run by lan-flood.test.ts:
//   node lan-flood.mjs <ocppBaseUrl> <genuineIdentity> <bigFrameIdentity> <floodIdentity>
// It connects from 127.0.0.2-127.0.0.9 (the genuine charger and the UI use 127.0.0.1) and runs
// until stdin closes, printing its counters as one JSON line every 250 ms:
// - wrong-password handshakes, half on the genuine charger's identity, half on random ones;
// - a registered charger sending 800 KB frames nested 400,000 levels deep and 1.5 MiB frames;
// - a registered charger flooding MeterValues of 1,000 samples each and Heartbeats, never waiting
//   for answers (bounded only by its socket's send buffer).
import WebSocket from 'ws';

const [baseUrl, genuine, bigIdentity, floodIdentity] = process.argv.slice(2);
const HANDSHAKE_LOOPS = 8;
const counts = {
  handshakes: 0,
  handshakesAccepted: 0,
  bigFrames: 0,
  bigConnects: 0,
  floodSent: 0,
  floodAnswered: 0,
  floodConnects: 0,
  floodRefused: 0,
};
let running = true;
let nextAddress = 0;
const localAddress = () => `127.0.0.${2 + (nextAddress++ % 8)}`;
const basic = (id, pw) => `Basic ${Buffer.from(`${id}:${pw}`).toString('base64')}`;

function open(identity, headers = {}) {
  return new WebSocket(baseUrl + encodeURIComponent(identity), ['ocpp1.6'], {
    headers,
    localAddress: localAddress(),
    handshakeTimeout: 10_000,
  });
}

/** Resolves when the socket is finished with (refused, failed or closed). */
function settled(ws, onOpen) {
  return new Promise((resolve) => {
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      ws.terminate();
    });
    ws.on('error', () => undefined);
    ws.on('open', () => onOpen?.(ws));
    ws.on('close', (code) => resolve(code));
  });
}

async function wrongPasswords(loop) {
  for (let i = 0; running; i++) {
    const identity = i % 2 === 0 ? genuine : `ROGUE-${loop}-${i}`;
    const ws = open(identity, { authorization: basic(identity, `wrong-password-${i}-xxxxxxxx`) });
    await settled(ws, (s) => {
      counts.handshakesAccepted++;
      s.close();
    });
    counts.handshakes++;
  }
}

const deep = '[2,"deep","Heartbeat",' + '['.repeat(400_000) + ']'.repeat(400_000) + ']';
const huge = JSON.stringify([
  2,
  'huge',
  'DataTransfer',
  { vendorId: 'x', data: 'x'.repeat(1_600_000) },
]);

async function bigFrames() {
  while (running) {
    const ws = open(bigIdentity);
    await settled(ws, (s) => {
      counts.bigConnects++;
      const send = (n) => {
        if (!running || s.readyState !== WebSocket.OPEN) return;
        s.send(n % 2 === 0 ? deep : huge, () => {
          counts.bigFrames++;
          // Yield to this process's other floods: on an idle machine the server drains these
          // frames as fast as they are masked, and sending the next one straight from the
          // callback kept this process's one thread busy with big frames alone (the handshake
          // and message floods then never started, and the test timed out waiting for them).
          setImmediate(() => send(n + 1));
        });
      };
      send(0);
    });
    await new Promise((r) => setTimeout(r, 20));
  }
}

function meterValues(n) {
  const sampledValue = Array.from({ length: 1_000 }, (_, k) => ({
    value: String(n * 1_000 + k),
    measurand: 'Energy.Active.Import.Register',
    unit: 'Wh',
  }));
  return JSON.stringify([
    2,
    `mv-${n}`,
    'MeterValues',
    {
      connectorId: 1,
      meterValue: [{ timestamp: new Date(1.8e12 + n * 1000).toISOString(), sampledValue }],
    },
  ]);
}

async function messageFlood() {
  let n = 0;
  while (running) {
    const ws = open(floodIdentity);
    await settled(ws, (s) => {
      counts.floodConnects++;
      s.on('message', () => counts.floodAnswered++);
      s.send(
        JSON.stringify([
          2,
          'boot',
          'BootNotification',
          { chargePointVendor: 'F', chargePointModel: 'F' },
        ]),
      );
      // At most 500 frames a turn: on an idle machine the kernel takes every write at once, so
      // bufferedAmount never grows and an unbounded loop never gave the event loop back (no
      // counts printed, stdin unread: the test timed out waiting for the flood to run).
      const pump = () => {
        for (
          let k = 0;
          k < 500 &&
          running &&
          s.readyState === WebSocket.OPEN &&
          s.bufferedAmount < 4 * 1024 * 1024;
          k++
        ) {
          n++;
          s.send(n % 10 === 0 ? meterValues(n) : JSON.stringify([2, `hb-${n}`, 'Heartbeat', {}]));
          counts.floodSent++;
        }
        if (running && s.readyState === WebSocket.OPEN) setTimeout(pump, 1);
      };
      pump();
    });
    counts.floodRefused++;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const report = setInterval(() => process.stdout.write(JSON.stringify(counts) + '\n'), 250);
process.stdin.resume();
process.stdin.on('end', () => {
  running = false;
  clearInterval(report);
  process.stdout.write(JSON.stringify(counts) + '\n');
  process.exit(0);
});
void Promise.all([
  ...Array.from({ length: HANDSHAKE_LOOPS }, (_, i) => wrongPasswords(i)),
  bigFrames(),
  messageFlood(),
]);
