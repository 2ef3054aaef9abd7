// The three alarm views as CSV streams, with the same filter as the page (query.ts). Like the
// audit export (downloads/paged-csv.ts): a dedicated read-only connection iterates one
// consistent snapshot, written 1,000 rows at a time with backpressure, and a client that goes
// away closes the connection. Times in UTC (ISO 8601) and on the site's own clock, as the page
// shows them.
import type { Readable } from 'node:stream';
import { DateTime } from 'luxon';
import { asc } from 'drizzle-orm';
import type { Db } from '../db/open';
import { alarmEvents, alarms } from '../db/schema';
import type { AlarmFilter } from '../../src-shared/api/methods/alarms';
import {
  alarmColumns,
  alarmEventColumns,
  alarmEventRows,
  alarmEventWhere,
  alarmRows,
  alarmWhere,
  type Visible,
} from './query';
import { siteZones } from './prefs';
import type { CsvCell } from '../downloads/csv-writer';
import { inColumns, snapshotRows, streamPagedCsv } from '../downloads/paged-csv';

export type AlarmCsvView = 'active' | 'history' | 'events';

const ALARM_COLUMNS = [
  'id',
  'severity',
  'rule',
  'alarm',
  'site',
  'charger',
  'charge_box_id',
  'outlet',
  'detail',
  'count',
  'first_utc',
  'first_local',
  'last_utc',
  'last_local',
  'state',
  'acknowledged_by',
  'acknowledged_local',
  'cleared_by',
  'cleared_local',
  'clear_reason',
] as const;

const EVENT_COLUMNS = [
  'id',
  'alarm_id',
  'at_utc',
  'at_local',
  'event',
  'severity',
  'rule',
  'alarm',
  'site',
  'charger',
  'detail',
  'by',
] as const;

export function streamAlarmsCsv(opts: {
  db: Db;
  nativeBinding?: string;
  view: AlarmCsvView;
  filter: AlarmFilter & { kind?: string };
  visible: Visible;
}): Readable {
  const { db, view, filter, visible } = opts;
  const zones = siteZones(db);
  const utc = (t: number | null) => (t === null ? '' : new Date(t).toISOString());
  const local = (t: number | null, siteId: number | null) =>
    t === null
      ? ''
      : DateTime.fromMillis(t, { zone: zones.zoneOf(siteId) })
          .setLocale('en-AU')
          .toFormat('yyyy-MM-dd HH:mm:ss ZZZZ');
  // Oldest first, as a spreadsheet reads naturally. raw(): the joined columns share names.
  const query =
    view === 'events'
      ? alarmEventRows(db)
          .where(alarmEventWhere(filter, visible))
          .orderBy(asc(alarmEvents.at), asc(alarmEvents.id))
          .toSQL()
      : alarmRows(db)
          .where(alarmWhere(view, filter, visible))
          .orderBy(asc(view === 'active' ? alarms.firstAt : alarms.clearedAt), asc(alarms.id))
          .toSQL();
  const keys = Object.keys(view === 'events' ? alarmEventColumns : alarmColumns);
  const columns: readonly string[] = view === 'events' ? EVENT_COLUMNS : ALARM_COLUMNS;

  function record(values: unknown[]): Record<string, CsvCell> {
    const r = Object.fromEntries(keys.map((k, i) => [k, values[i] ?? null])) as Record<
      string,
      string | number | null
    >;
    const siteId = r.siteId as number | null;
    const site = (r.siteName as string | null) ?? (siteId === null ? 'Organisation' : '');
    if (view === 'events') {
      return {
        id: r.id,
        alarm_id: r.alarmId,
        at_utc: utc(r.at as number),
        at_local: local(r.at as number, siteId),
        event: r.kind,
        severity: r.severity,
        rule: r.rule,
        alarm: r.title,
        site,
        charger: r.stationName ?? '',
        detail: r.detail ?? '',
        by: r.userName ?? '',
      };
    }
    return {
      id: r.id,
      severity: r.severity,
      rule: r.rule,
      alarm: r.title,
      site,
      charger: r.stationName ?? '',
      charge_box_id: r.stationIdentity ?? '',
      outlet: r.connectorNumber ?? '',
      detail: r.detail ?? '',
      count: r.count,
      first_utc: utc(r.firstAt as number),
      first_local: local(r.firstAt as number, siteId),
      last_utc: utc(r.lastAt as number),
      last_local: local(r.lastAt as number, siteId),
      state: r.state,
      acknowledged_by: r.acknowledgedByName ?? '',
      acknowledged_local: local(r.acknowledgedAt as number | null, siteId),
      cleared_by: r.clearedAt === null ? '' : (r.clearedByName ?? 'cleared itself'),
      cleared_local: local(r.clearedAt as number | null, siteId),
      clear_reason: r.clearReason ?? '',
    };
  }

  return streamPagedCsv({
    header: columns,
    rows: snapshotRows<unknown[]>({
      file: db.$client.name,
      nativeBinding: opts.nativeBinding,
      ...query,
      raw: true,
    }),
    cells: inColumns(columns, record),
    bom: true,
  });
}
