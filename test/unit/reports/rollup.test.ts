// The reports' daily rollup (kept by triggers: src-main/reports/rollup.ts) must always equal the
// same sums recomputed from the sessions, whatever happens to them: sessions starting, stopping,
// imported already completed, re-attributed (also by INSERT OR REPLACE), a lot changing hands
// mid-quarter (the real accounts service moves the private-bay sessions), a flagged session
// resolved (the real sessions service), sessions corrected or deleted, a station moved to
// another site, a site's time zone changed. And the totals read from it must be exactly the
// totals grouped from the sessions, for any period: whole months, partial ones, across DST,
// with sessions still charging and sessions running past the period's end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src-main/db/open';
import { DomainEvents } from '../../../src-main/platform/domain-events';
import { createMemoryLogger } from '../../../src-main/platform/logger';
import type { Caller } from '../../../src-main/platform/caller';
import { createAccounts } from '../../../src-main/residents/accounts';
import { createSessionsService } from '../../../src-main/sessions/service';
import { rebuildRollups } from '../../../src-main/reports/rollup';
import { createTotals } from '../../../src-main/reports/totals';
import { generateSessions } from '../../../bench/sessions-generate';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Starts between 20 March and 20 October 2026: both of Sydney's DST changes (5 April and
 *  4 October), whole months and the edges of the quarters. */
const T0 = Date.UTC(2026, 2, 20);
const SPAN = 214 * DAY;
const NOW = T0 + SPAN + 5 * DAY;

let dir: string;
let db: Db;
let siteIds: number[];
let stationIds: number[];
let accountIds: number[];
let baseAccounts: number[];
let cardIds: number[];
let accountsService: ReturnType<typeof createAccounts>;
let sessionsService: ReturnType<typeof createSessionsService>;
/** Random sequences per run of the property (PROPERTY_RUNS for a longer run). */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 40);

const admin: Caller = {
  userId: 1,
  email: 'admin@example.com',
  name: 'Admin',
  role: 'admin',
  siteIds: [],
  mustChangePassword: false,
  sessionId: 1,
  expiresAt: Number.MAX_SAFE_INTEGER,
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rollup-'));
  db = openDatabase({ file: join(dir, 'stratacharge.db'), now: T0 });
  const s = db.$client;
  const g = generateSessions(s, { sessions: 0, sites: 2, stationsPerSite: 2, lotsPerSite: 3 });
  siteIds = g.siteIds;
  stationIds = g.stationIds;
  baseAccounts = g.accountIds;
  accountIds = [...baseAccounts];
  cardIds = (s.prepare('SELECT id FROM cards ORDER BY id').pluck().all() as number[]).slice();
  const events = new DomainEvents(createMemoryLogger());
  accountsService = createAccounts(db, events);
  sessionsService = createSessionsService(
    { db, domainEvents: events },
    { accountsOfUser: () => [] },
  );
  s.prepare(
    `INSERT INTO users (id, email, name, role, password_hash, created_at, updated_at)
     VALUES (1, 'admin@example.com', 'Admin', 'admin', 'x', 0, 0)`,
  ).run();
});

