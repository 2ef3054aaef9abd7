// The admin API of a running service process, spoken like the UI does: one WebSocket to /api,
// JSON {id, method, input} → {id, result}; the session belongs to the socket. Calls may overlap.
import WebSocket from 'ws';
import type { ServerMessage } from '../../../src-shared/api/events';
import type { Result } from '../../../src-shared/api/result';

export interface ApiSocket {
  call<T = unknown>(method: string, input?: unknown, timeoutMs?: number): Promise<Result<T>>;
  /** Like call, but throws unless the answer is ok. */
  ok<T = unknown>(method: string, input?: unknown): Promise<T>;
  close(): void;
}

export async function openApi(apiUrl: string): Promise<ApiSocket> {
  // Same-origin, as a browser tab on the admin UI would send.
  const origin = apiUrl.replace(/^ws/, 'http').replace(/\/api$/, '');
  const ws = new WebSocket(apiUrl, { origin });
  const pending = new Map<number, (r: Result<unknown>) => void>();
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as ServerMessage;
    if ('id' in msg) {
      pending.get(msg.id)?.(msg.result);
      pending.delete(msg.id);
    }
  });
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) =>
      reject(new Error(`API handshake refused: HTTP ${res.statusCode}`)),
    );
  });
  let nextId = 1;
  const call = <T>(method: string, input: unknown = {}, timeoutMs = 60_000) => {
    const id = nextId++;
    return new Promise<Result<T>>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`no answer to ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, (r) => {
        clearTimeout(timer);
        resolve(r as Result<T>);
      });
      void closed.then(() => {
        if (pending.delete(id)) {
          clearTimeout(timer);
          reject(new Error(`API socket closed before the answer to ${method}`));
        }
      });
      ws.send(JSON.stringify({ id, method, input }));
    });
  };
  return {
    call,
    async ok<T>(method: string, input: unknown = {}) {
      const r = await call<T>(method, input);
      if (!r.ok) throw new Error(`${method} failed: ${r.error.code}: ${r.error.message}`);
      return r.value;
    },
    close: () => ws.close(),
  };
}

export const ADMIN = {
  email: 'admin@example.com',
  name: 'Ada Admin',
  password: 'correct horse battery staple',
};

/** First-run setup (administrator, organisation, first site); returns a logged-in socket. */
export async function setupAndLogin(apiUrl: string): Promise<{ api: ApiSocket; siteId: number }> {
  const api = await openApi(apiUrl);
  await api.ok('setup-complete', {
    admin: ADMIN,
    organisation: { name: 'Harbour Strata Management' },
    site: { name: 'Harbour View', timeZone: 'Australia/Sydney' },
  });
  await api.ok('session-login', { email: ADMIN.email, password: ADMIN.password });
  const sites = await api.ok<{ id: number }[]>('site-list');
  const site = sites[0];
  if (site === undefined) throw new Error('setup created no site');
  return { api, siteId: site.id };
}

/** Logs in on a fresh socket (e.g. after a restart). */
export async function login(apiUrl: string): Promise<ApiSocket> {
  const api = await openApi(apiUrl);
  await api.ok('session-login', { email: ADMIN.email, password: ADMIN.password });
  return api;
}
