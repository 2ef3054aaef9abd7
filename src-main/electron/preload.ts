// The sandboxed preload: exposes exactly the typed bridge of src-shared/api/bridge.ts as
// `window.strataCharge`. No generic invoke/send — the renderer cannot reach any other channel.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { BRIDGE_KEY, type StrataChargeBridge } from '../../src-shared/api/bridge';
import type { CoreEvent } from '../../src-shared/api/events';
import type { Result } from '../../src-shared/api/result';
import { IPC_CALL, IPC_EVENT, IPC_SAVE_DOWNLOAD } from './ipc-channels';

const bridge: StrataChargeBridge = {
  call: (method, input) =>
    ipcRenderer.invoke(IPC_CALL, String(method), input) as Promise<Result<unknown>>,
  onEvent(cb) {
    // Wrap so the renderer never sees the IpcRendererEvent (it carries `sender`).
    const listener = (_e: IpcRendererEvent, event: CoreEvent) => cb(event);
    ipcRenderer.on(IPC_EVENT, listener);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, listener);
    };
  },
  saveDownload: (url, fileName) =>
    ipcRenderer.invoke(IPC_SAVE_DOWNLOAD, String(url), String(fileName)) as Promise<
      Result<{ savedTo: string | null }>
    >,
};

contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
