// `npm run bench:sessions [-- --sessions N]` (also part of `npm run bench`): the sessions list
// and its CSV export over 1,000,000 generated sessions with meter samples (issue 10).
// Targets: a filtered, sorted page < 50 ms; the full CSV export streamed at >= 200,000 rows/s
// with flat memory. The database is a real StrataCharge file (migrations applied by
// openDatabase), filled by bench/sessions-generate.ts; no ANALYZE, as the app never runs one.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { openDatabase } from '../src-main/db/open';
import { DomainEvents } from '../src-main/platform/domain-events';
import { createMemoryLogger } from '../src-main/platform/logger';
import type { Caller } from '../src-main/platform/caller';
import { createSessionsService, type ListRequest } from '../src-main/sessions/service';
import { streamSessionsCsv } from '../src-main/sessions/csv';
import { selectSql, whereOf } from '../src-main/sessions/query';
import { decodeCursor } from '../src-main/sessions/sort';
import { generateSessions, type Generated } from './sessions-generate';

const argv = process.argv.slice(2);
const arg = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const N = Number(arg('--sessions') ?? (argv.includes('--quick') ? 100_000 : 1_000_000));
const RUNS = 15;

// --keep FILE: generate into FILE once and reuse it on later runs (bench/reports.ts takes the
// same file); --no-pages: the export alone.
const keep = arg('--keep');
const dir = mkdtempSync(join(tmpdir(), 'stratacharge-bench-sessions-'));
const file = keep ?? join(dir, 'stratacharge.db');
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} (2 cores)`,
);
try {
  const reuse = keep !== undefined && existsSync(keep);
  const db = openDatabase({ file, now: Date.now() });
  const sqlite = db.$client;
  let t0 = performance.now();
  let g: Generated;
  if (reuse) {
    const ids = (sql: string) => sqlite.prepare(sql).pluck().all() as number[];
    const bounds = sqlite
      .prepare('SELECT min(started_at) AS a, max(stopped_at) AS b FROM transactions')
      .get() as { a: number; b: number };
    g = {
      siteIds: ids('SELECT id FROM sites ORDER BY id'),
      stationIds: ids('SELECT id FROM stations ORDER BY id'),
      accountIds: ids('SELECT id FROM accounts ORDER BY id'),
      from: bounds.a,
      to: Date.UTC(2026, 9, 1),
    };
  } else {
    sqlite.pragma('synchronous = OFF');
    g = generateSessions(sqlite, { sessions: N });
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    sqlite.pragma('synchronous = FULL');
    const genS = (performance.now() - t0) / 1000;
    const samples = (
      sqlite.prepare('SELECT count(*) AS n FROM meter_values').get() as { n: number }
    ).n;
    console.log(
      `generated ${N.toLocaleString('en-AU')} sessions, ${samples.toLocaleString('en-AU')} meter samples in ${genS.toFixed(1)} s (${Math.round(N / genS).toLocaleString('en-AU')} sessions/s)`,
    );
  }

  const admin: Caller = {
    userId: 1,
    email: 'bench@example.com',
    name: 'Bench',
    role: 'admin',
    siteIds: [],
    mustChangePassword: false,
    sessionId: 1,
    expiresAt: Number.MAX_SAFE_INTEGER,
  };
  const account = g.accountIds[7] ?? 1;
  const evUser: Caller = { ...admin, role: 'ev_user', userId: 2 };
  const siteAdmin: Caller = { ...admin, role: 'site_admin', siteIds: [g.siteIds[1] ?? 1] };
  const sessions = createSessionsService(
    { db, domainEvents: new DomainEvents(createMemoryLogger()) },
    { accountsOfUser: (id) => (id === 2 ? [account] : []) },
  );
  const site = g.siteIds[0] ?? 1;
  const quarterFrom = g.to - 182 * 86_400_000;
  const quarterTo = quarterFrom + 91 * 86_400_000;
  const scenarios: { name: string; caller: Caller; req: Partial<ListRequest>; page2?: boolean }[] =
    [
      { name: 'all, newest first', caller: admin, req: {} },
      { name: 'all, newest first, page 2 (keyset)', caller: admin, req: {}, page2: true },
      {
        name: 'a site, a quarter, by energy',
        caller: admin,
        req: { filter: { siteId: site, from: quarterFrom, to: quarterTo }, sort: 'energy' },
      },
      {
        name: 'a site, by stop, oldest first',
        caller: admin,
        req: { filter: { siteId: site }, sort: 'stopped', dir: 'asc' },
      },
      { name: 'site administrator, by duration', caller: siteAdmin, req: { sort: 'duration' } },
      { name: 'EV user (own account), newest first', caller: evUser, req: {} },
      {
        name: 'an account, by average power',
        caller: admin,
        req: { filter: { accountId: account }, sort: 'power' },
      },
      { name: 'review queue (open flags)', caller: admin, req: { filter: { flag: 'open' } } },
      { name: 'card contains "0001"', caller: admin, req: { filter: { card: '0001' } } },
      {
        name: '20-40 kWh, > 1 h occupied, by energy',
        caller: admin,
        req: { filter: { minWh: 20_000, maxWh: 40_000, minIdleMs: 3_600_000 }, sort: 'energy' },
      },
      {
        name: 'a station, connector 2',
        caller: admin,
        req: { filter: { stationId: g.stationIds[3] ?? 1, connectorNumber: 2 } },
      },
    ];
  const results: {
    name: string;
    p50: number;
    p95: number;
    cpu50: number;
    rows: number;
    total: string;
  }[] = [];
  for (const s of argv.includes('--no-pages') ? [] : scenarios) {
    let req: ListRequest = {
      filter: {},
      sort: 'started',
      dir: 'desc',
      limit: 50,
      ...s.req,
    };
    if (s.page2) {
      const first = sessions.list(s.caller, req);
      req = { ...req, after: first.next ?? undefined };
    }
    const times: number[] = [];
    const cpu: number[] = [];
    let last = sessions.list(s.caller, req);
    for (let i = 0; i < RUNS; i++) {
      const c0 = process.cpuUsage();
      t0 = performance.now();
      last = sessions.list(s.caller, req);
      times.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    times.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    const plan = selectSql(
      whereOf(req.filter, sessions.scopeOf(s.caller), req.sort),
      req.sort,
      req.dir,
      req.after ? decodeCursor(req.after, req.sort, req.dir) : null,
      req.limit + 1,
    );
    const explain = sqlite
      .prepare(`EXPLAIN QUERY PLAN ${plan.text}`)
      .all(...plan.params)
      .map((r) => (r as { detail: string }).detail)
      .filter((d) => !d.startsWith('SEARCH') || d.includes(' t ') || d.includes('transactions'));
    results.push({
      name: s.name,
      p50: times[Math.floor(RUNS / 2)] ?? 0,
      p95: times[Math.floor(RUNS * 0.95)] ?? 0,
      cpu50: cpu[Math.floor(RUNS / 2)] ?? 0,
      rows: last.sessions.length,
      total: `${last.total.toLocaleString('en-AU')}${last.totalCapped ? '+' : ''}`,
    });
    console.log(`  plan (${s.name}): ${explain.join(' | ')}`);
  }
  console.log('\nsessions page (50 rows + capped count), ms (wall p50 / p95, CPU p50):');
  for (const r of results)
    console.log(
      `  ${r.name.padEnd(42)} p50 ${r.p50.toFixed(1).padStart(6)}  p95 ${r.p95.toFixed(1).padStart(6)}  cpu ${r.cpu50.toFixed(1).padStart(6)}  rows ${String(r.rows).padStart(3)}  total ${r.total}`,
    );

  if (argv.includes('--profile')) {
    const q = selectSql(whereOf({}, { kind: 'all' }), 'started', 'desc', null, null);
    const stmt = sqlite.prepare(q.text);
    const cpuS = (c0: NodeJS.CpuUsage) => {
      const c = process.cpuUsage(c0);
      return (c.user + c.system) / 1e6;
    };
    const c0 = process.cpuUsage();
    let n = 0;
    for (const _ of stmt.iterate(...q.params)) n++;
    console.log(`  query alone: ${Math.round(n / cpuS(c0))} rows per CPU second`);
  }
  // The full export: every session, as the administrator sees them, newest first.
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const probe = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 25);
  let bytes = 0;
  let lines = 0;
  const cpu0 = process.cpuUsage();
  t0 = performance.now();
  await pipeline(
    streamSessionsCsv({ file, filter: {}, scope: { kind: 'all' }, sort: 'started', dir: 'desc' }),
    new Writable({
      write(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        // indexOf (memchr), not a loop over every byte: the sink's CPU counts in the figure.
        for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
        peak = Math.max(peak, process.memoryUsage().rss);
        done();
      },
    }),
  );
  const csvS = (performance.now() - t0) / 1000;
  const cpuUsed = process.cpuUsage(cpu0);
  const csvCpuS = (cpuUsed.user + cpuUsed.system) / 1e6;
  clearInterval(probe);
  const rows = lines - 1;
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `\nCSV export: ${rows.toLocaleString('en-AU')} rows, ${(bytes / 2 ** 20).toFixed(0)} MiB in ${csvS.toFixed(2)} s = ${Math.round(rows / csvS).toLocaleString('en-AU')} rows/s wall, ${Math.round(rows / csvCpuS).toLocaleString('en-AU')} rows per CPU second; peak RSS growth ${((peak - rssBefore) / 2 ** 20).toFixed(0)} MiB`,
  );
  db.$client.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
