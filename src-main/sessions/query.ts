// The one query behind the sessions list, its CSV export and the review queue: a charging
// session (an OCPP transaction) with its site, station, card, resident, the account it is billed
// to (after any review) and how long it occupied the bay. Plain SQL text with bound parameters,
// so the same statement runs on the main connection (a page) and on the export's read-only
// connection (stmt.iterate over every row).
import type {
  FlagKind,
  Session,
  SessionFilter,
  SessionSort,
} from '../../src-shared/api/methods/sessions';
import { containsPattern } from '../db/paged';
import { SORT_KEY_SQL, type Cursor } from './sort';

/** Whose sessions a caller may see, decided from their role (scope.ts), never from the input. */
export type SessionScope =
  | { kind: 'all' }
  | { kind: 'sites'; siteIds: number[] }
  | { kind: 'accounts'; accountIds: number[] };

export interface Sql {
  text: string;
  params: (string | number)[];
}

const ENERGY = '(coalesce(t.meter_stop_wh, t.meter_last_wh) - t.meter_start_wh)';
const DURATION = '(t.stopped_at - t.started_at)';
const ACCOUNT = 'coalesce(rs.account_id, sa.account_id)';
/** Flagged and no decision on this very flag yet (a new or changed flag reopens it). */
const OPEN =
  't.flag IS NOT NULL AND (rs.transaction_id IS NULL OR rs.flag IS NOT t.flag OR rs.flag_reason IS NOT t.flag_reason)';

const from = (stationId: string) => `FROM transactions t
  LEFT JOIN stations s ON s.id = ${stationId}
  LEFT JOIN sites si ON si.id = s.site_id
  LEFT JOIN session_accounts sa ON sa.transaction_id = +t.id
  LEFT JOIN session_review_state rs ON rs.transaction_id = +t.id
  LEFT JOIN accounts a ON a.id = ${ACCOUNT}
  LEFT JOIN cards c ON c.id = sa.card_id
  LEFT JOIN residents r ON r.id = c.resident_id
  LEFT JOIN session_occupancy o ON o.transaction_id = +t.id`;
/** The page's: `+` keeps SQLite from starting at a site's stations and sorting their sessions. */
export const FROM = from('+t.station_id');

const COLUMNS = `t.id AS id, t.charger_transaction_id AS chargerTransactionId, s.site_id AS siteId,
  si.name AS siteName, si.time_zone AS siteTimeZone, t.station_id AS stationId, s.name AS stationName, t.identity AS identity,
  t.connector_number AS connectorNumber, t.id_tag AS idTag, c.id AS cardId, c.label AS cardLabel,
  CASE WHEN r.id IS NULL THEN NULL ELSE r.first_name || ' ' || r.last_name END AS residentName,
  a.id AS accountId, a.lot_number AS lotNumber, a.unit_number AS unitNumber,
  CASE WHEN rs.account_id IS NOT NULL THEN 'review' ELSE sa.via END AS attributedVia,
  coalesce(sa.free, 0) AS free, t.status AS status, t.started_at AS startedAt,
  t.stopped_at AS stoppedAt, ${DURATION} AS durationMs, o.idle_ms AS idleMs,
  t.meter_start_wh AS meterStartWh, coalesce(t.meter_stop_wh, t.meter_last_wh) AS meterStopWh,
  ${ENERGY} AS energyWh, t.stop_reason AS stopReason, t.flag AS flag, t.flag_reason AS flagReason,
  CASE WHEN ${OPEN} THEN 'open' WHEN rs.transaction_id IS NOT NULL THEN 'resolved' END AS review,
  rs.action AS reviewAction, coalesce(rs.excluded, 0) AS excluded,
  rs.meter_stop_wh AS correctedStopWh`;

/** A row as SQLite returns it (booleans as 0/1, kinds not yet derived). */
export type SessionRowRaw = Omit<
  Session,
  'free' | 'excluded' | 'flagKinds' | 'averagePowerW' | 'attributedVia'
