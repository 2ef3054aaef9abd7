// Each user's alarm notifications: which severities are emailed at once, for which sites, quiet
// hours, the daily digest and its time, pop-ups. No row: the defaults (nothing emailed until a
// user asks; the digest off; pop-ups for critical alarms).
import { asc, eq, inArray } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Db } from '../db/open';
import { alarmPrefs, sites, userSites, users } from '../db/schema';
import {
  DEFAULT_ALARM_PREFS,
  SEVERITIES,
  inQuietHours,
  type Severity,
} from '../../src-shared/alarms';
import { STAFF_ROLES } from '../../src-shared/roles';

export type AlarmPrefs = typeof DEFAULT_ALARM_PREFS;

/** A staff user who may be told about alarms, with their preferences and what they may see. */
export interface Recipient {
  userId: number;
  email: string;
  name: string;
  /** 'all' for administrators and support. */
  access: number[] | 'all';
  prefs: AlarmPrefs;
}

function parseIds(json: string | null): number[] | null {
  if (json === null) return null;
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : null;
  } catch {
    return null;
  }
}

function parseSeverities(json: string): Severity[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v)
      ? v.filter((x): x is Severity => SEVERITIES.includes(x as Severity))
      : [];
  } catch {
    return [];
  }
}

export function createAlarmPrefs(db: Db) {
  function toPrefs(row: typeof alarmPrefs.$inferSelect | undefined): AlarmPrefs {
    if (!row) return { ...DEFAULT_ALARM_PREFS };
    return {
      emailSeverities: parseSeverities(row.emailSeverities),
      siteIds: parseIds(row.siteIds),
      quietFrom: row.quietFrom,
      quietTo: row.quietTo,
      digest: row.digest,
      digestAt: row.digestAt,
      popupSeverities: parseSeverities(row.popupSeverities),
    };
  }

  function get(userId: number): AlarmPrefs {
    return toPrefs(db.select().from(alarmPrefs).where(eq(alarmPrefs.userId, userId)).get());
  }

  function set(userId: number, prefs: AlarmPrefs, at: number) {
    const before = get(userId);
    const row = {
      emailSeverities: JSON.stringify(prefs.emailSeverities),
      siteIds: prefs.siteIds === null ? null : JSON.stringify(prefs.siteIds),
      quietFrom: prefs.quietFrom,
      quietTo: prefs.quietTo,
      digest: prefs.digest,
      digestAt: prefs.digestAt,
      popupSeverities: JSON.stringify(prefs.popupSeverities),
      updatedAt: at,
    };
    db.insert(alarmPrefs)
      .values({ userId, ...row })
      .onConflictDoUpdate({ target: alarmPrefs.userId, set: row })
      .run();
    return { before, after: get(userId) };
  }

  /** Every enabled staff user with their preferences and the sites they may see. */
  function recipients(): Recipient[] {
    const staff = db
      .select({ id: users.id, email: users.email, name: users.name, role: users.role })
      .from(users)
      .where(inArray(users.role, [...STAFF_ROLES]))
      .all()
      .filter((u) => u.email.includes('@'));
    const disabled = new Set(
      db
        .select({ id: users.id })
        .from(users)
        .where(eq(users.disabled, true))
        .all()
        .map((u) => u.id),
    );
    const assigned = new Map<number, number[]>();
    for (const r of db.select().from(userSites).all()) {
      assigned.set(r.userId, [...(assigned.get(r.userId) ?? []), r.siteId]);
    }
    const rows = new Map(
      db
        .select()
        .from(alarmPrefs)
        .all()
        .map((r) => [r.userId, r]),
    );
    return staff
      .filter((u) => !disabled.has(u.id))
      .map((u) => ({
        userId: u.id,
        email: u.email,
        name: u.name,
        access: u.role === 'admin' || u.role === 'support' ? 'all' : (assigned.get(u.id) ?? []),
        prefs: toPrefs(rows.get(u.id)),
      }));
  }

  return { get, set, recipients };
}

export type AlarmPrefsStore = ReturnType<typeof createAlarmPrefs>;

/** Whether a recipient wants (and may see) alarms of this site; null site: organisation-wide. */
export function wantsSite(r: Recipient, siteId: number | null): boolean {
  if (siteId === null) return r.access === 'all';
  if (r.access !== 'all' && !r.access.includes(siteId)) return false;
  return r.prefs.siteIds === null || r.prefs.siteIds.includes(siteId);
}

/** Whether `at` falls in the recipient's quiet hours, on the wall clock of `zone`. */
export function isQuiet(r: Recipient, at: number, zone: string): boolean {
  const hhmm = DateTime.fromMillis(at, { zone }).toFormat('HH:mm');
  return inQuietHours(hhmm, r.prefs.quietFrom, r.prefs.quietTo);
}

/** Each site's time zone; organisation-wide alarms use the first site's (the building's). */
export function siteZones(db: Db): {
  zoneOf(siteId: number | null): string;
  all: Map<number, string>;
} {
  const rows = db
    .select({ id: sites.id, zone: sites.timeZone, name: sites.name })
    .from(sites)
    .orderBy(asc(sites.id))
    .all();
  const all = new Map(rows.map((r) => [r.id, r.zone]));
  const first = rows[0]?.zone ?? 'UTC';
  return { all, zoneOf: (siteId) => (siteId === null ? first : (all.get(siteId) ?? first)) };
}
