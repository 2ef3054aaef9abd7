// The typed API the Electron preload exposes to the renderer as `window.strataCharge`
// (contextBridge). Only this surface crosses the bridge — never a generic `invoke(channel)`,
// which would let any script in the page call any channel. The renderer's API client picks it
// when present and falls back to the WebSocket transport of the headless service otherwise.
import type { Result } from './result';
import type { CoreEvent } from './events';

export interface StrataChargeBridge {
  /** One API call; the main process validates the sender and runs it through the dispatcher. */
  call(method: string, input: unknown): Promise<Result<unknown>>;
  /** Subscribes to core events pushed to this window; returns the unsubscribe function. */
  onEvent(cb: (event: CoreEvent) => void): () => void;
  /**
   * Saves a streamed download (a ticket URL from `download-ticket-create`) to a file the user
   * picks in the native save dialog; the main process streams it to disk. `savedTo` is null
   * when the user cancelled.
   */
  saveDownload(url: string, fileName: string): Promise<Result<{ savedTo: string | null }>>;
}

/** The global name the preload uses (`contextBridge.exposeInMainWorld(BRIDGE_KEY, ...)`). */
export const BRIDGE_KEY = 'strataCharge';