afterAll(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The same sites, stations and lots each run, no sessions, every account open. */
function reset() {
  const s = db.$client;
  s.exec(`DELETE FROM session_accounts; DELETE FROM session_review_state;
    DELETE FROM session_reviews; DELETE FROM transactions;
    UPDATE sites SET time_zone = 'Australia/Sydney';`);
  s.prepare(`DELETE FROM accounts WHERE id NOT IN (${baseAccounts.join(', ')})`).run();
  s.exec('UPDATE accounts SET closed_at = NULL');
  s.prepare('UPDATE stations SET site_id = ? WHERE id % 2 = 0').run(siteIds[0]);
  s.prepare('UPDATE stations SET site_id = ? WHERE id % 2 = 1').run(siteIds[1]);
  accountIds = [...baseAccounts];
}

/** The rollup's rows (zero rows left by subtractions aside; `last_stop` is an upper bound). */
function rollupRows() {
  const s = db.$client;
  const all = (q: string) => s.prepare(q).raw().all();
  return {
    outlets: all(`SELECT station_id, day, connector_number, sessions, energy_wh, occupied_ms
                  FROM session_rollup_outlet_day WHERE sessions <> 0 ORDER BY 1, 2, 3`),
    hours: all('SELECT * FROM session_rollup_hour WHERE sessions <> 0 ORDER BY 1, 2, 3'),
    cards: all(`SELECT * FROM session_rollup_card_month WHERE sessions <> 0
                ORDER BY 1, 2, 3, 4, 5`),
  };
}

const idx = fc.nat(1_000);
const op = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      k: fc.constant('start' as const),
      st: idx,
      c: fc.integer({ min: 1, max: 2 }),
      at: fc.integer({ min: 0, max: SPAN }),
      card: idx,
      bay: fc.boolean(),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      k: fc.constant('stop' as const),
      i: idx,
      dur: fc.integer({ min: 0, max: 30 * HOUR }),
      wh: fc.integer({ min: -500, max: 60_000 }),
    }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      k: fc.constant('completed' as const),
      st: idx,
      c: fc.integer({ min: 1, max: 2 }),
      at: fc.integer({ min: 0, max: SPAN }),
      dur: fc.integer({ min: 0, max: 3 * DAY }),
      wh: fc.integer({ min: 0, max: 60_000 }),
      card: idx,
      bay: fc.boolean(),
      attributed: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('reattribute' as const), i: idx, a: idx }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('replace' as const), i: idx, a: idx }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('unattribute' as const), i: idx }) },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('owner' as const),
      a: idx,
      at: fc.integer({ min: 0, max: SPAN }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('resolve' as const),
      i: idx,
      action: fc.constantFrom('accept' as const, 'exclude' as const, 'attribute' as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('edit' as const),
      i: idx,
      shift: fc.integer({ min: -2 * DAY, max: 2 * DAY }),
      wh: fc.integer({ min: -1000, max: 1000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('delete' as const), i: idx }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('move' as const), st: idx, site: idx }) },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('zone' as const),
      site: idx,
      zone: fc.constantFrom('Australia/Sydney', 'Australia/Perth', 'Australia/Lord_Howe'),
    }),
  },
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

