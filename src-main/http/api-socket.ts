// The WebSocket transport of the API (headless service, browser UI, tests). The desktop app uses
// the IPC transport in src-main/electron instead; both hand every call to the same dispatcher.
//
// Wire format (src-shared/api/events.ts): the client sends {id, method, input}; the server answers
// {id, result} and pushes {event}. A message that is not valid JSON, or has no numeric id, is
// answered with id -1 (there is no id to echo) and the socket stays open.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import type { Core } from '../core';
import type { Connection } from '../api/context';
import type { Caller } from '../platform/caller';
import type { ServerMessage } from '../../src-shared/api/events';
import { err } from '../../src-shared/api/result';
import { MAX_API_MESSAGE_BYTES, tooLargeError } from '../../src-shared/api/limits';
import { mayReceive } from '../auth/event-audience';
import type { Logger } from '../platform/logger';
import { isLoopback } from '../platform/service-options';

export const API_PATH = '/api';
/** Largest accepted message; the biggest legitimate input (a CSV import) stays well below. */
export const MAX_MESSAGE_BYTES = MAX_API_MESSAGE_BYTES;
/**
 * Messages up to this size are read and answered with a `validation` error ("too large") on
 * their id, so a script or an old UI learns why; only larger ones close the socket (1009).
 */
export const MAX_ANSWERED_BYTES = 2 * MAX_MESSAGE_BYTES;
/** A client that does not drain this much queued output is dropped rather than buffered. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/**
 * How long the output may stay above MAX_BUFFERED_BYTES before the client counts as "not reading".
 * One large answer (a whole audit-log CSV) legitimately fills the buffer for a moment, longer when
 * the browser is starved of CPU; dropping the socket then put the UI on "Reconnecting…".
 */
const BACKLOG_GRACE_MS = 30_000;
/** How long a resolved caller is trusted when filtering events (a DB read per event otherwise). */
const CALLER_CACHE_MS = 5_000;
const PING_INTERVAL_MS = 30_000;

export interface ApiSocketOptions {
  core: Core;
  logger: Logger;
  /** The address the HTTP server listens on: decides which Host headers are acceptable. */
  listenHost: string;
}

export interface ApiSocketServer {
  /** Number of open API sockets (tests, diagnostics). */
  readonly size: number;
  close(): Promise<void>;
}

interface Client {
  ws: WebSocket;
  conn: Connection;
  cached: { token: string; caller: Caller | null; at: number } | null;
  alive: boolean;
  /** Since when the output buffer has been above MAX_BUFFERED_BYTES (null: below). */
  backlogSince: number | null;
}

/**
 * Browsers always send Origin on a WebSocket handshake and let any page open a socket to any
 * host, so the Origin check is what stops another site in the user's browser from driving the
 * API (cross-site WebSocket hijacking). The Origin must be the origin the UI was served from,
 * i.e. match the Host header; and when the service listens on loopback the Host itself must be a
 * loopback name, which defeats DNS rebinding (evil.example resolving to 127.0.0.1).
 * Non-browser clients (scripts, tests) send no Origin and cannot be hijacked this way.
 */
export function isAllowedOrigin(
  origin: string | undefined,
  host: string | undefined,
  listenHost: string,
): boolean {
  if (host === undefined) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
  if (isLoopback(listenHost) && !isLoopback(hostname)) return false;
  if (origin === undefined) return true;
  return origin === `http://${host}` || origin === `https://${host}`;
}

const rawSize = (data: RawData): number =>
  Array.isArray(data)
    ? data.reduce((n, b) => n + b.length, 0)
    : data instanceof ArrayBuffer
      ? data.byteLength
      : data.length;

