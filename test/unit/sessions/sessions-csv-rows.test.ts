// The export reads its rows in batches by id range and joins the per-session tables in JS
// (csv-rows.ts). Whatever the sort, direction, filter or scope, it must give exactly the rows the
// plain SQL join gives, in the same order: here over a real file with the awkward cases a live
// system has (sessions started out of id order by chargers that were offline, gaps, sessions
// still charging, no account or occupancy, reviews re-attributing a session, a flag changed after
// its review, which reopens it), in batches both dense (read by range) and sparse (read by id).
// The list's count (its own FROM and an unsorted WHERE, for a better plan) counts the same rows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/db/open';
import { exportRows } from '../../../src-main/sessions/csv-rows';
import { countSql, selectSql, whereOf, type SessionScope } from '../../../src-main/sessions/query';
import type { SessionFilter, SessionSort } from '../../../src-shared/api/methods/sessions';
import { generateSessions } from '../../../bench/sessions-generate';

/** The export's columns as one SQL join (what the export ran before the batches). */
const JOINED = `t.id, t.station_id, t.identity, t.connector_number, t.id_tag,
  sa.card_id, coalesce(rs.account_id, sa.account_id), t.started_at, t.stopped_at, o.idle_ms,
  t.meter_start_wh, coalesce(t.meter_stop_wh, t.meter_last_wh), t.stop_reason, t.flag,
  t.flag_reason,
  CASE WHEN t.flag IS NOT NULL AND (rs.transaction_id IS NULL OR rs.flag IS NOT t.flag
         OR rs.flag_reason IS NOT t.flag_reason) THEN 'open'
       WHEN rs.transaction_id IS NOT NULL THEN 'resolved' END,
  rs.action, rs.excluded, rs.meter_stop_wh`;

let dir: string;
let db: Database.Database;
let accountId: number;
let siteId: number;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sessions-csv-rows-'));
  const file = join(dir, 'stratacharge.db');
  const app = openDatabase({ file, now: Date.now() });
  const s = app.$client;
  const g = generateSessions(s, { sessions: 9000, sites: 2, stationsPerSite: 3, lotsPerSite: 8 });
  accountId = g.accountIds[3] ?? 1;
  siteId = g.siteIds[1] ?? 1;
  s.exec(`
    -- Chargers that were offline: sessions numbered late with an old start.
    UPDATE transactions SET started_at = started_at - 40 * 86400000 WHERE id % 97 = 0;
    -- Gaps (a demo site removed, say).
    DELETE FROM transactions WHERE id % 211 = 0;
    -- Still charging: no stop, the latest reading only.
    UPDATE transactions SET status = 'active', stopped_at = NULL, meter_stop_wh = NULL,
      meter_last_wh = meter_start_wh + 1234, stop_reason = NULL WHERE id % 503 = 0;
    -- Unknown card (no account) and no occupancy known.
    DELETE FROM session_accounts WHERE transaction_id % 13 = 0;
    DELETE FROM session_occupancy WHERE transaction_id % 17 = 0;
    -- A review attributing a session to another account, one excluding with a corrected
    -- reading, and a flag changed after its review (open again).
    INSERT INTO session_reviews (transaction_id, action, reason, flag, flag_reason, excluded, at)
      SELECT id, 'attribute', 'x', flag, flag_reason, 0, 1 FROM transactions WHERE id % 89 = 0;
    INSERT OR REPLACE INTO session_review_state
      (transaction_id, review_id, action, flag, flag_reason, excluded, meter_stop_wh, account_id, at)
      SELECT r.transaction_id, r.id, CASE WHEN r.transaction_id % 2 = 0 THEN 'exclude' ELSE 'attribute' END,
        r.flag, r.flag_reason, 1 - r.transaction_id % 2, CASE WHEN r.transaction_id % 2 = 0 THEN 77 END,
        ${accountId}, 2
      FROM session_reviews r WHERE r.action = 'attribute';
    UPDATE transactions SET flag = 'review', flag_reason = 'changed later'
      WHERE id IN (SELECT transaction_id FROM session_review_state WHERE transaction_id % 3 = 0);
  `);
  s.close();
  db = new Database(file, { readonly: true });
});

afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const SORTS: SessionSort[] = ['started', 'stopped', 'duration', 'energy', 'power', 'id'];
const CASES: { name: string; filter: SessionFilter; scope: SessionScope }[] = [
  { name: 'everything', filter: {}, scope: { kind: 'all' } },
  { name: 'a site administrator', filter: {}, scope: { kind: 'sites', siteIds: [0] } },
  { name: 'an account (sparse ids)', filter: { accountId: 0 }, scope: { kind: 'all' } },
  { name: 'the review queue', filter: { flag: 'open' }, scope: { kind: 'all' } },
  { name: 'an EV user', filter: {}, scope: { kind: 'accounts', accountIds: [0] } },
];

describe('the export’s batched rows', () => {
  for (const c of CASES) {
    it(`are the SQL join’s, in order, for ${c.name}, every sort and direction`, () => {
      // Ids known only after generating: fill them in.
      const filter = c.filter.accountId === undefined ? c.filter : { ...c.filter, accountId };
      const scope: SessionScope =
        c.scope.kind === 'sites'
          ? { kind: 'sites', siteIds: [siteId] }
          : c.scope.kind === 'accounts'
            ? { kind: 'accounts', accountIds: [accountId] }
            : c.scope;
      for (const sort of SORTS) {
        for (const dir of ['asc', 'desc'] as const) {
          const where = whereOf(filter, scope, sort);
          const q = selectSql(where, sort, dir, null, null, JOINED);
          const expected = (
            db
              .prepare(q.text)
              .raw()
              .all(...q.params) as unknown[][]
          ).map((r) => r.slice(0, -1));
          const got = Array.from(exportRows(db, where, sort, dir), (r) => [...r]);
          expect(got.length, `${sort} ${dir}`).toBe(expected.length);
          expect(got, `${sort} ${dir}`).toEqual(expected);
        }
      }
    });
  }

  it('cover the awkward cases (the fixture really has them)', () => {
    const where = whereOf({}, { kind: 'all' }, 'started');
    const rows = Array.from(exportRows(db, where, 'started', 'desc'), (r) => [...r]);
    expect(rows.length).toBeGreaterThan(8900);
    expect(rows.some((r) => r[15] === 'open' && r[16] !== null)).toBe(true); // reopened
    expect(rows.some((r) => r[17] === 1 && r[18] === 77)).toBe(true); // excluded, corrected
    expect(rows.some((r) => r[5] === null && r[6] === null)).toBe(true); // no account
    expect(rows.some((r) => r[8] === null && r[11] !== null)).toBe(true); // charging
    // Out of id order: the start order is not the id order.
    const ids = rows.map((r) => Number(r[0]));
    expect(ids).not.toEqual([...ids].sort((a, b) => b - a));
  });
});

describe('the list’s count', () => {
  it('counts exactly the rows of the page’s query, for every filter, scope and sort', () => {
    const end = Date.UTC(2026, 9, 1);
    const quarter = { from: end - 182 * 86_400_000, to: end - 91 * 86_400_000 };
    const filters: SessionFilter[] = [
      {},
      { siteId, ...quarter },
      { siteId },
      { ...quarter, minWh: 20_000 },
      { accountId },
      { flag: 'open' },
      { stationId: 3, connectorNumber: 2 },
    ];
    const scopes: SessionScope[] = [
      { kind: 'all' },
      { kind: 'sites', siteIds: [siteId] },
      { kind: 'accounts', accountIds: [accountId] },
    ];
    let nonEmpty = 0;
    for (const filter of filters) {
      for (const scope of scopes) {
        const c = countSql(whereOf(filter, scope), 100_000);
        const counted = db
          .prepare(c.text)
          .raw()
          .all(...c.params).length;
        for (const sort of SORTS) {
          const page = selectSql(whereOf(filter, scope, sort), sort, 'desc', null, null);
          const rows = db
            .prepare(page.text)
            .raw()
            .all(...page.params).length;
          expect([JSON.stringify(filter), scope.kind, sort, counted]).toEqual([
            JSON.stringify(filter),
            scope.kind,
            sort,
            rows,
          ]);
        }
        if (counted > 0) nonEmpty++;
      }
    }
    expect(nonEmpty).toBeGreaterThan(12);
  });
});