> & {
  free: number;
  excluded: number;
  attributedVia: Session['attributedVia'];
  sortKey?: number;
};

/** The kinds of problem a flag's reason names (the reasons are written by ocpp/transactions.ts,
 *  ocpp/plausibility.ts and ocpp/handlers-16.ts; a reason may name several). */
export function flagKinds(flag: string | null, reason: string | null, active: boolean): FlagKind[] {
  if (!flag) return [];
  const text = reason ?? '';
  const kinds: FlagKind[] = [];
  if (text.includes('which this server never issued')) kinds.push('unknown-transaction');
  if (text.includes('went backwards')) kinds.push('meter-backwards');
  if (text.includes('started with id tag')) kinds.push('refused-card');
  // A suspect flag is a stop that has not come (the charger rebooted, went quiet, or started
  // another session on the connector): the session has no stop reading.
  if (flag === 'suspect' || (active && text.includes('new transaction started')))
    kinds.push('missing-stop-reading');
  if (kinds.length === 0) kinds.push('implausible');
  return kinds;
}

export function toSession(r: SessionRowRaw): Session {
  const { sortKey: _k, ...row } = r;
  const averagePowerW =
    r.energyWh !== null && r.durationMs !== null && r.durationMs > 0
      ? Math.round((r.energyWh * 3_600_000) / r.durationMs)
      : null;
  return {
    ...row,
    free: r.free === 1,
    excluded: r.excluded === 1,
    averagePowerW,
    flagKinds: flagKinds(r.flag, r.flagReason, r.status === 'active'),
  };
}

const list = (ids: number[]) => (ids.length ? ids.join(',') : 'NULL');

/** Sessions billed to one of `ids` (their own or attributed by a review): index lookups. */
const ofAccounts = (ids: number[]) =>
  `t.id IN (SELECT transaction_id FROM session_accounts WHERE account_id IN (${list(ids)})
     UNION SELECT transaction_id FROM session_review_state WHERE account_id IN (${list(ids)}))
   AND ${ACCOUNT} IN (${list(ids)})`;

/** The WHERE for a filter within a scope. Ids are integers (validated), inlined; text is bound. */
/** A start range this wide or wider is read off the sort key's index (see whereOf). */
const WIDE_RANGE_MS = 7 * 86_400_000;

