// Native desktop notifications for new alarms (src-main/alarms raises them): for the user logged
// in in the window, as their pop-up preferences allow (alarms/popups.ts decides, the same rule
// as the browser's in-app toast, which skips itself inside the desktop window).
import { Notification } from 'electron';
import type { Core } from '../core';
import type { Caller } from '../platform/caller';
import { mayReceive } from '../auth/event-audience';
import { subscribeDesktopPopups } from '../alarms/popups';

export function subscribeAlarmNotifications(
  core: Core,
  onClick: () => void,
  caller: () => Caller | null,
): () => void {
  return subscribeDesktopPopups({
    events: core.events,
    gate: core.services.alarms.popups,
    caller,
    mayShow: mayReceive,
    show: (p) => {
      if (!Notification.isSupported()) return;
      const n = new Notification({ title: p.title, body: p.body });
      n.on('click', onClick);
      n.show();
    },
  });
}
