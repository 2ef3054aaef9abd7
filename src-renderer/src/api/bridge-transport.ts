// Transport B: the Electron preload's `window.strataCharge` (IPC to the main process).
import type { StrataChargeBridge } from '../../../src-shared/api/bridge';
import { Listeners, type LinkState, type Transport } from './transport';

declare global {
  interface Window {
    strataCharge?: StrataChargeBridge;
  }
}

export function createBridgeTransport(bridge: StrataChargeBridge): Transport {
  const link = new Listeners<LinkState>();
  return {
    call: async (method, input) => {
      try {
        return await bridge.call(method, input);
      } catch (cause) {
        console.error('IPC call failed', method, cause);
        return {
          ok: false,
          error: { code: 'unavailable', message: 'The StrataCharge core did not answer.' },
        };
      }
    },
    onEvent: (cb) => bridge.onEvent(cb),
    // IPC to our own main process does not drop; always "open".
    onLinkState: (cb) => {
      cb('open');
      return link.add(cb);
    },
  };
}
