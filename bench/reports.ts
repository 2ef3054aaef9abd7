// `npm run bench:reports [-- --sessions N]` (also part of `npm run bench`): the totals for a
// quarter (report-totals: by site, station, outlet, account, card, local day, hour, weekday and
// occupancy, grouped in Australia/Sydney) over 1,000,000 generated sessions with meter samples
// (issue 10). Target: < 200 ms. The database is a real StrataCharge file (migrations applied by
// openDatabase) filled by the sessions bench's generator (bench/sessions-generate.ts: 4 sites,
// 2 years); no ANALYZE, as the app never runs one. Results: docs/benchmarks.md "Reports".
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src-main/db/open';
import { createTotals } from '../src-main/reports/totals';
import { generateSessions } from './sessions-generate';

const argv = process.argv.slice(2);
const arg = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const N = Number(arg('--sessions') ?? (argv.includes('--quick') ? 100_000 : 1_000_000));
const RUNS = 15;

// --keep FILE: generate into FILE once and reuse it on later runs (measuring without waiting
// minutes for the generator each time).
const keep = arg('--keep');
const dir = mkdtempSync(join(tmpdir(), 'stratacharge-bench-reports-'));
try {
  const file = keep ?? join(dir, 'stratacharge.db');
  const reuse = keep !== undefined && existsSync(keep);
  const db = openDatabase({ file, now: Date.now() });
  const sqlite = db.$client;
  let t0 = performance.now();
  let siteIds: number[];
  if (reuse) {
    siteIds = (sqlite.prepare('SELECT id FROM sites').all() as { id: number }[]).map((r) => r.id);
  } else {
    sqlite.pragma('synchronous = OFF');
    // Two years ending 1 October 2026: the quarter below is its last full one.
    siteIds = generateSessions(sqlite, {
      sessions: N,
      end: Date.UTC(2026, 9, 1),
      days: 730,
    }).siteIds;
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    sqlite.pragma('synchronous = FULL');
    console.log(
      `generated ${N.toLocaleString('en-AU')} sessions in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
  const g = { siteIds };

  // Where the time goes: each statement's share, by its grouping (last run of each case).
  const spent = new Map<string, number>();
  const all = db.all.bind(db);
  db.all = ((query: Parameters<typeof all>[0]) => {
    const start = performance.now();
    const rows = all(query);
    // The SQL text, to name the statement (drizzle keeps its dialect on the instance).
    const text = (
      db as unknown as { dialect: { sqlToQuery(q: unknown): { sql: string } } }
    ).dialect.sqlToQuery(query).sql;
    const key = /GROUP BY ([^\n]*)/.exec(text)?.[1]?.trim() ?? 'lookups';
    spent.set(key, (spent.get(key) ?? 0) + performance.now() - start);
    return rows;
  }) as typeof db.all;
  const totals = createTotals(db);
  const quarter = { zone: 'Australia/Sydney', fromDate: '2026-07-01', toDate: '2026-09-30' };
  const cases = [
    { name: 'quarter, every site (4)', siteIds: g.siteIds },
    { name: 'quarter, one site', siteIds: g.siteIds.slice(0, 1) },
    {
      name: 'year across both DST changes, every site',
      siteIds: g.siteIds,
      fromDate: '2025-10-01',
      toDate: '2026-09-30',
    },
  ];
  for (const c of cases) {
    const q = { ...quarter, now: Date.now(), ...c };
    const first = performance.now();
    const r = totals.totals(q);
    const cold = performance.now() - first;
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      spent.clear();
      t0 = performance.now();
      totals.totals(q);
      times.push(performance.now() - t0);
    }
    const parts = [...spent].map(([k, ms]) => `${k}: ${ms.toFixed(0)} ms`).join('; ');
    times.sort((a, b) => a - b);
    const p = (x: number) =>
      (times[Math.min(times.length - 1, Math.floor(x * times.length))] ?? 0).toFixed(1);
    console.log(
      `${c.name}: ${r.total.sessions.toLocaleString('en-AU')} sessions, ${Math.round(r.total.energyWh / 1000).toLocaleString('en-AU')} kWh, ${r.byDay.length} days, ${r.byCard.length} cards — first ${cold.toFixed(1)} ms, then p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, max ${p(1)} ms (target < 200 ms for a quarter)\n  last run by grouping: ${parts}`,
    );
  }
  db.$client.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
