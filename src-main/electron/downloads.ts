// Streamed downloads in the desktop app: the renderer gets a ticket over IPC like any call,
// then asks the main process to save it; the user picks the file in the native save dialog and
// the core's stream is written to it (never whole in memory, never through IPC messages).
// Type-checked only: Electron cannot run on the build machines.
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { dialog, ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { Core } from '../core';
import { isRefusal } from '../downloads/service';
import type { Logger } from '../platform/logger';
import { err, ok, type Result } from '../../src-shared/api/result';
import { IPC_SAVE_DOWNLOAD } from './ipc-channels';

const TICKET_URL = /^\/download\/t\/([A-Za-z0-9_-]{16,64})$/;

export function attachDownloads(core: Core, win: BrowserWindow, logger: Logger): () => void {
  const handler = async (
    event: IpcMainInvokeEvent,
    url: unknown,
    fileName: unknown,
  ): Promise<Result<{ savedTo: string | null }>> => {
    if (win.isDestroyed() || event.senderFrame !== win.webContents.mainFrame) {
      logger.warn('download refused: unexpected sender', { url: event.senderFrame?.url });
      return err('forbidden', 'This window may not download.');
    }
    const ticket = typeof url === 'string' ? TICKET_URL.exec(url)?.[1] : undefined;
    if (!ticket) return err('validation', 'Not a download link.');
    // Ask first: the ticket is redeemed only once the user has chosen where to save.
    const choice = await dialog.showSaveDialog(win, {
      defaultPath: typeof fileName === 'string' ? fileName : 'download',
    });
    if (choice.canceled || !choice.filePath) return ok({ savedTo: null });
    const opened = core.services.downloads.redeem(ticket);
    if (isRefusal(opened)) {
      return err(opened.status === 401 ? 'unauthenticated' : 'forbidden', opened.message);
    }
    try {
      await pipeline(opened.stream, createWriteStream(choice.filePath));
      return ok({ savedTo: choice.filePath });
    } catch (cause) {
      logger.error('download failed', { cause });
      await rm(choice.filePath, { force: true });
      return err('internal', `The file could not be written: ${(cause as Error).message}`);
    }
  };
  ipcMain.handle(IPC_SAVE_DOWNLOAD, handler);
  return () => ipcMain.removeHandler(IPC_SAVE_DOWNLOAD);
}
