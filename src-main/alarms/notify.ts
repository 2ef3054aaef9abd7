// Email about alarms, through the outbox. Immediate: queued inside the transaction that raises a
// NEW alarm (a repeat folds, it does not email again), to each staff user who chose that
// severity, wants that site and may see it, unless it is their quiet hours on the site's clock
// (a quiet-hours alarm is in the next digest instead). The daily digest is digest.ts.
import { DateTime } from 'luxon';
import type { Db } from '../db/open';
import { sites, stations } from '../db/schema';
import { eq } from 'drizzle-orm';
import type { Outbox } from '../mail/outbox';
import type { Logger } from '../platform/logger';
import { ALARM_RULES, SEVERITY_LABELS, isAlarmRule, type Severity } from '../../src-shared/alarms';
import { isQuiet, siteZones, wantsSite, type AlarmPrefsStore } from './prefs';
import type { AlarmRow } from './store';

/** en-AU, on the site's clock, with the zone's abbreviation (AEDT): people read it as local. */
export const localTime = (at: number, zone: string) =>
  DateTime.fromMillis(at, { zone }).setLocale('en-AU').toFormat('d MMM yyyy, h:mm a ZZZZ');

export function describeAlarm(db: Db, a: AlarmRow, zone: string): string {
  const site =
    a.siteId === null
      ? null
      : db.select({ name: sites.name }).from(sites).where(eq(sites.id, a.siteId)).get()?.name;
  const st =
    a.stationId === null
      ? null
      : db
          .select({ name: stations.name, identity: stations.identity })
          .from(stations)
          .where(eq(stations.id, a.stationId))
          .get();
  const rule = isAlarmRule(a.rule) ? ALARM_RULES[a.rule].label : a.rule;
  return [
    `${SEVERITY_LABELS[a.severity as Severity] ?? a.severity}: ${a.title}`,
    `  What: ${rule}`,
    site ? `  Site: ${site}` : '  Site: the whole organisation',
    st ? `  Charger: ${st.name} (${st.identity})` : null,
    a.detail ? `  Detail: ${a.detail}` : null,
    `  Since: ${localTime(a.firstAt, zone)}${a.count > 1 ? ` (${a.count} times, last ${localTime(a.lastAt, zone)})` : ''}`,
    a.acknowledgedByName ? `  Acknowledged by ${a.acknowledgedByName}` : null,
  ]
    .filter((l): l is string => l !== null)
    .join('\n');
}

export function createAlarmNotifier(deps: {
  db: Db;
  outbox: Pick<Outbox, 'enqueue'>;
  prefs: AlarmPrefsStore;
  logger: Logger;
  /** The admin UI's address, when known, for a link in the email. */
  uiUrl: () => string | null;
}) {
  const { db } = deps;
  const footer = () => {
    const url = deps.uiUrl();
    return [
      '',
      url
        ? `Open StrataCharge → Alarms: ${url}#/alarms`
        : 'Open StrataCharge → Alarms to acknowledge or clear it.',
      'You receive this because of your alarm notification settings (Alarms → My notifications).',
    ].join('\n');
  };

  /** Inside the raise's transaction: one message per recipient. Returns how many were queued. */
  function onRaised(a: AlarmRow): number {
    const zones = siteZones(db);
    const zone = zones.zoneOf(a.siteId);
    let queued = 0;
    for (const r of deps.prefs.recipients()) {
      if (!r.prefs.emailSeverities.includes(a.severity as Severity)) continue;
      if (!wantsSite(r, a.siteId)) continue;
      if (isQuiet(r, a.firstAt, zone)) continue;
      deps.outbox.enqueue(db, {
        kind: 'alarm',
        to: [r.email],
        subject: `[StrataCharge] ${SEVERITY_LABELS[a.severity as Severity] ?? a.severity}: ${a.title}`,
        text: `Hello ${r.name},\n\nA new alarm was raised.\n\n${describeAlarm(db, a, zone)}\n${footer()}\n`,
      });
      queued++;
    }
    return queued;
  }

  return { onRaised, footer };
}

export type AlarmNotifier = ReturnType<typeof createAlarmNotifier>;