export function whereOf(filter: SessionFilter, scope: SessionScope, sort?: SessionSort): Sql {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  const add = (text: string, ...p: (string | number)[]) => {
    parts.push(text);
    params.push(...p);
  };
  switch (scope.kind) {
    case 'all':
      break;
    case 'sites':
      add(`s.site_id IN (${list(scope.siteIds)})`);
      break;
    case 'accounts':
      add(ofAccounts(scope.accountIds));
      break;
  }
  const f = filter;
  if (f.siteId !== undefined) add('s.site_id = ?', f.siteId);
  if (f.stationId !== undefined) add('t.station_id = ?', f.stationId);
  if (f.connectorNumber !== undefined) add('t.connector_number = ?', f.connectorNumber);
  if (f.transactionId !== undefined) add('t.id = ?', f.transactionId);
  if (f.card) {
    const p = containsPattern(f.card);
    add(`(t.id_tag LIKE ? ESCAPE '\\' OR c.label LIKE ? ESCAPE '\\')`, p, p);
  }
  if (f.idTag) add('t.id_tag = ?', f.idTag);
  if (f.flagType) add('t.flag = ?', f.flagType);
  if (f.resident)
    add(`(r.first_name || ' ' || r.last_name) LIKE ? ESCAPE '\\'`, containsPattern(f.resident));
  if (f.accountId !== undefined) add(ofAccounts([f.accountId]));
  if (f.lot) add('(a.lot_number = ? OR a.unit_number = ?)', f.lot, f.lot);
  // Sorted on another key, a wide start range is better served by walking that key's index and
  // checking the start (50 matches come early) than by sorting every session of the range: the
  // unary + keeps SQLite off the start index then (it has no statistics to know).
  const wide =
    sort !== undefined &&
    sort !== 'started' &&
    (f.from === undefined || f.to === undefined || f.to - f.from >= WIDE_RANGE_MS);
  const started = wide ? '+t.started_at' : 't.started_at';
  if (f.from !== undefined) add(`${started} >= ?`, f.from);
  if (f.to !== undefined) add(`${started} < ?`, f.to);
  // Energy, duration and power ranges are on the stopped session's figures (a session still
  // charging has none yet and is left out), written as the sort keys' indexed expressions so a
  // range is an index range (sort.ts; the keys are -1 while charging, below any range).
  const range = (key: string, min: number | undefined, max: number | undefined) => {
    if (min !== undefined || max !== undefined) add(`${key} >= ?`, Math.max(0, min ?? 0));
    if (max !== undefined) add(`${key} <= ?`, max);
  };
  range(SORT_KEY_SQL.energy, f.minWh, f.maxWh);
  range(SORT_KEY_SQL.duration, f.minDurationMs, f.maxDurationMs);
  range(SORT_KEY_SQL.power, f.minPowerW, f.maxPowerW);
  if (f.minIdleMs !== undefined) add('o.idle_ms >= ?', f.minIdleMs);
  if (f.maxIdleMs !== undefined) add('o.idle_ms <= ?', f.maxIdleMs);
  if (f.stopReason) add('t.stop_reason = ?', f.stopReason);
  if (f.status) add('t.status = ?', f.status);
  switch (f.flag) {
    case undefined:
      break;
    case 'any':
      add('(t.flag IS NOT NULL OR rs.transaction_id IS NOT NULL)');
      break;
    case 'open':
      add(OPEN);
      break;
    case 'resolved':
      add(`(rs.transaction_id IS NOT NULL AND NOT (${OPEN}))`);
      break;
    case 'none':
      add('(t.flag IS NULL AND rs.transaction_id IS NULL)');
      break;
  }
  return { text: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** One page (limit + 1 rows, to know whether there is a next), or every row (limit null). */
export function selectSql(
  where: Sql,
  sort: SessionSort,
  dir: 'asc' | 'desc',
  after: Cursor | null,
  limit: number | null,
  columns = COLUMNS,
): Sql {
  const key = SORT_KEY_SQL[sort];
  const op = dir === 'desc' ? '<' : '>';
  const d = dir === 'desc' ? 'DESC' : 'ASC';
  let text = `SELECT ${columns}, ${key} AS sortKey ${FROM} ${where.text}`;
  const params = [...where.params];
  if (after) {
    // Row values: SQLite seeks the (key, rowid) index straight to the position.
    text += `${where.text ? ' AND' : ' WHERE'} (${key}, t.id) ${op} (?, ?)`;
    params.push(after.key, after.id);
  }
  text += ` ORDER BY ${key} ${d}, t.id ${d}`;
  if (limit !== null) {
    text += ' LIMIT ?';
    params.push(limit);
  }
  return { text, params };
}

/** The count's FROM: nothing is sorted, so a site's sessions are best found station by station
 *  off `transactions_station_started_idx` (station, start range): the page's `+t.station_id`
 *  made a site-and-quarter count scan that index once per station (200+ ms for the first rows). */
const COUNT_FROM = from('t.station_id');

/** The matching rows, one column, at most `cap` + 1 of them: the caller counts them (and may
 *  stop early: service.ts countUpTo). `where` is whereOf's WITHOUT a sort: a plain start range
 *  the count's plan may use. */
export function countSql(where: Sql, cap: number): Sql {
  return {
    text: `SELECT 1 ${COUNT_FROM} ${where.text} LIMIT ?`,
    params: [...where.params, cap + 1],
  };
}