/** The `id` of a message that starts `{"id": 12, ...` (as our clients write it), else -1. */
function leadingId(data: RawData): number {
  const first = Array.isArray(data) ? data[0] : data;
  const head =
    first === undefined
      ? Buffer.alloc(0)
      : first instanceof ArrayBuffer
        ? Buffer.from(first, 0, Math.min(64, first.byteLength))
        : first.subarray(0, 64);
  const text = head.toString('latin1');
  const m = /^\s*\{\s*"id"\s*:\s*(\d{1,15})\s*[,}]/.exec(text);
  return m ? Number(m[1]) : -1;
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`,
  );
}

export function attachApiSocket(server: Server, opts: ApiSocketOptions): ApiSocketServer {
  const { core, logger, listenHost } = opts;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_ANSWERED_BYTES });
  const clients = new Set<Client>();

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== API_PATH) {
      refuse(socket, 404, 'Not Found');
      return;
    }
    if (!isAllowedOrigin(req.headers.origin, req.headers.host, listenHost)) {
      logger.warn('API socket refused: foreign origin', {
        origin: req.headers.origin,
        host: req.headers.host,
        remote: req.socket.remoteAddress,
      });
      refuse(socket, 403, 'Forbidden');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, req));
  };
  server.on('upgrade', onUpgrade);

  /** Above the limit for longer than the grace period (monotonic clock: not the core's clock). */
  const isBacklogged = (client: Client): boolean => {
    if (client.ws.bufferedAmount <= MAX_BUFFERED_BYTES) {
      client.backlogSince = null;
      return false;
    }
    const now = performance.now();
    client.backlogSince ??= now;
    return now - client.backlogSince > BACKLOG_GRACE_MS;
  };

  const sendMessage = (client: Client, message: ServerMessage) => {
    if (client.ws.readyState !== WebSocket.OPEN) return;
    if (isBacklogged(client)) {
      logger.warn('API socket dropped: client is not reading', { remote: client.conn.remote });
      client.ws.terminate();
      return;
    }
    client.ws.send(JSON.stringify(message));
  };

  const callerOf = (client: Client): Caller | null => {
    const token = client.conn.token;
    if (token === null) return null;
    const now = core.services.clock.now();
    const c = client.cached;
    if (c && c.token === token && now - c.at < CALLER_CACHE_MS && now >= c.at) return c.caller;
    const caller = core.services.auth.resolveSession(token, now);
    client.cached = { token, caller, at: now };
    return caller;
  };

  // A restore may change who a session's user is (role, sites): forget the cached callers.
  const unhook = core.services.restoreHooks.register({
    name: 'api sockets',
    afterSwap: () => {
      for (const client of clients) client.cached = null;
    },
  });

  const unsubscribe = core.events.subscribe((event) => {
    for (const client of clients) {
      const hadToken = client.conn.token !== null;
      const caller = callerOf(client);
      if (caller === null) {
        if (hadToken) {
          // The session ended (expired, logged out elsewhere, user disabled): tell that tab
          // once so it can show the login page, and stop resolving the dead token.
          client.conn.token = null;
          client.cached = null;
          sendMessage(client, { event: { type: 'session-expired', siteId: null } });
        }
        continue;
      }
      if (mayReceive(caller, event)) sendMessage(client, { event });
    }
  });

  const onConnection = (ws: WebSocket, req: IncomingMessage) => {
    const client: Client = {
      ws,
      conn: core.openConnection(req.socket.remoteAddress ?? 'unknown'),
      cached: null,
      alive: true,
      backlogSince: null,
    };
    clients.add(client);
    ws.on('pong', () => {
      client.alive = true;
    });
    ws.on('close', () => clients.delete(client));
    ws.on('error', (cause) => logger.debug('API socket error', { cause }));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      // Any frame proves the peer is there (a busy client's pong may queue behind its calls).
      client.alive = true;
      void handleMessage(client, data, isBinary);
    });
  };

  const handleMessage = async (client: Client, data: RawData, isBinary: boolean) => {
    const size = rawSize(data);
    if (size > MAX_MESSAGE_BYTES) {
      // Not parsed (that is the cost the limit avoids): the id is read from the message's start.
      sendMessage(client, {
        id: leadingId(data),
        result: { ok: false, error: tooLargeError(size) },
      });
      return;
    }
    let message: unknown;
    try {
      if (isBinary) throw new Error('binary frame');
      message = JSON.parse(data.toString());
    } catch {
      sendMessage(client, {
        id: -1,
        result: err('validation', 'Malformed message: expected JSON {"id", "method", "input"}.'),
      });
      return;
    }
    const m = message as { id?: unknown; method?: unknown; input?: unknown } | null;
    if (
      m === null ||
      typeof m !== 'object' ||
      typeof m.id !== 'number' ||
      !Number.isSafeInteger(m.id) ||
      typeof m.method !== 'string'
    ) {
      const id = m !== null && typeof m === 'object' && typeof m.id === 'number' ? m.id : -1;
      sendMessage(client, {
        id,
        result: err('validation', 'Malformed message: expected {"id": number, "method": string}.'),
      });
      return;
    }
    const { id, method, input } = m as { id: number; method: string; input: unknown };
    try {
      const result = await core.call(client.conn, method, input);
      // Login/logout change the connection's token: drop the cached caller.
      client.cached = null;
      sendMessage(client, { id, result });
    } catch (cause) {
      // The dispatcher turns handler errors into results; reaching here is a bug in the core.
      logger.error('API call crashed', { method, cause });
      sendMessage(client, { id, result: err('internal', 'Something went wrong on the server.') });
    }
  };

  // Drops sockets whose peer vanished without a close frame (laptop lid closed, Wi-Fi gone).
  const pinger = setInterval(() => {
    for (const client of clients) {
      if (!client.alive || isBacklogged(client)) {
        client.ws.terminate();
        continue;
      }
      client.alive = false;
      client.ws.ping();
    }
  }, PING_INTERVAL_MS);
  pinger.unref();

  return {
    get size() {
      return clients.size;
    },
    async close() {
      clearInterval(pinger);
      unsubscribe();
      unhook();
      server.off('upgrade', onUpgrade);
      for (const client of clients) client.ws.close(1001, 'Server shutting down');
      await new Promise<void>((done) => wss.close(() => done()));
      // Give close frames a moment to flush, then cut whatever is left.
      const deadline = Date.now() + 1000;
      while (
        [...clients].some((c) => c.ws.readyState !== WebSocket.CLOSED) &&
        Date.now() < deadline
      ) {
        await new Promise((r) => setTimeout(r, 20));
      }
      for (const client of clients) client.ws.terminate();
      clients.clear();
    },
  };
}
