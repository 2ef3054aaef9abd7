// `npm run bench:reports [-- --sessions N]` (also part of `npm run bench`): the totals for a
// quarter (report-totals: by site, station, outlet, account, card, local day, hour, weekday and
// occupancy, grouped in Australia/Sydney) over 1,000,000 generated sessions with meter samples
// (issue 10). Target: < 200 ms. The database is a real StrataCharge file (migrations applied by
// openDatabase) filled by the sessions bench's generator (bench/sessions-generate.ts: 4 sites,
// 2 years); no ANALYZE, as the app never runs one. Each case is timed from the daily rollup (the
// app) and from the sessions alone, alternated. Results: docs/benchmarks.md "Reports".
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
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
  // The app's totals (from the daily rollup, reports/rollup.ts) and the same totals grouped from
  // the sessions alone (what they were before the rollup), alternated in the same minutes.
  const variants = [
    { name: 'rollup', totals: createTotals(db) },
    { name: 'sessions only', totals: createTotals(db, { rollup: false }) },
  ];
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
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  console.log(`load average ${load()} (2 cores)`);
  for (const c of cases) {
    const q = { ...quarter, now: Date.now(), ...c };
    const results = variants.map((v) => ({ ...v, wall: [] as number[], cpu: [] as number[] }));
    const [a, b] = results.map((v) => v.totals.totals(q));
    if (!isDeepStrictEqual(a, b)) throw new Error(`${c.name}: the rollup's totals differ`);
    for (let i = 0; i < RUNS; i++) {
      for (const v of results) {
        spent.clear();
        const c0 = process.cpuUsage();
        t0 = performance.now();
        v.totals.totals(q);
        v.wall.push(performance.now() - t0);
        const used = process.cpuUsage(c0);
        v.cpu.push((used.user + used.system) / 1000);
      }
    }
    const pct = (xs: number[], x: number) => {
      const sorted = [...xs].sort((m, n) => m - n);
      return (sorted[Math.min(sorted.length - 1, Math.floor(x * sorted.length))] ?? 0).toFixed(1);
    };
    console.log(
      `${c.name}: ${a?.total.sessions.toLocaleString('en-AU')} sessions, ${Math.round((a?.total.energyWh ?? 0) / 1000).toLocaleString('en-AU')} kWh, ${a?.byDay.length} days, ${a?.byCard.length} cards (target < 200 ms for a quarter)`,
    );
    for (const v of results) {
      console.log(
        `  ${v.name.padEnd(13)} wall p50 ${pct(v.wall, 0.5)} ms, p95 ${pct(v.wall, 0.95)} ms; CPU p50 ${pct(v.cpu, 0.5)} ms, p95 ${pct(v.cpu, 0.95)} ms`,
      );
    }
    const parts = [...spent].map(([k, ms]) => `${k.slice(0, 40)}: ${ms.toFixed(0)} ms`).join('; ');
    console.log(`  last run (sessions only) by grouping: ${parts}`);
  }
  console.log(`load average ${load()}`);
  db.$client.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
