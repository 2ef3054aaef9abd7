// Desktop app entry (Electron main process). Thin on purpose: every behaviour lives in the core
// (src-main/core.ts), which the headless service and the tests run without Electron. This file
// only adds what a desktop needs: one instance, a window, a tray, IPC, login item, notifications.
import type { BrowserWindow } from 'electron';
import { app, dialog, shell } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createCore,
  DatabaseOpenError,
  newestBackup,
  restoreBackupFile,
  StartupError,
  type Core,
} from '../core';
import { backupsDir } from '../backup/files';
import type { Caller } from '../platform/caller';
import { createConsoleLogger } from '../platform/logger';
import { ENV, parseServiceArgs, UsageError } from '../platform/service-options';
import { attachIpcTransport } from './ipc';
import { attachDownloads } from './downloads';
import { createMainWindow } from './window';
import { createTray } from './tray';
import { loadDesktopSettings, saveDesktopSettings } from './settings';
import { subscribeAlarmNotifications } from './notifications';

const logger = createConsoleLogger('info').child({ process: 'electron-main' });
const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * better-sqlite3 built for Electron's ABI. A packaged app has it in place of the Node build
 * (electron-builder install-app-deps); in development scripts/electron-native.mjs puts a copy in
 * node_modules/.electron-native so node_modules keeps the Node build the tests use.
 */
function nativeBinding(): string | undefined {
  if (app.isPackaged) return undefined;
  const file = join(app.getAppPath(), 'node_modules/.electron-native/better_sqlite3.node');
  return existsSync(file) ? file : undefined;
}

/** resources/ (icons): copied beside the asar by electron-builder (extraResources). */
function resourcesDir(): string {
  return app.isPackaged ? process.resourcesPath : join(here, '../../resources');
}

/** A local date and time people read (the dialog is for the person at this desk). */
function localTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * The database cannot be opened because it is damaged. The same guidance as the headless service
 * (http/service.ts corruptHint: the newest backup and how to restore it), in desktop terms, with
 * the restore one click away. Returns true when a backup was restored (start again), false to quit.
 */
async function offerRestore(dataDir: string, cause: DatabaseOpenError): Promise<boolean> {
  const newest = newestBackup(dataDir);
  const damaged = `The database in ${dataDir} is damaged (${cause.message}). StrataCharge will not start on it.`;
  if (newest === null) {
    const { response } = await dialog.showMessageBox({
      type: 'error',
      title: 'StrataCharge cannot start',
      message: 'The StrataCharge database is damaged',
      detail: [
        damaged,
        `There is no backup in ${backupsDir(dataDir)}.`,
        'Move the damaged stratacharge.db out of the data folder to start with empty data, or put a copy of a backup from elsewhere into the backups folder and start StrataCharge again.',
      ].join('\n\n'),
      buttons: ['Open data folder', 'Quit'],
      defaultId: 1,
      cancelId: 1,
      noLink: true,
    });
    if (response === 0) await shell.openPath(dataDir);
    return false;
  }
  const { response } = await dialog.showMessageBox({
    type: 'error',
    title: 'StrataCharge cannot start',
    message: 'The StrataCharge database is damaged',
    detail: [
      damaged,
      `The newest backup is ${join(backupsDir(dataDir), newest.fileName)}, made ${localTime(newest.createdAt)}.`,
      'Restore it to continue: changes made after that time are lost. The damaged database is kept aside in the data folder, not deleted.',
      `(The headless service does the same with --data-dir ${JSON.stringify(dataDir)} --restore ${newest.fileName}.)`,
    ].join('\n\n'),
    buttons: ['Restore newest backup', 'Open data folder', 'Quit'],
    defaultId: 0,
    cancelId: 2,
    noLink: true,
  });
  if (response === 1) await shell.openPath(dataDir);
  if (response !== 0) return false;
  try {
    const r = await restoreBackupFile(dataDir, newest.fileName, {
      now: Date.now(),
      nativeBinding: nativeBinding(),
    });
    logger.warn('restored the newest backup over a damaged database', { ...r });
    return true;
  } catch (restoreCause) {
    logger.error('restore failed', { cause: restoreCause });
    dialog.showErrorBox(
      'StrataCharge could not restore the backup',
      `${restoreCause instanceof Error ? restoreCause.message : String(restoreCause)}\n\nThe backups are in ${backupsDir(dataDir)}; an older one may still be good.`,
    );
    return false;
  }
}

