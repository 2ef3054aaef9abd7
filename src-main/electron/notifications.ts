// Native notifications for alarms. The alarm engine (src-main/alarms, planned) will emit core
// events of type 'alarm'; until that type joins the CoreEvent union this hook matches it by name.
import { Notification } from 'electron';
import type { Core } from '../core';

export function subscribeAlarmNotifications(core: Core, onClick: () => void): () => void {
  return core.events.subscribe((event) => {
    const type: string = event.type;
    if (type !== 'alarm' || !Notification.isSupported()) return;
    const fields: Record<string, unknown> = event;
    const n = new Notification({
      title: typeof fields['title'] === 'string' ? fields['title'] : 'StrataCharge alarm',
      body: typeof fields['message'] === 'string' ? fields['message'] : '',
    });
    n.on('click', onClick);
    n.show();
  });
}
