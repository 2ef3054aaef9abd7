// The main window: sandboxed renderer, typed preload, no navigation away from the app.
import { BrowserWindow, shell } from 'electron';

/** Only web links leave the app (opened in the user's browser); everything else is denied. */
function openExternally(url: string): void {
  if (/^https?:\/\//i.test(url)) void shell.openExternal(url);
}

export interface WindowPaths {
  icon: string;
  /** out/preload/index.cjs (CommonJS: a sandboxed preload cannot be an ES module). */
  preload: string;
  /** out/renderer/index.html, loaded unless ELECTRON_RENDERER_URL (electron-vite dev) is set. */
  indexHtml: string;
}

export function createMainWindow(paths: WindowPaths): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'StrataCharge',
    icon: paths.icon,
    autoHideMenuBar: true,
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());

  const appUrl = process.env['ELECTRON_RENDERER_URL'];
  win.webContents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    // The UI is a single page; the only legitimate navigation is a reload of itself.
    const own = appUrl ? url.startsWith(appUrl) : url.startsWith('file://');
    if (!own) {
      event.preventDefault();
      openExternally(url);
    }
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  // The UI needs no camera, microphone, geolocation or web notifications (alarms are shown by
  // the main process): refuse every permission prompt.
  win.webContents.session.setPermissionRequestHandler((_wc, _permission, answer) => answer(false));

  if (appUrl) void win.loadURL(appUrl);
  else void win.loadFile(paths.indexHtml);
  return win;
}
