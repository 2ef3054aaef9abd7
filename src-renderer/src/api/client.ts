// The one typed API client. Method names, inputs and outputs come from the shared contract, so a
// renamed method or field fails to typecheck here. Two transports: the Electron preload bridge
// when it exists, else a WebSocket to the headless service on the page's origin.
import type { MethodInput, MethodName, MethodOutput } from '../../../src-shared/api/contract';
import type { Result } from '../../../src-shared/api/result';
import { checkInput } from '../../../src-shared/api/check-input';
import type { CoreEvent } from '../../../src-shared/api/events';
import { Listeners, type LinkState, type Transport } from './transport';
import { createWsTransport } from './ws-transport';
import { createBridgeTransport } from './bridge-transport';
import { tokenStore } from './token-store';

export interface ApiClient {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>>;
  onEvent(cb: (event: CoreEvent) => void): () => void;
  onLinkState(cb: (state: LinkState) => void): () => void;
  /** Which transport is in use (shown in system info). */
  readonly kind: 'ipc' | 'websocket';
}

/** Methods whose answer carries a session token to remember for reloads/reconnects. */
const TOKEN_METHODS = new Set<string>(['session-login', 'setup-complete']);

/** Calls that legitimately answer `unauthenticated` without meaning "your session ended". */
const LOGIN_METHODS = new Set<string>(['session-login', 'session-resume', 'password-change']);

export function createApiClient(transport: Transport, kind: ApiClient['kind']): ApiClient {
  // Local events (a call found the session gone) are merged with the core's pushed events.
  const local = new Listeners<CoreEvent>();
  return {
    kind,
    async call(method, input) {
      // What the core would refuse is refused here, with the same messages, before a round trip.
      const invalid = checkInput(method, input);
      if (invalid) return { ok: false, error: invalid };
      const result = await transport.call(method, input);
      if (result.ok && TOKEN_METHODS.has(method)) {
        const value = result.value as { token?: unknown };
        if (typeof value.token === 'string') tokenStore.set(value.token);
      }
      if (method === 'session-logout') tokenStore.clear();
      if (!result.ok && result.error.code === 'unauthenticated' && !LOGIN_METHODS.has(method)) {
        tokenStore.clear();
        local.emit({ type: 'session-expired', siteId: null });
      }
      // The contract's output schema is what the core validated before answering; the transport
      // carries plain JSON, so this is the one place the static type is re-attached.
      return result as Result<MethodOutput<typeof method>>;
    },
    onEvent: (cb) => {
      const offCore = transport.onEvent(cb);
      const offLocal = local.add(cb);
      return () => {
        offCore();
        offLocal();
      };
    },
    onLinkState: (cb) => transport.onLinkState(cb),
  };
}

function pickTransport(): ApiClient {
  const bridge = typeof window !== 'undefined' ? window.strataCharge : undefined;
  if (bridge) return createApiClient(createBridgeTransport(bridge), 'ipc');
  return createApiClient(createWsTransport(), 'websocket');
}

export const api: ApiClient = pickTransport();
