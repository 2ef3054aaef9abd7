// Transport A: the headless service. One WebSocket to `/api` on the page's own origin; the server
// keeps the session on the connection, so after every reconnect we re-attach it with
// `session-resume` before any queued call goes out.
//
// Every socket has its own state (`Link`): whether its session is resumed, and which calls went
// out on it. A socket that dies while resuming must neither flush the queue (the calls would be
// written to nothing and hang until their timeout) nor leave a "ready" flag behind for the next
// socket (its calls would overtake the resume and come back `unauthenticated`). Both happened
// with one shared flag: the UI sat on "Reconnecting…"/a spinning dialog until a reload.
import type { Result } from '../../../src-shared/api/result';
import type { ClientMessage, CoreEvent, ServerMessage } from '../../../src-shared/api/events';
import { Listeners, type LinkState, type Transport } from './transport';
import { tokenStore } from './token-store';

const MIN_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 5_000;
/** A call that gets no answer (server hung, socket half-open) fails instead of spinning forever. */
const CALL_TIMEOUT_MS = 120_000;
/**
 * A connection attempt that neither opens nor fails (SYN into a dead route, a proxy holding the
 * upgrade) is given up and retried. Generous: the service may be busy (2 shared cores).
 */
const HANDSHAKE_TIMEOUT_MS = 15_000;
/** The session resume must answer before anything else goes out; a silent server is retried. */
const RESUME_TIMEOUT_MS = 20_000;
/**
 * Browsers cannot send WebSocket pings, and a half-open socket (laptop lid, Wi-Fi roaming) looks
 * open forever. After this long without any message from the server, a cheap call checks the
 * link; no answer within PROBE_TIMEOUT_MS and the socket is abandoned and replaced.
 */
const IDLE_PROBE_MS = 30_000;
const PROBE_TIMEOUT_MS = 20_000;

interface Link {
  ws: WebSocket;
  /** The session is resumed (or there was none): calls may be sent directly. */
  ready: boolean;
  /** When the last message arrived (liveness). */
  lastMessageAt: number;
  probing: boolean;
}

interface Pending {
  resolve: (result: Result<unknown>) => void;
  /** The socket the call was written to; null while it waits in the queue. */
  sentOn: WebSocket | null;
}