function apply(o: Op, owners: number[]) {
  const s = db.$client;
  const pick = <T>(xs: T[], i: number) => xs[i % xs.length] as T;
  const txIds = s.prepare('SELECT id FROM transactions ORDER BY id').pluck().all() as number[];
  const someTx = (i: number) => (txIds.length ? pick(txIds, i) : null);
  const insert = s.prepare(
    `INSERT INTO transactions (station_id, identity, connector_number, id_tag, status, flag,
       flag_reason, started_at, stopped_at, meter_start_wh, meter_stop_wh, meter_last_wh,
       last_message_at)
     VALUES (@st, 'CP', @c, @tag, @status, @flag, @reason, @at, @stop, 1000, @stopWh, @lastWh, @at)`,
  );
  const attribute = (tx: number, card: number, bay: boolean) => {
    const c = s
      .prepare('SELECT account_id AS a, id_tag AS tag FROM cards WHERE id = ?')
      .get(card) as {
      a: number;
      tag: string;
    };
    s.prepare(
      `INSERT INTO session_accounts (transaction_id, account_id, card_id, via, free)
       VALUES (?, ?, ?, ?, 0) ON CONFLICT DO NOTHING`,
    ).run(tx, c.a, card, bay ? 'private-bay' : 'card');
  };
  const tagOf = (card: number) =>
    s.prepare('SELECT id_tag FROM cards WHERE id = ?').pluck().get(card) as string;
  switch (o.k) {
    case 'start': {
      const card = pick(cardIds, o.card);
      const id = Number(
        insert.run({
          st: pick(stationIds, o.st),
          c: o.c,
          tag: tagOf(card),
          status: 'active',
          flag: null,
          reason: null,
          at: T0 + o.at,
          stop: null,
          stopWh: null,
          lastWh: 1500,
        }).lastInsertRowid,
      );
      attribute(id, card, o.bay);
      return;
    }
    case 'completed': {
      const card = pick(cardIds, o.card);
      const id = Number(
        insert.run({
          st: pick(stationIds, o.st),
          c: o.c,
          tag: tagOf(card),
          status: 'completed',
          flag: o.wh % 3 === 0 ? 'review' : null,
          reason: o.wh % 3 === 0 ? 'meter went backwards' : null,
          at: T0 + o.at,
          stop: T0 + o.at + o.dur,
          stopWh: 1000 + o.wh,
          lastWh: 1000 + o.wh,
        }).lastInsertRowid,
      );
      if (o.attributed) attribute(id, card, o.bay);
      return;
    }
    case 'stop': {
      const id = someTx(o.i);
      if (id === null) return;
      // A StopTransaction (ocpp/transactions.ts writes these columns in one UPDATE).
      s.prepare(
        `UPDATE transactions SET status = 'completed', stopped_at = started_at + ?,
           meter_stop_wh = meter_start_wh + ?, stop_reason = 'Local'
         WHERE id = ? AND status = 'active'`,
      ).run(o.dur, o.wh, id);
      return;
    }
    case 'reattribute': {
      const id = someTx(o.i);
      if (id === null) return;
      s.prepare('UPDATE session_accounts SET account_id = ? WHERE transaction_id = ?').run(
        pick(accountIds, o.a),
        id,
      );
      return;
    }
    case 'replace': {
      const id = someTx(o.i);
      if (id === null) return;
      s.prepare(
        `INSERT OR REPLACE INTO session_accounts (transaction_id, account_id, card_id, via, free)
         VALUES (?, ?, NULL, 'visitor-bay', 1)`,
      ).run(id, pick(accountIds, o.a));
      return;
    }
    case 'unattribute': {
      const id = someTx(o.i);
      if (id !== null) s.prepare('DELETE FROM session_accounts WHERE transaction_id = ?').run(id);
      return;
    }
    case 'owner': {
      // The lot changes hands: the real service closes the old account, opens the new one and
      // moves the private-bay sessions since the settlement to it, in one transaction.
      const i = o.a % owners.length;
      const old = owners[i] as number;
      try {
        const { opened } = accountsService.changeOwner(
          old,
          T0 + o.at,
          {
            unitNumber: null,
            ownerNames: `New owner ${o.at}`,
            postalAddress: null,
            invoiceEmails: [],
            accountCode: null,
            bpayReference: null,
            deftReference: null,
            strataPayReference: null,
            notes: null,
          },
          NOW,
        );
        owners[i] = opened.id;
        accountIds.push(opened.id);
      } catch {
        // Refused (a settlement date before the account opened, say): nothing changed.
      }
      return;
    }
    case 'resolve': {
      const id = someTx(o.i);
      if (id === null) return;
      const site = s
        .prepare(
          'SELECT st.site_id FROM transactions t JOIN stations st ON st.id = t.station_id WHERE t.id = ?',
        )
        .pluck()
        .get(id) as number | undefined;
      const account = s
        .prepare('SELECT id FROM accounts WHERE site_id = ? ORDER BY id LIMIT 1')
        .pluck()
        .get(site ?? -1) as number | undefined;
      try {
        sessionsService.resolve(
          admin,
          {
            id,
            action: o.action,
            reason: 'Checked against the car park meter',
            ...(o.action === 'attribute' ? { accountId: account ?? 0 } : {}),
          },
          NOW,
        );
      } catch {
        // Not resolvable as asked (not flagged, say): nothing changed.
      }
      return;
    }
    case 'edit': {
      const id = someTx(o.i);
      if (id === null) return;
      s.prepare(
        `UPDATE transactions SET started_at = started_at + ?,
           meter_stop_wh = meter_stop_wh + ? WHERE id = ?`,
      ).run(o.shift, o.wh, id);
      return;
    }
    case 'delete': {
      const id = someTx(o.i);
      if (id === null) return;
      s.prepare('DELETE FROM session_accounts WHERE transaction_id = ?').run(id);
      s.prepare('DELETE FROM session_review_state WHERE transaction_id = ?').run(id);
      s.prepare('DELETE FROM session_reviews WHERE transaction_id = ?').run(id);
      s.prepare('DELETE FROM transactions WHERE id = ?').run(id);
      return;
    }
    case 'move':
      s.prepare('UPDATE stations SET site_id = ? WHERE id = ?').run(
        pick(siteIds, o.site),
        pick(stationIds, o.st),
      );
      return;
    case 'zone':
      s.prepare('UPDATE sites SET time_zone = ? WHERE id = ?').run(o.zone, pick(siteIds, o.site));
      return;
  }
}

