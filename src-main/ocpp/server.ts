// The OCPP listener(s): ws on the OCPP port, wss on the TLS port (security profile 2), both
// serving `/ocpp/{chargeBoxId}` upgrades through one ocpp-rpc RPCServer, and the small HTTP
// file endpoint chargers use for firmware downloads and diagnostics uploads.
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { RPCServer } from 'ocpp-rpc';
import type { Logger } from '../platform/logger';
import { applyConnectionLimits, type ConnectionLimits } from '../http/connection-limits';

/** Consecutive malformed frames after which a connection is closed (1002). */
export const MAX_BAD_FRAMES = 50;

export interface Handshake {
  identity: string;
  endpoint: string;
  protocols: Set<string>;
  password: Buffer | undefined;
  remoteAddress: string | undefined;
  request: IncomingMessage;
}

export type AuthDecision =
  | { accept: true; session: Record<string, unknown> }
  | { accept: false; code: number; message: string };

export interface ListenerDeps {
  logger: Logger;
  authenticate(h: Handshake, tls: boolean): Promise<AuthDecision>;
  onClient(client: unknown): void;
  onBadMessage(
    client: unknown,
    e: { buffer: Buffer; error: Error; response: unknown[] | null },
  ): void;
  handleFileRequest(req: IncomingMessage, res: ServerResponse, tls: boolean): boolean;
}

export function createRpcServer(
  deps: ListenerDeps,
  callTimeoutMs: number,
  pingIntervalMs: number,
  /** Inbound frames above this are refused by ws (close 1009): limits.ts maxFrameBytes. */
  maxFrameBytes: number,
) {
  const rpc = new RPCServer({
    protocols: ['ocpp1.6'],
    // Validation is ours (validation.ts): lenient inbound, strict outbound.
    strictMode: false,
    callTimeoutMs,
    pingIntervalMs,
    // Ping only a charger that has been quiet for pingIntervalMs: its messages prove the link. With
    // `false` every connection ran a ping cycle every 30 s (a promise, an AbortController and
    // listeners that lived 30 s each: at 10,000 chargers a quarter of what survived each
    // young-generation GC, docs/benchmarks.md round 6). Deferring costs a Timeout.refresh()
    // per frame (~0.1 µs; the lean path calls it too, inbound.ts).
    deferPingsOnActivity: true,
    callConcurrency: 1,
    maxBadMessages: MAX_BAD_FRAMES,
    wssOptions: { maxPayload: maxFrameBytes },
  });
  rpc.auth(async (accept, reject, handshake) => {
    const h = handshake as unknown as Handshake;
    const tls = Boolean((h.request.socket as TLSSocket).encrypted);
    try {
      const d = await deps.authenticate(h, tls);
      if (d.accept) accept(d.session, 'ocpp1.6');
      else reject(d.code, d.message);
    } catch (cause) {
      deps.logger.error('OCPP authentication failed', { cause, identity: h.identity });
      reject(500, 'Internal error');
    }
  });
  rpc.on('client', (client: unknown) => {
    const c = client as { on(e: string, l: (ev: never) => void): void };
    c.on('badMessage', (ev: { buffer: Buffer; error: Error; response: unknown[] | null }) =>
      deps.onBadMessage(client, ev),
    );
    deps.onClient(client);
  });
  rpc.on('error', (e: unknown) => deps.logger.warn('OCPP websocket server error', { cause: e }));
  return rpc;
}

/**
 * `/ocpp/{id}` and `/ocpp/{id}/` (a trailing slash is common in charger configuration UIs).
 * Returns the rewritten URL, or null when the path is not an OCPP endpoint.
 */
export function normaliseUpgradePath(url: string | undefined): string | null {
  const u = new URL(url ?? '/', 'http://x');
  const path = u.pathname.replace(/\/+$/, '');
  const m = /^\/ocpp\/([^/]+)$/.exec(path);
  if (!m?.[1]) return null;
  // Throws URIError on broken percent-encoding (`%E0%A4%A`), which the caller answers 400:
  // ocpp-rpc decodes the identity itself, unguarded, inside an async handler (an unhandled
  // rejection that ended the process).
  decodeURIComponent(m[1]);
  return path + u.search;
}

function refuseUpgrade(socket: Duplex, code: number, message: string) {
  socket.end(`HTTP/1.1 ${code} ${message}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export interface Listener {
  server: Server | HttpsServer;
  port: number;
}

export async function listen(
  rpc: RPCServer,
  deps: ListenerDeps,
  host: string,
  port: number,
  tls: { cert: string; key: string } | null,
  limits: ConnectionLimits,
): Promise<Listener> {
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    try {
      if (!deps.handleFileRequest(req, res, tls !== null)) {
        res.statusCode = 404;
        res.end();
      }
    } catch (cause) {
      deps.logger.error('OCPP file endpoint failed', { cause, url: req.url });
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    }
  };
  const server = tls
    ? createHttpsServer({ cert: tls.cert, key: tls.key }, onRequest)
    : createHttpServer(onRequest);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    let url: string | null;
    try {
      url = normaliseUpgradePath(req.url);
    } catch {
      // An unparsable request target (e.g. `http://[`): a bad request, not a crash.
      return refuseUpgrade(socket, 400, 'Bad Request');
    }
    if (!url) return refuseUpgrade(socket, 404, 'Not Found');
    req.url = url;
    rpc.handleUpgrade(req, socket as Socket, head).catch((cause: unknown) => {
      deps.logger.error('OCPP upgrade failed', { cause, url: req.url });
      socket.destroy();
    });
  });
  server.on('clientError', (_e, socket: Duplex) => socket.destroy());
  applyConnectionLimits(server, limits, deps.logger, 'OCPP port');
  await new Promise<void>((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen({ port, host }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const addr = server.address();
  return { server, port: typeof addr === 'object' && addr ? addr.port : port };
}

export function closeServer(server: Server | HttpsServer): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
