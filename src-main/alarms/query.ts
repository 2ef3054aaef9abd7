// Reading alarms: the active and history views and the event log (keyset pages, db/paged.ts),
// the counts the navigator, floor plan and dashboard show, and the CSV columns. One WHERE per
// view, shared by the page and its streamed export, so the file holds what the page shows.
import { and, count, eq, gte, inArray, like, lte, or, type SQL } from 'drizzle-orm';
import type { Db } from '../db/open';
import { alarmEvents, alarms, sites, stations } from '../db/schema';
import { containsPattern, pagedQuery, type PageRequest } from '../db/paged';
import type { AlarmFilter } from '../../src-shared/api/methods/alarms';
import { SEVERITIES, worstSeverity, type Severity } from '../../src-shared/alarms';

/** Sites the caller may see ('all': administrators and support, who also see org-wide ones). */
export type Visible = number[] | 'all';
export type AlarmView = 'active' | 'history';

function common(
  t: typeof alarms | typeof alarmEvents,
  f: AlarmFilter,
  visible: Visible,
): (SQL | undefined)[] {
  const at = 'lastAt' in t ? t.lastAt : t.at;
  return [
    visible === 'all' ? undefined : inArray(t.siteId, visible.length ? visible : [-1]),
    f.siteId !== undefined ? eq(t.siteId, f.siteId) : undefined,
    f.stationId !== undefined ? eq(t.stationId, f.stationId) : undefined,
    f.severity ? eq(t.severity, f.severity) : undefined,
    f.rule ? eq(t.rule, f.rule) : undefined,
    f.text
      ? or(like(t.title, containsPattern(f.text)), like(t.detail, containsPattern(f.text)))
      : undefined,
    f.from !== undefined ? gte(at, f.from) : undefined,
    f.to !== undefined ? lte(at, f.to) : undefined,
  ];
}

export const alarmWhere = (view: AlarmView, f: AlarmFilter, visible: Visible) =>
  and(eq(alarms.state, view === 'active' ? 'active' : 'cleared'), ...common(alarms, f, visible));

export const alarmEventWhere = (f: AlarmFilter & { kind?: string }, visible: Visible) =>
  and(f.kind ? eq(alarmEvents.kind, f.kind) : undefined, ...common(alarmEvents, f, visible));

export const alarmColumns = {
  id: alarms.id,
  rule: alarms.rule,
  severity: alarms.severity,
  siteId: alarms.siteId,
  siteName: sites.name,
  stationId: alarms.stationId,
  stationName: stations.name,
  stationIdentity: stations.identity,
  connectorNumber: alarms.connectorNumber,
  title: alarms.title,
  detail: alarms.detail,
  count: alarms.count,
  firstAt: alarms.firstAt,
  lastAt: alarms.lastAt,
  state: alarms.state,
  acknowledgedAt: alarms.acknowledgedAt,
  acknowledgedByName: alarms.acknowledgedByName,
  clearedAt: alarms.clearedAt,
  clearedByName: alarms.clearedByName,
  clearReason: alarms.clearReason,
};

export const alarmEventColumns = {
  id: alarmEvents.id,
  alarmId: alarmEvents.alarmId,
  at: alarmEvents.at,
  kind: alarmEvents.kind,
  rule: alarmEvents.rule,
  severity: alarmEvents.severity,
  siteId: alarmEvents.siteId,
  siteName: sites.name,
  stationId: alarmEvents.stationId,
  stationName: stations.name,
  title: alarmEvents.title,
  detail: alarmEvents.detail,
  userName: alarmEvents.userName,
};

export function alarmRows(db: Db) {
  return db
    .select(alarmColumns)
    .from(alarms)
    .leftJoin(sites, eq(sites.id, alarms.siteId))
    .leftJoin(stations, eq(stations.id, alarms.stationId));
}

export function alarmEventRows(db: Db) {
  return db
    .select(alarmEventColumns)
    .from(alarmEvents)
    .leftJoin(sites, eq(sites.id, alarmEvents.siteId))
    .leftJoin(stations, eq(stations.id, alarmEvents.stationId));
}

type AlarmOut = ReturnType<ReturnType<typeof alarmRows>['all']>[number];

