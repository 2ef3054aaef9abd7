// A charger as the server sees one, spoken in raw OCPP-J 1.6 over `ws`, that behaves like real
// firmware after a power cut or a lost link: every CALL stays in its queue until the central
// system ANSWERS it, and is sent again (same payload, new message id) after a reconnect.
// Connecting retries with a short backoff, against whatever URL the service has now (a restarted
// service listens on a new port). The BootNotification goes first on every connection.
import WebSocket from 'ws';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Acked {
  action: string;
  payload: Record<string, Json>;
  answer: Record<string, Json>;
}

export interface ChargerOptions {
  identity: string;
  /** ws://host:port/ocpp/ of the service as it runs now. */
  baseUrl: () => string;
  /** HTTP Basic password (security profile 1). */
  password?: string;
  /** A connection with no answer for this long is dropped and the CALL resent. */
  answerTimeoutMs?: number;
  /** chargePointModel in its BootNotification (vendor: "Reliability"). */
  model?: string;
}

interface Pending {
  action: string;
  payload: Record<string, Json>;
  resolve: (answer: Record<string, Json>) => void;
  reject: (e: Error) => void;
}

type Frame = [2, string, string, Json] | [3, string, Json] | [4, string, string, string, Json];

export class ReliableCharger {
  readonly identity: string;
  /** Every CALL the server answered with a CALLRESULT, in order. */
  readonly acked: Acked[] = [];
  /** CALLERRORs received for our queued CALLs (each is retried no further). */
  readonly errors: { action: string; code: string; description: string }[] = [];
  connects = 0;
  refusedHandshakes = 0;
  /** BootNotification answers, newest last. */
  readonly boots: Record<string, Json>[] = [];
  private readonly queue: Pending[] = [];
  private ws: WebSocket | null = null;
  private ready = false;
  private inFlight: { id: string; item: Pending | 'boot'; timer: NodeJS.Timeout } | null = null;
  private seq = 0;
  private closed = false;
  private backoffMs = 50;
  private readonly opts: Required<Omit<ChargerOptions, 'password'>> & { password?: string };

  constructor(opts: ChargerOptions) {
    this.identity = opts.identity;
    this.opts = { answerTimeoutMs: 15_000, model: 'KillTest', ...opts };
    this.connect();
  }

  get connected(): boolean {
    return this.ready;
  }

  /** Queues a CALL; resolves with the CALLRESULT payload once the server answered it. */
  call(action: string, payload: Record<string, Json>): Promise<Record<string, Json>> {
    return new Promise((resolve, reject) => {
      this.queue.push({ action, payload, resolve, reject });
      this.pump();
    });
  }

  close(): void {
    this.closed = true;
    this.ws?.terminate();
    for (const p of this.queue.splice(0)) p.reject(new Error(`${this.identity} closed`));
  }

  private connect(): void {
    if (this.closed) return;
    const headers: Record<string, string> = {};
    if (this.opts.password !== undefined) {
      const basic = Buffer.from(`${this.identity}:${this.opts.password}`).toString('base64');
      headers.authorization = `Basic ${basic}`;
    }
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.opts.baseUrl() + encodeURIComponent(this.identity), ['ocpp1.6'], {
        headers,
        handshakeTimeout: 5_000,
      });
    } catch {
      this.retry();
      return;
    }
    this.ws = ws;
    ws.on('unexpected-response', (_req, res) => {
      this.refusedHandshakes++;
      res.resume();
      ws.terminate();
    });
    ws.on('error', () => undefined); // 'close' follows and reconnects
    ws.on('open', () => {
      this.connects++;
      this.backoffMs = 50;
      this.send('boot', 'BootNotification', {
        chargePointVendor: 'Reliability',
        chargePointModel: this.opts.model,
      });
    });
    ws.on('message', (data) => this.onMessage(ws, String(data)));
    ws.on('close', () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.ready = false;
      if (this.inFlight !== null) clearTimeout(this.inFlight.timer);
      this.inFlight = null; // its item is still at the head of the queue: resent later
      this.retry();
    });
  }

  private retry(): void {
    if (this.closed) return;
    const wait = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, 500);
    setTimeout(() => this.connect(), wait);
  }

  private send(item: Pending | 'boot', action: string, payload: Record<string, Json>): void {
    const ws = this.ws;
    if (ws === null) return;
    const id = `${this.identity}-${++this.seq}`;
    const timer = setTimeout(() => ws.terminate(), this.opts.answerTimeoutMs);
    this.inFlight = { id, item, timer };
    ws.send(JSON.stringify([2, id, action, payload]));
  }

  private pump(): void {
    if (!this.ready || this.inFlight !== null) return;
    const head = this.queue[0];
    if (head !== undefined) this.send(head, head.action, head.payload);
  }

  private onMessage(ws: WebSocket, text: string): void {
    let frame: Frame;
    try {
      frame = JSON.parse(text) as Frame;
    } catch {
      return;
    }
    if (frame[0] === 2) {
      ws.send(JSON.stringify(answerServerCall(frame[1], frame[2])));
      return;
    }
    const flight = this.inFlight;
    if (flight === null || frame[1] !== flight.id) return;
    clearTimeout(flight.timer);
    this.inFlight = null;
    if (flight.item === 'boot') {
      if (frame[0] !== 3) {
        ws.terminate();
        return;
      }
      const answer = frame[2] as Record<string, Json>;
      this.boots.push(answer);
      if (answer.status === 'Accepted') {
        this.ready = true;
        this.pump();
      } else {
        ws.close(); // Pending / Rejected: try again later, like a charger would
      }
      return;
    }
    const item = this.queue.shift();
    if (item !== flight.item) throw new Error('queue head changed under an in-flight CALL');
    if (frame[0] === 3) {
      const answer = frame[2] as Record<string, Json>;
      this.acked.push({ action: item.action, payload: item.payload, answer });
      item.resolve(answer);
    } else {
      const error = { action: item.action, code: String(frame[2]), description: String(frame[3]) };
      this.errors.push(error);
      item.reject(
        new Error(`${this.identity} ${item.action}: CALLERROR ${error.code} ${error.description}`),
      );
    }
    this.pump();
  }
}

/** Minimal answers to what the server asks a freshly booted charger. */
function answerServerCall(id: string, action: string): Frame {
  switch (action) {
    case 'GetConfiguration':
      return [3, id, { configurationKey: [], unknownKey: [] }];
    case 'ChangeConfiguration':
      return [3, id, { status: 'Accepted' }];
    case 'SendLocalList':
      return [3, id, { status: 'NotSupported' }];
    default:
      return [4, id, 'NotImplemented', `${action} is not simulated`, {}];
  }
}
