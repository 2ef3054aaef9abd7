// Connection limits for a listening HTTP server (the admin UI's and the OCPP port's): a device
// that opens sockets and sends nothing, or trickles a request's headers, must not hold them (or
// a file descriptor each) forever, and one address must not open thousands. Upgraded WebSocket
// connections are not affected by the idle timeout (ws clears the socket timeout once the
// upgrade completes; their liveness is the pings').
import type { Server } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { Logger } from '../platform/logger';

export interface ConnectionLimits {
  /** Open TCP connections per remote address; more are closed at once. */
  maxPerAddress: number;
  /** A socket silent this long (no byte either way) is closed, before or between requests. */
  idleMs: number;
  /** The whole request head (or WebSocket upgrade request) must arrive within this. */
  headersMs: number;
  /** The whole request, body included (a 50 MiB upload on a slow link fits). */
  requestMs: number;
}

/** The admin UI's port (browsers on the same machine: every user is 127.0.0.1). */
export const ADMIN_CONNECTION_LIMITS: ConnectionLimits = {
  maxPerAddress: 256,
  // Below 30 s on purpose: Node 20's headers-timeout sweep (every 30 s) re-arms each socket's
  // idle timer, so a longer idle timeout never fires and a silent socket stays open for good.
  idleMs: 25_000,
  headersMs: 10_000,
  requestMs: 300_000,
};

/** Why not one shared Map per process: each server counts its own sockets. */
export function applyConnectionLimits(
  server: Server | HttpsServer,
  limits: ConnectionLimits,
  logger: Logger,
  what: string,
): void {
  server.headersTimeout = limits.headersMs;
  server.requestTimeout = limits.requestMs;
  // Sockets idle this long are destroyed by node (no 'timeout' listener on the server).
  server.timeout = limits.idleMs;
  const open = new Map<string, number>();
  let warnedAt = -Infinity;
  server.on('connection', (socket: Socket) => {
    const ip = socket.remoteAddress ?? '?';
    const n = (open.get(ip) ?? 0) + 1;
    if (n > limits.maxPerAddress) {
      if (Date.now() - warnedAt > 60_000) {
        warnedAt = Date.now();
        logger.warn(`${what}: too many connections from one address; closing new ones`, {
          ip,
          limit: limits.maxPerAddress,
        });
      }
      socket.destroy();
      return;
    }
    open.set(ip, n);
    socket.once('close', () => {
      const left = (open.get(ip) ?? 1) - 1;
      if (left <= 0) open.delete(ip);
      else open.set(ip, left);
    });
  });
}
