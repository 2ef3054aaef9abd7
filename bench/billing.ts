// `npm run bench:billing [-- --workers N] [-- --keep FILE]` (also part of `npm run bench`): issue
// 13's billing targets on a real StrataCharge SQLite file:
//  1. one invoice's PDF (< 200 ms): a typical quarter's invoice (100 sessions: a summary page and
//     the session list attached) and a short one (4 sessions), median of 15, through the pool's
//     worker (as the service makes it) and in this thread;
//  2. a quarterly run of 500 accounts / 50,000 sessions with meter samples, rated and issued
//     (one transaction), then every invoice's PDF written to disk through the PDF worker pool
//     (< 30 s on 2 cores, both together);
//  3. the StrataMax export and the meter-readings export of that run, check and file (< 1 s each).
// Data: the sessions bench's generator (bench/sessions-generate.ts): one site, 500 lots, 40
// two-outlet chargers, sessions of 1-10 h spread over the quarter, 6 meter samples each, 1 %
// flagged (half of those resolved); a time-of-use tariff with idle minutes and a monthly fee.
// Wall time, this process's CPU time (all threads: process.cpuUsage) and the load average are
// printed for each; results in docs/benchmarks.md "Billing".
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { openDatabase } from '../src-main/db/open';
import { DomainEvents } from '../src-main/platform/domain-events';
import { createMemoryLogger } from '../src-main/platform/logger';
import { createBillingExports } from '../src-main/billing/exports/service';
import { createInvoicing } from '../src-main/billing/invoicing';
import { createRunBuilder } from '../src-main/billing/run-builder';
import { createSettingsStore } from '../src-main/billing/settings-store';
import { createTariffStore } from '../src-main/billing/tariff-store';
import { renderInvoicePdf, invoiceFileName } from '../src-main/billing/pdf/invoice-pdf';
import { createPdfPool, defaultPoolSize } from '../src-main/billing/pdf/pool';
import { sampleInvoiceDocument } from '../src-main/billing/pdf/sample-document';
import type { InvoiceDocument } from '../src-shared/billing/invoice-document';
import { DEFAULT_BILLING_SETTINGS } from '../src-shared/billing/settings';
import type { Tariff } from '../src-shared/billing/tariff';
import { generateSessions } from './sessions-generate';

const argv = process.argv.slice(2);
const arg = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const WORKERS = Number(arg('--workers') ?? defaultPoolSize());
const ACCOUNTS = 500;
const SESSIONS = 50_000;
// The quarter January-March 2026 in Sydney: it ends at 1 April 00:00 local (13:00 UTC 31 March).
const QUARTER_END = Date.UTC(2026, 2, 31, 13);
const ISSUED_AT = Date.UTC(2026, 3, 1, 0);

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;

/** Runs fn, printing wall and CPU milliseconds. */
async function timed<T>(label: string, fn: () => T | Promise<T>): Promise<T> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await fn();
  const wall = performance.now() - t0;
  const cpu = cpuMs(process.cpuUsage(c0));
  console.log(`${label}: ${(wall / 1000).toFixed(2)} s wall, ${(cpu / 1000).toFixed(2)} s CPU`);
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function onePdf(
  label: string,
  doc: InvoiceDocument,
  render: (d: InvoiceDocument) => Promise<Buffer>,
) {
  for (let i = 0; i < 3; i++) await render(doc); // warm: fonts, JIT
  const wall: number[] = [];
  const cpu: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 15; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    bytes = (await render(doc)).length;
    wall.push(performance.now() - t0);
    cpu.push(cpuMs(process.cpuUsage(c0)));
  }
  console.log(
    `one PDF, ${label}: median ${median(wall).toFixed(0)} ms wall, ${median(cpu).toFixed(0)} ms CPU (min ${Math.min(...wall).toFixed(0)} ms wall; ${(bytes / 1024).toFixed(0)} KiB)`,
  );
}

