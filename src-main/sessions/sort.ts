// The sessions list's sort keys and keyset cursor. Each key is the exact expression of an index
// on `transactions` (db/schema/ocpp.ts), so a sorted page reads LIMIT+1 rows off an index instead
// of sorting a million; the id (the rowid, implicit in every index) breaks ties. Null keys (a
// session still charging has no stop) get a sentinel, because a keyset comparison with NULL
// matches nothing: "still charging" sorts as the latest stop and as the lowest duration, energy
// and power.
import type { SessionSort } from '../../src-shared/api/methods/sessions';
import { ApiFailure } from '../../src-shared/api/result';

/** Over `transactions t`; must stay identical to the index expressions. */
export const SORT_KEY_SQL: Record<SessionSort, string> = {
  started: 't.started_at',
  stopped: '(CASE WHEN t.stopped_at IS NULL THEN 8640000000000000 ELSE t.stopped_at END)',
  duration: '(CASE WHEN t.stopped_at IS NULL THEN -1 ELSE t.stopped_at - t.started_at END)',
  energy: '(CASE WHEN t.meter_stop_wh IS NULL THEN -1 ELSE t.meter_stop_wh - t.meter_start_wh END)',
  power:
    '(CASE WHEN t.meter_stop_wh IS NULL OR t.stopped_at <= t.started_at THEN -1 ELSE (t.meter_stop_wh - t.meter_start_wh) * 3600000.0 / (t.stopped_at - t.started_at) END)',
  id: 't.id',
};

export interface Cursor {
  key: number;
  id: number;
}

/** The cursor names its sort, so a position from one sort is never applied to another. */
export const encodeCursor = (sort: SessionSort, dir: 'asc' | 'desc', c: Cursor): string =>
  `${sort}.${dir}.${c.key}.${c.id}`;

const CURSOR = /^([a-z]+)\.(asc|desc)\.(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\.(\d{1,16})$/;

export function decodeCursor(after: string, sort: SessionSort, dir: 'asc' | 'desc'): Cursor {
  const m = CURSOR.exec(after);
  if (!m || m[1] !== sort || m[2] !== dir) {
    throw new ApiFailure(
      'validation',
      'The page position is not one this list gave out for this sort: start again from the first page.',
      { field: 'after' },
    );
  }
  return { key: Number(m[3]), id: Number(m[4]) };
}