const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const period = fc
  .tuple(fc.integer({ min: -10, max: 230 }), fc.integer({ min: 0, max: 120 }))
  .map(([a, len]) => ({ from: dateOf(T0 + a * DAY), to: dateOf(T0 + (a + len) * DAY) }));

describe('the reports’ daily rollup', () => {
  it('always equals the sums recomputed from the sessions, and the totals read from it equal the totals grouped from the sessions', () => {
    const rolled = createTotals(db);
    const live = createTotals(db, { rollup: false });
    fc.assert(
      fc.property(
        fc.array(op, { minLength: 5, maxLength: 60, size: 'max' }),
        fc.array(period, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(NOW, T0 + 100 * DAY),
        (ops, periods, now) => {
          const s = db.$client;
          reset();
          const owners = [...baseAccounts];
          for (const o of ops) apply(o, owners);

          const zoneOf = (id: number) =>
            s.prepare('SELECT time_zone FROM sites WHERE id = ?').pluck().get(id) as string;
          // Read from the rollup as the triggers kept it (subtractions leave rows at zero).
          for (const p of periods) {
            for (const sites of [[siteIds[0] as number], siteIds]) {
              const q = {
                siteIds: sites,
                zone: zoneOf(sites[0] as number),
                fromDate: p.from,
                toDate: p.to,
                now,
              };
              expect(rolled.totals(q)).toEqual(live.totals(q));
            }
          }

          // The rollup as the triggers kept it is the rollup summed afresh.
          const kept = rollupRows();
          rebuildRollups(s);
          expect(kept).toEqual(rollupRows());
        },
      ),
      { numRuns: RUNS },
    );
  }, 180_000);

  it('is what the quarter’s totals read: a session changing owner mid-quarter moves in the rollup', () => {
    const s = db.$client;
    reset();
    const owners = [accountIds[0] as number];
    const card = s
      .prepare('SELECT id FROM cards WHERE account_id = ?')
      .pluck()
      .get(owners[0]) as number;
    const station = s
      .prepare('SELECT id FROM stations WHERE site_id = ? ORDER BY id LIMIT 1')
      .pluck()
      .get(siteIds[0]) as number;
    // A private-bay session in July and one in September; the lot is sold on 15 August.
    const july = Date.UTC(2026, 6, 10, 2);
    const september = Date.UTC(2026, 8, 10, 2);
    for (const at of [july, september]) {
      apply(
        {
          k: 'completed',
          st: stationIds.indexOf(station),
          c: 1,
          at: at - T0,
          dur: HOUR,
          wh: 7000,
          card: cardIds.indexOf(card),
          bay: true,
          attributed: true,
        },
        owners,
      );
    }
    apply({ k: 'owner', a: 0, at: Date.UTC(2026, 7, 14, 14) - T0 }, owners); // 15 Aug, Sydney
    const q3 = (rollup: boolean) =>
      createTotals(db, { rollup }).totals({
        siteIds: [siteIds[0] as number],
        zone: 'Australia/Sydney',
        fromDate: '2026-07-01',
        toDate: '2026-09-30',
        now: NOW,
      });
    const accounts = q3(true).byAccount.map((a) => [a.accountId, a.sessions, a.energyWh]);
    expect(accounts).toEqual([
      [accountIds[0], 1, 7000],
      [owners[0], 1, 7000],
    ]);
    expect(q3(true)).toEqual(q3(false));
    // And the quarter was read from the rollup: its card rows are there, by month.
    const months = s
      .prepare(
        'SELECT month, account_id FROM session_rollup_card_month WHERE sessions > 0 ORDER BY month',
      )
      .raw()
      .all();
    expect(months).toEqual([
      ['2026-07', accountIds[0]],
      ['2026-09', owners[0]],
    ]);
  });
});
