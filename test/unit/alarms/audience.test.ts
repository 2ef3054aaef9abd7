// Who is pushed alarm events: staff of the alarm's site; organisation-wide alarms (mail server,
// backups, unknown chargers) only to those who see every site; never residents (EV users).
import { describe, expect, it } from 'vitest';
import { mayReceive } from '../../../src-main/auth/event-audience';
import type { Caller } from '../../../src-main/platform/caller';
import type { CoreEvent } from '../../../src-shared/api/events';

const caller = (role: Caller['role'], siteIds: number[] = []): Caller => ({
  userId: 1,
  email: 'x@example.com',
  name: 'X',
  role,
  siteIds,
  mustChangePassword: false,
  sessionId: 1,
  expiresAt: Number.MAX_SAFE_INTEGER,
});

const raised = (siteId: number | null): CoreEvent => ({
  type: 'alarm-raised',
  siteId,
  alarmId: 1,
  stationId: null,
  severity: 'critical',
  title: 't',
  detail: null,
  at: 0,
});

describe('alarm event audience', () => {
  it('sends a site’s alarms to its staff, never to its residents', () => {
    expect(mayReceive(caller('site_admin', [1]), raised(1))).toBe(true);
    expect(mayReceive(caller('site_admin', [2]), raised(1))).toBe(false);
    expect(mayReceive(caller('ev_user', [1]), raised(1))).toBe(false);
    // The connector status behind it still reaches the resident of that site.
    const status: CoreEvent = {
      type: 'connector-status',
      siteId: 1,
      stationId: 1,
      connectorNumber: 1,
      status: 'Faulted',
      errorCode: 'GroundFailure',
      at: 0,
    };
    expect(mayReceive(caller('ev_user', [1]), status)).toBe(true);
  });

  it('sends organisation-wide alarms only to those who see every site', () => {
    expect(mayReceive(caller('admin'), raised(null))).toBe(true);
    expect(mayReceive(caller('support'), raised(null))).toBe(true);
    expect(mayReceive(caller('site_admin', [1]), raised(null))).toBe(false);
    expect(mayReceive(caller('ev_user', [1]), raised(null))).toBe(false);
  });
});
