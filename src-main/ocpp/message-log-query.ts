// What the OCPP message log's list and its CSV export select: one filter, built once, so the
// export holds exactly the rows the page pages through (and nothing of a site the caller may not
// see). The log is its own file and outlives a restore of the main database, after which a new
// station can get an old one's id: a station's rows are those with its id AND its identity.
import { eq, gte, inArray, lte, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Db } from '../db/open';
import { stations } from '../db/schema';
import { ocppLog } from '../db/log-schema';
import { containsPattern } from '../db/paged';

export interface MessageLogFilter {
  stationId?: number;
  identity?: string;
  action?: string;
  direction?: 'in' | 'out';
  /** Substring of the CALL or its answer, taken literally. */
  text?: string;
  from?: number;
  to?: number;
}

/** The WHERE terms over `ocpp_log` (the log file) for `filter`, limited to `visible` sites. */
export function messageLogWhere(
  db: Db,
  filter: MessageLogFilter,
  visible: number[] | 'all',
): SQL[] {
  const where: SQL[] = [];
  if (filter.stationId) {
    const station = db
      .select({ identity: stations.identity })
      .from(stations)
      .where(eq(stations.id, filter.stationId))
      .get();
    where.push(eq(ocppLog.stationId, filter.stationId));
    if (station) where.push(eq(ocppLog.identity, station.identity));
  }
  if (filter.identity) where.push(eq(ocppLog.identity, filter.identity));
  if (filter.action) where.push(eq(ocppLog.action, filter.action));
  if (filter.direction) where.push(eq(ocppLog.direction, filter.direction));
  if (filter.text) {
    const pattern = containsPattern(filter.text);
    // drizzle's like() has no ESCAPE clause; the pattern stays a bound parameter.
    const contains = (col: AnyColumn) => sql`${col} LIKE ${pattern} ESCAPE '\\'`;
    const either = or(contains(ocppLog.payload), contains(ocppLog.response));
    if (either) where.push(either);
  }
  if (filter.from != null) where.push(gte(ocppLog.at, filter.from));
  if (filter.to != null) where.push(lte(ocppLog.at, filter.to));
  if (visible !== 'all') {
    const shown = db
      .select({ id: stations.id, identity: stations.identity })
      .from(stations)
      .where(inArray(stations.siteId, visible))
      .all();
    where.push(
      inArray(
        ocppLog.stationId,
        shown.map((r) => r.id),
      ),
    );
    where.push(
      inArray(
        ocppLog.identity,
        shown.map((r) => r.identity),
      ),
    );
  }
  return where;
}

/**
 * The log keeps whole frames; lists and exports show their payload part (a CALL's payload, a
 * CALLRESULT's, a CALLERROR's code, description and details), or a text that is not JSON as
 * its raw text.
 */
export function framePayload(text: string): unknown {
  try {
    const frame = JSON.parse(text) as unknown;
    if (!Array.isArray(frame)) return frame;
    if (frame[0] === 2) return frame[3];
    if (frame[0] === 3) return frame[2];
    return frame.slice(2);
  } catch {
    return text;
  }
}
