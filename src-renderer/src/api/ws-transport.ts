// Transport A: the headless service. One WebSocket to `/api` on the page's own origin; the server
// keeps the session on the connection, so after every reconnect we re-attach it with
// `session-resume` before any queued call goes out.
import type { Result } from '../../../src-shared/api/result';
import type { ClientMessage, CoreEvent, ServerMessage } from '../../../src-shared/api/events';
import { Listeners, type LinkState, type Transport } from './transport';
import { tokenStore } from './token-store';

interface Pending {
  resolve: (result: Result<unknown>) => void;
}

const MIN_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 8_000;
/** A call that gets no answer (server hung, socket half-open) fails instead of spinning forever. */
const CALL_TIMEOUT_MS = 120_000;

export function apiSocketUrl(loc: Location = window.location): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/api`;
}

export function createWsTransport(url = apiSocketUrl()): Transport {
  const events = new Listeners<CoreEvent>();
  const link = new Listeners<LinkState>();
  const pending = new Map<number, Pending>();
  /** Calls made while the socket is down (or resuming); flushed once the session is back. */
  let queue: ClientMessage[] = [];
  let nextId = 1;
  let socket: WebSocket | null = null;
  let ready = false;
  let backoff = MIN_BACKOFF_MS;

  const setState = (state: LinkState) => link.emit(state);

  const sendNow = (msg: ClientMessage) => socket?.send(JSON.stringify(msg));

  const rawCall = (method: string, input: unknown, bypassQueue: boolean) =>
    new Promise<Result<unknown>>((resolve) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        if (pending.delete(id))
          resolve({
            ok: false,
            error: { code: 'timeout', message: 'The service did not answer in time. Try again.' },
          });
      }, CALL_TIMEOUT_MS);
      pending.set(id, {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      });
      const msg: ClientMessage = { id, method, input };
      if (socket && socket.readyState === WebSocket.OPEN && (ready || bypassQueue)) sendNow(msg);
      else queue.push(msg);
    });

  const connect = () => {
    setState('connecting');
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = async () => {
      backoff = MIN_BACKOFF_MS;
      const token = tokenStore.get();
      if (token) {
        const resumed = await rawCall('session-resume', { token }, true);
        if (!resumed.ok && resumed.error.code === 'unauthenticated') {
          tokenStore.clear();
          events.emit({ type: 'session-expired', siteId: null });
        }
      }
      ready = true;
      const toSend = queue;
      queue = [];
      toSend.forEach(sendNow);
      setState('open');
    };
    ws.onmessage = (ev) => {
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
      if (socket !== ws) return;
      ready = false;
      socket = null;
      // Calls already on the wire may or may not have run: fail them rather than re-send (a
      // re-sent "reset charger" could reset it twice). Queued calls were never sent: keep them.
      for (const [id, p] of pending) {
        if (queue.some((q) => q.id === id)) continue;
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
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    };
  };
  connect();

  return {
    call: (method, input) => rawCall(method, input, false),
    onEvent: (cb) => events.add(cb),
    onLinkState: (cb) => link.add(cb),
  };
}