const tariff: Tariff = {
  name: 'Residents time-of-use',
  pricesIncludeGst: true,
  components: [
    {
      kind: 'timeOfUse',
      bands: [
        {
          name: 'Peak',
          days: ['mon', 'tue', 'wed', 'thu', 'fri'],
          from: '07:00',
          to: '22:00',
          millicentsPerKwh: 45_000,
        },
        {
          name: 'Off-peak',
          days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
          from: '22:00',
          to: '07:00',
          millicentsPerKwh: 22_000,
        },
        {
          name: 'Weekend',
          days: ['sat', 'sun'],
          from: '07:00',
          to: '22:00',
          millicentsPerKwh: 30_000,
        },
      ],
      holidays: ['2026-01-01', '2026-01-26'],
      holidayAs: 'sun',
    },
    { kind: 'perMinute', basis: 'idle', millicentsPerMinute: 10_000, graceMinutes: 30 },
    { kind: 'monthlyFee', cents: 1_500, per: 'account' },
  ],
};

const dir = mkdtempSync(join(tmpdir(), 'stratacharge-bench-billing-'));
const pool = createPdfPool({ size: WORKERS });
try {
  console.log(`billing bench: load average ${load()} (1, 5, 15 min), ${WORKERS} PDF worker(s)`);
  // As the service makes it (one PDF worker, React's production build), then in this thread.
  const inWorker = (d: InvoiceDocument) => pool.render(d, null);
  const here = (d: InvoiceDocument) => renderInvoicePdf(d, null);
  await onePdf('4 sessions, worker', sampleInvoiceDocument(4), inWorker);
  await onePdf(
    '100 sessions (summary + attached list), worker',
    sampleInvoiceDocument(100),
    inWorker,
  );
  await onePdf('4 sessions, main thread', sampleInvoiceDocument(4), here);
  await onePdf('100 sessions, main thread', sampleInvoiceDocument(100), here);
  // `--pdf-only`: the one-PDF figures alone (for profiling: node --cpu-prof ... --pdf-only).
  if (argv.includes('--pdf-only')) process.exit(0);

  const keep = arg('--keep');
  const file = keep ?? join(dir, 'stratacharge.db');
  const reuse = keep !== undefined && existsSync(keep);
  const db = openDatabase({ file, now: Date.now() });
  const sqlite = db.$client;
  let siteId: number;
  if (reuse) {
    siteId = (sqlite.prepare('SELECT min(id) AS id FROM sites').get() as { id: number }).id;
  } else {
    sqlite.pragma('synchronous = OFF');
    siteId = await timed(
      `generated ${ACCOUNTS} accounts, ${SESSIONS.toLocaleString('en-AU')} sessions`,
      () =>
        generateSessions(sqlite, {
          sessions: SESSIONS,
          sites: 1,
          stationsPerSite: 40,
          lotsPerSite: ACCOUNTS,
          samplesPerSession: 6,
          // Ends 10 h before the quarter does, so every session ends inside it.
          end: QUARTER_END - 10 * 3_600_000,
          days: 90,
        }).siteIds[0] as number,
    );
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    sqlite.pragma('synchronous = FULL');
  }
  const tariffs = createTariffStore(db);
  const settings = createSettingsStore(db);
  const invoicing = createInvoicing({
    db,
    tariffs,
    settings,
    builder: createRunBuilder(db, tariffs),
    events: new DomainEvents(createMemoryLogger()),
  });
  if (!reuse) {
    settings.update(
      siteId,
      {
        ...DEFAULT_BILLING_SETTINGS,
        issuerName: 'Harbour Strata Management',
        issuerAbn: '51824753556',
        issuerAddress: 'Level 3, 1 George St, Sydney NSW 2000',
        bsb: '062000',
        bankAccountNumber: '12345678',
        bankAccountName: 'Bench Owners Corp',
        bpayBillerCode: '123456',
        contactEmail: 'accounts@harbour.example',
        footerText: 'Harbour Strata Management · questions about this invoice: 02 9000 0000',
      },
      Date.now(),
    );
    const created = tariffs.create(siteId, '2025-01-01', tariff, Date.now());
    tariffs.assign(siteId, 'site', siteId, created.id, null, Date.now());
  }

  // How late this thread's timers ran while the workers rendered: what an OCPP message or an
  // API call arriving meanwhile would wait (the service answers chargers on this thread). The
  // same measured for 2 s beforehand with nothing to do: on a shared machine the baseline is
  // not zero (the figures include the 10 ms sampling interval).
  const ms = (ns: number) => (ns / 1e6).toFixed(1);
  const delays = (h: ReturnType<typeof monitorEventLoopDelay>) =>
    `p50 ${ms(h.percentile(50))} ms, p99 ${ms(h.percentile(99))} ms, max ${ms(h.max)} ms`;
  const idle = monitorEventLoopDelay({ resolution: 10 });
  idle.enable();
  await new Promise((r) => setTimeout(r, 2_000));
  idle.disable();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const { run, alreadyIssued } = await timed('rated and issued (one transaction)', () =>
    invoicing.issueRun(siteId, '2026-03-15', null, ISSUED_AT),
  );
  if (alreadyIssued) console.log('(the run was already issued in the kept file: issue not timed)');
  const rows = sqlite
    .prepare('SELECT id, document FROM invoices WHERE run_id = ? ORDER BY seq')
    .all(run.id) as { id: number; document: string }[];
  const pdfDir = join(dir, 'pdf');
  rmSync(pdfDir, { recursive: true, force: true });
  mkdirSync(pdfDir);
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  await timed(`${rows.length} PDFs written (${pool.size} worker(s), ${pool.mode})`, () =>
    Promise.all(
      rows.map(async (r) => {
        const doc = JSON.parse(r.document) as InvoiceDocument;
        writeFileSync(join(pdfDir, invoiceFileName(doc)), await pool.render(doc, null));
      }),
    ),
  );
  lag.disable();
  console.log(
    `  main thread's event-loop delay meanwhile: ${delays(lag)} (idle before: ${delays(idle)})`,
  );
  const wall = performance.now() - t0;
  const cpu = cpuMs(process.cpuUsage(c0));
  const files = readdirSync(pdfDir);
  const mb = files.reduce((a, f) => a + statSync(join(pdfDir, f)).size, 0) / 1024 / 1024;
  const sessions = (
    sqlite
      .prepare(
        `SELECT count(*) AS n FROM invoice_sessions s JOIN invoices i ON i.id = s.invoice_id WHERE i.run_id = ?`,
      )
      .get(run.id) as { n: number }
  ).n;
  console.log(
    `quarterly run, issue + every PDF: ${(wall / 1000).toFixed(2)} s wall, ${(cpu / 1000).toFixed(2)} s CPU ` +
      `(${rows.length} invoices, ${sessions.toLocaleString('en-AU')} sessions, ${run.held} held; ${files.length} files, ${mb.toFixed(1)} MB); load ${load()}`,
  );

  const exportsService = createBillingExports(db);
  for (const key of ['stratamax', 'propertyiq', 'meter-readings']) {
    const profile = exportsService.list(siteId).find((p) => p.key === key);
    if (!profile) continue;
    let bytes = 0;
    await timed(`export ${key} (check + file)`, async () => {
      const check = exportsService.check(siteId, run.id, key);
      if (!check.ok) throw new Error(check.message);
      const out = exportsService.stream(siteId, run.id, key);
      await pipeline(
        out.stream,
        new Writable({
          write(chunk: Buffer | string, _enc, cb) {
            bytes += chunk.length;
            cb();
          },
        }),
      );
    });
    console.log(`  ${(bytes / 1024).toFixed(0)} KiB`);
  }
  console.log(`load average at the end: ${load()}`);
  db.$client.close();
} finally {
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
}