async function main(): Promise<void> {
  // Two instances would fight over the OCPP port and the database: focus the first instead.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();

  // The same STRATACHARGE_* environment variables as the headless service (ports, TLS,
  // commissioning); the data directory defaults to Electron's userData folder instead.
  let dataDir = app.getPath('userData');
  let core: Core;
  for (;;) {
    try {
      const env = parseServiceArgs([], process.env);
      dataDir = process.env[ENV.dataDir] ? env.dataDir : app.getPath('userData');
      core = await createCore({
        dataDir,
        logger,
        nativeBinding: nativeBinding(),
        ocpp: {
          host: env.ocppHost,
          port: env.ocppPort,
          ...(env.tlsPort !== null ? { tlsPort: env.tlsPort, tls: 'self-signed' as const } : {}),
          ...(env.commissioningMinutes !== null
            ? { commissioningMinutes: env.commissioningMinutes }
            : {}),
          ...(env.ocppMaxConnectionsPerAddress !== null
            ? { limits: { maxConnectionsPerAddress: env.ocppMaxConnectionsPerAddress } }
            : {}),
        },
      });
      break;
    } catch (cause) {
      if (cause instanceof DatabaseOpenError && cause.kind === 'corrupt') {
        logger.error('database damaged', { cause });
        if (await offerRestore(dataDir, cause)) continue;
        app.exit(1);
        return;
      }
      const message =
        cause instanceof StartupError
          ? `${cause.message}${cause.hint ? `\n\n${cause.hint}` : ''}`
          : cause instanceof UsageError
            ? `${cause.message} (check the STRATACHARGE_* environment variables)`
            : String(cause);
      logger.error('startup failed', { cause });
      dialog.showErrorBox('StrataCharge cannot start', message);
      app.exit(1);
      return;
    }
  }

  let win: BrowserWindow | null = null;
  let detachIpc: (() => void) | null = null;
  /** Who is logged in in the window (desktop notifications follow their preferences). */
  let windowCaller: () => Caller | null = () => null;
  let quitting = false;

  const open = () => {
    if (win === null || win.isDestroyed()) {
      detachIpc?.();
      // Resolved here, in the entry file: out/main/index.js → out/preload, out/renderer.
      const w = createMainWindow({
        icon: join(resourcesDir(), 'icon.png'),
        preload: join(here, '../preload/index.cjs'),
        indexHtml: join(here, '../renderer/index.html'),
      });
      win = w;
      const detachCalls = attachIpcTransport(core, w, logger);
      windowCaller = detachCalls.caller;
      const detachDownloads = attachDownloads(core, w, logger);
      detachIpc = () => {
        detachCalls();
        detachDownloads();
      };
      // Closing the window only hides it: the OCPP server must keep the chargers connected.
      w.on('close', (event) => {
        if (!quitting) {
          event.preventDefault();
          w.hide();
        }
      });
    } else {
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
    }
  };

  const settings = loadDesktopSettings(dataDir);
  const tray = createTray(join(resourcesDir(), 'tray.png'), {
    open,
    quit: () => app.quit(),
    isOpenAtLogin: () => settings.openAtLogin,
    setOpenAtLogin: (on) => {
      settings.openAtLogin = on;
      saveDesktopSettings(dataDir, settings);
      app.setLoginItemSettings({ openAtLogin: on });
    },
  });
  app.setLoginItemSettings({ openAtLogin: settings.openAtLogin });
  const stopNotifications = subscribeAlarmNotifications(core, open, () => windowCaller());

  app.on('second-instance', open);
  app.on('activate', open); // macOS: click on the dock icon.
  // Keep running with no window (tray); only an explicit Quit ends the app.
  app.on('window-all-closed', () => undefined);
  app.on('before-quit', () => {
    quitting = true;
  });
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    stopNotifications();
    detachIpc?.();
    tray.destroy();
    core.close().then(
      () => {
        closed = true;
        app.quit();
      },
      (cause: unknown) => {
        logger.error('shutdown failed', { cause });
        app.exit(1);
      },
    );
  });

  open();
}

main().catch((cause: unknown) => {
  logger.error('fatal', { cause });
  app.exit(1);
});
