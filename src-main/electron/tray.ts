// The tray icon: the app keeps running (chargers stay connected) while the window is hidden.
import { Menu, Tray, nativeImage } from 'electron';

export interface TrayActions {
  open(): void;
  quit(): void;
  isOpenAtLogin(): boolean;
  setOpenAtLogin(on: boolean): void;
}

export function createTray(iconPath: string, actions: TrayActions): Tray {
  // tray.png is 16 px; Electron picks tray@2x.png beside it on HiDPI screens.
  const image = nativeImage.createFromPath(iconPath);
  const tray = new Tray(image);
  tray.setToolTip('StrataCharge — chargers stay connected while this runs');
  const rebuild = () =>
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: 'Open StrataCharge', click: () => actions.open() },
        {
          label: 'Start at login',
          type: 'checkbox',
          checked: actions.isOpenAtLogin(),
          click: (item) => {
            actions.setOpenAtLogin(item.checked);
            rebuild();
          },
        },
        { type: 'separator' },
        { label: 'Quit (disconnects the chargers)', click: () => actions.quit() },
      ]),
    );
  rebuild();
  tray.on('click', () => actions.open());
  return tray;
}
