// Which pushed events a user may receive. Both transports (http/api-socket.ts, electron/ipc.ts)
// apply this one rule, so it lives with the other access rules rather than in either transport.
import type { CoreEvent } from '../../src-shared/api/events';
import { STAFF_ROLES } from '../../src-shared/roles';
import type { Caller } from '../platform/caller';

/** Whether a user may receive an event: by its site, organisation-wide events to staff only. */
export function mayReceive(caller: Caller, event: CoreEvent): boolean {
  const isStaff = (STAFF_ROLES as readonly string[]).includes(caller.role);
  const seesAll = caller.role === 'admin' || caller.role === 'support';
  // Alarms are for the people who look after the chargers, not the residents who use them; an
  // organisation-wide one (mail server, backups) only for those who see the whole organisation.
  if (event.type === 'alarm-raised' || event.type === 'alarm-changed') {
    if (!isStaff) return false;
    if (event.siteId === null) return seesAll;
  }
  // The outbox holds invoices and alarm emails of every site: the Outbox page's audience.
  if (event.type === 'mail-outbox-changed') return caller.role === 'admin';
  if (event.siteId === null) return isStaff;
  if (caller.role === 'admin' || caller.role === 'support') return true;
  return caller.siteIds.includes(event.siteId);
}
