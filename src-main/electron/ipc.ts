// The IPC transport of the API (desktop app): the twin of src-main/http/api-socket.ts. One core
// connection per window; calls go through the same dispatcher; events are filtered by the same
// rule (mayReceive) as on the WebSocket.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { Core } from '../core';
import type { Logger } from '../platform/logger';
import { err, type Result } from '../../src-shared/api/result';
import { mayReceive } from '../auth/event-audience';
import type { Caller } from '../platform/caller';
import { IPC_CALL, IPC_EVENT } from './ipc-channels';

/** Detaches the transport; `caller()` is who is logged in in the window now (or null). */
export type IpcTransport = (() => void) & { caller(): Caller | null };

export function attachIpcTransport(core: Core, win: BrowserWindow, logger: Logger): IpcTransport {
  const conn = core.openConnection('ipc');

  const handler = async (
    event: IpcMainInvokeEvent,
    method: unknown,
    input: unknown,
  ): Promise<Result<unknown>> => {
    // Only our window's own top-level document may call: not an iframe, not another window,
    // not a page the window was somehow navigated to (Electron security checklist §17).
    if (win.isDestroyed() || event.senderFrame !== win.webContents.mainFrame) {
      logger.warn('IPC call refused: unexpected sender', { url: event.senderFrame?.url });
      return err('forbidden', 'This window may not use the StrataCharge API.');
    }
    if (typeof method !== 'string') return err('validation', 'The method name must be a string.');
    try {
      return await core.call(conn, method, input);
    } catch (cause) {
      logger.error('IPC call crashed', { method, cause });
      return err('internal', 'Something went wrong; the details are in the log.');
    }
  };
  ipcMain.handle(IPC_CALL, handler);

  const unsubscribe = core.events.subscribe((event) => {
    if (win.isDestroyed() || conn.token === null) return;
    const caller = core.services.auth.resolveSession(conn.token, core.services.clock.now());
    if (caller === null) {
      conn.token = null;
      win.webContents.send(IPC_EVENT, { type: 'session-expired', siteId: null });
      return;
    }
    if (mayReceive(caller, event)) win.webContents.send(IPC_EVENT, event);
  });

  const detach = () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_CALL);
  };
  return Object.assign(detach, {
    caller: () =>
      conn.token === null
        ? null
        : core.services.auth.resolveSession(conn.token, core.services.clock.now()),
  });
}