export function apiSocketUrl(loc: Location = window.location): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/api`;
}

export function createWsTransport(url = apiSocketUrl()): Transport {
  const events = new Listeners<CoreEvent>();
  const linkListeners = new Listeners<LinkState>();
  const pending = new Map<number, Pending>();
  /** Calls made while no socket is ready; sent in order once the session is back. */
  let queue: ClientMessage[] = [];
  let nextId = 1;
  let current: Link | null = null;
  let backoff = MIN_BACKOFF_MS;
  let state: LinkState = 'connecting';

  const setState = (next: LinkState) => {
    if (next === state) return;
    state = next;
    linkListeners.emit(next);
  };

  const write = (link: Link, msg: ClientMessage) => {
    const p = pending.get(msg.id);
    if (!p) return; // timed out while queued
    p.sentOn = link.ws;
    link.ws.send(JSON.stringify(msg));
  };

  /** `via`: send on this socket now, ahead of the queue (the resume and the liveness probe). */
  const rawCall = (method: string, input: unknown, via?: Link, timeoutMs = CALL_TIMEOUT_MS) =>
    new Promise<Result<unknown>>((resolve) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        if (!pending.delete(id)) return;
        queue = queue.filter((q) => q.id !== id);
        resolve({
          ok: false,
          error: { code: 'timeout', message: 'The service did not answer in time. Try again.' },
        });
      }, timeoutMs);
      pending.set(id, {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        sentOn: null,
      });
      const msg: ClientMessage = { id, method, input };
      const link = via ?? (current?.ready ? current : undefined);
      if (link && link === current && link.ws.readyState === WebSocket.OPEN) write(link, msg);
      else if (via) {
        // The socket it was meant for is already gone.
        pending.delete(id);
        clearTimeout(timer);
        resolve({ ok: false, error: { code: 'unavailable', message: 'Connection lost.' } });
      } else queue.push(msg);
    });

  /** Forgets a socket (closed, or given up on) and schedules the next attempt. */
  const drop = (link: Link) => {
    if (current !== link) return;
    current = null;
    // Calls written to this socket may or may not have run: fail them rather than re-send (a
    // re-sent "reset charger" could reset it twice). Queued calls were never sent: keep them.
    for (const [id, p] of pending) {
      if (p.sentOn !== link.ws) continue;
      pending.delete(id);
      p.resolve({
        ok: false,
        error: {
          code: 'unavailable',
          message: 'Lost the connection to the StrataCharge service. Reconnecting…',
        },
      });
    }
    setState('closed');
    const delay = backoff;
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    setTimeout(connect, delay);
  };

  /** Gives up on a socket without waiting for the browser's close handshake (up to a minute). */
  const abandon = (link: Link) => {
    drop(link);
    try {
      link.ws.close();
    } catch {
      // already closing
    }
  };

  const connect = () => {
    setState('connecting');
    let ws: WebSocket;
    try {
      ws = new WebSocket(url);
    } catch (cause) {
      console.error('API socket could not be created', cause);
      setTimeout(connect, MAX_BACKOFF_MS);
      return;
    }
    const link: Link = { ws, ready: false, lastMessageAt: Date.now(), probing: false };
    current = link;
    const handshake = setTimeout(() => {
      if (ws.readyState === WebSocket.CONNECTING) abandon(link);
    }, HANDSHAKE_TIMEOUT_MS);

    ws.onopen = async () => {
      clearTimeout(handshake);
      if (current !== link) return;
      link.lastMessageAt = Date.now();
      const token = tokenStore.get();
      if (token) {
        const resumed = await rawCall('session-resume', { token }, link, RESUME_TIMEOUT_MS);
        // Closed while resuming: drop() already scheduled the next attempt; the queue waits.
        if (current !== link || ws.readyState !== WebSocket.OPEN) return;
        if (!resumed.ok) {
          if (resumed.error.code === 'unauthenticated') {
            tokenStore.clear();
            events.emit({ type: 'session-expired', siteId: null });
          } else {
            // No usable answer (timeout, server error): a fresh socket, not calls without a session.
            abandon(link);
            return;
          }
        }
      }
      backoff = MIN_BACKOFF_MS;
      link.ready = true;
      const toSend = queue;
      queue = [];
      for (const msg of toSend) write(link, msg);
      setState('open');
    };
    ws.onmessage = (ev) => {
      link.lastMessageAt = Date.now();
      let msg: ServerMessage;
      try {
        msg = JSON.parse(String(ev.data)) as ServerMessage;
      } catch {
        return;
      }
      if ('event' in msg) {
        events.emit(msg.event);
        return;
      }
      const p = pending.get(msg.id);
      if (p) {
        pending.delete(msg.id);
        p.resolve(msg.result);
      }
    };
    ws.onclose = () => {
      clearTimeout(handshake);
      drop(link);
    };
  };

  // Liveness: probe a socket that has been silent for a while (see IDLE_PROBE_MS).
  setInterval(() => {
    const link = current;
    if (!link?.ready || link.probing) return;
    if (Date.now() - link.lastMessageAt < IDLE_PROBE_MS) return;
    link.probing = true;
    void rawCall('setup-status', {}, link, PROBE_TIMEOUT_MS).then((r) => {
      link.probing = false;
      if (!r.ok && r.error.code === 'timeout') abandon(link);
    });
  }, IDLE_PROBE_MS / 3);

  connect();

  return {
    call: (method, input) => rawCall(method, input),
    onEvent: (cb) => events.add(cb),
    // New subscribers get the current state first (a header mounted mid-outage must show it).
    onLinkState: (cb) => {
      cb(state);
      return linkListeners.add(cb);
    },
  };
}