const typed = <T extends { severity: string; state?: string }>(r: T) =>
  r as T & { severity: Severity };

export function listAlarms(
  db: Db,
  view: AlarmView,
  f: AlarmFilter,
  visible: Visible,
  page: PageRequest,
) {
  // Active: by the latest occurrence; history: by when it was cleared.
  const key = view === 'active' ? alarms.lastAt : alarms.clearedAt;
  const p = pagedQuery<AlarmOut>({
    filter: [alarmWhere(view, f, visible)],
    order: { key, tie: alarms.id },
    page,
    count: (where) => db.select({ n: count() }).from(alarms).where(where).get()?.n ?? 0,
    select: (where, orderBy, limit, offset) =>
      alarmRows(db)
        .where(where)
        .orderBy(...orderBy)
        .limit(limit)
        .offset(offset)
        .all(),
    keyOf: (r) => [view === 'active' ? r.lastAt : (r.clearedAt ?? 0), r.id],
  });
  return {
    total: p.total,
    next: p.next,
    alarms: p.rows.map((r) => ({ ...typed(r), state: r.state as 'active' | 'cleared' })),
  };
}

type EventOut = ReturnType<ReturnType<typeof alarmEventRows>['all']>[number];

export function listAlarmEvents(
  db: Db,
  f: AlarmFilter & { kind?: string },
  visible: Visible,
  page: PageRequest,
) {
  const p = pagedQuery<EventOut>({
    filter: [alarmEventWhere(f, visible)],
    order: { key: alarmEvents.at, tie: alarmEvents.id },
    page,
    count: (where) => db.select({ n: count() }).from(alarmEvents).where(where).get()?.n ?? 0,
    select: (where, orderBy, limit, offset) =>
      alarmEventRows(db)
        .where(where)
        .orderBy(...orderBy)
        .limit(limit)
        .offset(offset)
        .all(),
    keyOf: (r) => [r.at, r.id],
  });
  return {
    total: p.total,
    next: p.next,
    events: p.rows.map((r) => ({
      ...typed(r),
      kind: r.kind as 'raised' | 'repeated' | 'acknowledged' | 'cleared' | 'auto-cleared',
    })),
  };
}

/** Active alarms counted by severity, site and station, with the worst severity of each. */
export function summarise(db: Db, visible: Visible) {
  const rows = db
    .select({
      siteId: alarms.siteId,
      stationId: alarms.stationId,
      severity: alarms.severity,
      n: count(),
    })
    .from(alarms)
    .where(alarmWhere('active', {}, visible))
    .groupBy(alarms.siteId, alarms.stationId, alarms.severity)
    .all();
  const bySeverity = { critical: 0, warning: 0, info: 0 };
  const group = (key: (r: (typeof rows)[number]) => number | null) => {
    const m = new Map<number, { count: number; severities: Severity[] }>();
    for (const r of rows) {
      const k = key(r);
      if (k === null) continue;
      const e = m.get(k) ?? { count: 0, severities: [] };
      e.count += r.n;
      e.severities.push(r.severity as Severity);
      m.set(k, e);
    }
    return [...m].map(([id, e]) => ({
      id,
      count: e.count,
      severity: worstSeverity(e.severities) ?? 'info',
    }));
  };
  let total = 0;
  for (const r of rows) {
    if ((SEVERITIES as readonly string[]).includes(r.severity)) {
      bySeverity[r.severity as Severity] += r.n;
    }
    total += r.n;
  }
  const org = group((r) => (r.siteId === null ? 0 : null))[0];
  const siteSeverities = (siteId: number) => {
    const by = { critical: 0, warning: 0, info: 0 };
    for (const r of rows) {
      if (r.siteId === siteId && (SEVERITIES as readonly string[]).includes(r.severity)) {
        by[r.severity as Severity] += r.n;
      }
    }
    return by;
  };
  return {
    total,
    bySeverity,
    sites: group((r) => r.siteId).map(({ id, ...e }) => ({
      siteId: id,
      ...e,
      bySeverity: siteSeverities(id),
    })),
    stations: group((r) => r.stationId).map(({ id, ...e }) => ({ stationId: id, ...e })),
    organisation: org ? { count: org.count, severity: org.severity } : null,
  };
}
