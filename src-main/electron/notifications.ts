// Native desktop notifications for new critical alarms (src-main/alarms raises them; the UI's
// 'alarm-raised' event carries the severity). The browser UI shows an in-app toast instead
// (src-renderer/src/app/alarms.tsx), which skips itself inside the desktop window.
import { Notification } from 'electron';
import type { Core } from '../core';

export function subscribeAlarmNotifications(core: Core, onClick: () => void): () => void {
  return core.events.subscribe((event) => {
    if (event.type !== 'alarm-raised' || event.severity !== 'critical') return;
    if (!Notification.isSupported()) return;
    const n = new Notification({
      title: 'Critical alarm',
      body: event.detail ? `${event.title}\n${event.detail}` : event.title,
    });
    n.on('click', onClick);
    n.show();
  });
}
