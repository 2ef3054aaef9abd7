// kill -9 during an invoice run's issue (issue 13 "a crash mid-issue leaves no gap"), checked
// from outside: the BUILT service, a site of 400 lots with 25 sessions each a month for five
// months, each month's run issued over the API socket and the process killed at moments spread
// over the issue. After every kill, before the restart, the file must hold that month's run whole
// or not at all, and the issuer's numbers must run 1..N with no gap and no repeat (its sequence
// row agreeing); the restarted service issues the rest and the numbers go on from there.
import { rmSync } from 'node:fs';
import { DateTime } from 'luxon';
import { describe, expect, it, onTestFinished } from 'vitest';
import { login, setupAndLogin, type ApiSocket } from './support/api';
import { killHard, openDatabase, serviceFor, startService } from './support/service';
import { settingsInput } from '../support/billing';

const LOTS = 400;
const SESSIONS_PER_LOT_MONTH = 25;
const MONTHS = 5;
const ZONE = 'Australia/Sydney';

/** The first day (yyyy-mm-dd) of each of the last MONTHS whole months in Sydney, oldest first. */
function months(): string[] {
  const thisMonth = DateTime.now().setZone(ZONE).startOf('month');
  return Array.from(
    { length: MONTHS },
    (_, i) => thisMonth.minus({ months: MONTHS - i }).toISODate() ?? '',
  );
}

function residentsCsv(): string {
  const lines = ['lot_number,owner_names,invoice_emails'];
  for (let lot = 1; lot <= LOTS; lot++) lines.push(`${lot},Owner ${lot},owner${lot}@example.com`);
  return lines.join('\n') + '\n';
}

/** Sessions written straight into the stopped service's file (a run reads them as any other). */
function seedSessions(dataDir: string, siteId: number, station: { id: number; identity: string }) {
  const db = openDatabase(dataDir);
  try {
    // Owners since long before the months billed.
    db.prepare('UPDATE accounts SET opened_at = 0 WHERE site_id = ?').run(siteId);
    const accountIds = db
      .prepare('SELECT id FROM accounts WHERE site_id = ? ORDER BY id')
      .pluck()
      .all(siteId) as number[];
    const tx = db
      .prepare(
        `INSERT INTO transactions (station_id, identity, connector_number, id_tag, status,
           started_at, stopped_at, meter_start_wh, meter_stop_wh, last_message_at)
         VALUES (?, ?, 1, 'SEED', 'completed', ?, ?, ?, ?, ?) RETURNING id`,
      )
      .pluck();
    const owner = db.prepare(
      `INSERT INTO session_accounts (transaction_id, account_id, via) VALUES (?, ?, 'card')`,
    );
    db.transaction(() => {
      let meter = 1_000_000;
      for (const month of months()) {
        const start = DateTime.fromISO(month, { zone: ZONE }).plus({ days: 1 }).toMillis();
        for (const [a, accountId] of accountIds.entries()) {
          for (let s = 0; s < SESSIONS_PER_LOT_MONTH; s++) {
            const at = start + (a * SESSIONS_PER_LOT_MONTH + s) * 60_000;
            const wh = 1_000 + ((a * 7 + s * 13) % 9_000);
            const stop = at + 50 * 60_000;
            const id = tx.get(station.id, station.identity, at, stop, meter, meter + wh, stop);
            owner.run(id, accountId);
            meter += wh;
          }
        }
      }
    })();
  } finally {
    db.close();
  }
}

interface Numbers {
  integrity: unknown;
  runs: string[];
  seqs: number[];
  numbers: string[];
  lastSeq: number;
}

function numbersOf(dataDir: string): Numbers {
  const db = openDatabase(dataDir);
  try {
    const all = (sql: string) => db.prepare(sql).pluck().all();
    return {
      integrity: db.pragma('integrity_check', { simple: true }),
      runs: all('SELECT period_start FROM invoice_runs ORDER BY period_start') as string[],
      seqs: all('SELECT seq FROM invoices ORDER BY seq') as number[],
      numbers: all('SELECT number FROM invoices') as string[],
      lastSeq:
        (db.prepare('SELECT max(last_seq) FROM invoice_sequences').pluck().get() as
          number | null) ?? 0,
    };
  } finally {
    db.close();
  }
}

function expectNoGap(n: Numbers, what: string) {
  expect(n.integrity, what).toBe('ok');
  // Every run whole (an invoice for each lot), the numbers 1..N, none twice.
  expect(n.seqs.length, what).toBe(n.runs.length * LOTS);
  expect(n.seqs, what).toEqual(Array.from({ length: n.seqs.length }, (_, i) => i + 1));
  expect(new Set(n.numbers).size, what).toBe(n.numbers.length);
  expect(n.lastSeq, what).toBe(n.seqs.length);
}

describe('kill -9 during an invoice run issue', () => {
  it('leaves each run whole or absent and the numbers without a gap', async () => {
    const first = await serviceFor({ keepData: true });
    const dataDir = first.dataDir;
    onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
    const { api, siteId } = await setupAndLogin(first.apiUrl);
    await api.ok('billing-settings-update', settingsInput(siteId));
    const tariff = await api.ok<{ id: number }>('tariff-create', {
      siteId,
      effectiveFrom: '2020-01-01',
      tariff: {
        name: 'Energy and access',
        pricesIncludeGst: false,
        components: [
          { kind: 'perKwh', millicentsPerKwh: 30_000 },
          { kind: 'monthlyFee', cents: 1_000, per: 'account' },
        ],
      },
    });
    await api.ok('tariff-assign', {
      siteId,
      target: 'site',
      targetId: siteId,
      tariffId: tariff.id,
    });
    await api.ok('residents-import', { siteId, csv: residentsCsv(), mode: 'all' });
    const station = await api.ok<{ id: number; identity: string }>('station-create', {
      siteId,
      identity: 'KILL-1',
      name: 'Bay 1',
      connectorCount: 1,
    });
    api.close();
    await first.stop();
    seedSessions(dataDir, siteId, station);

    let current = await startService({ dataDir, timeoutMs: 60_000 });
    const [calibrate, ...rest] = months();
    // How long one month's issue takes here now, as the client sees it.
    let a: ApiSocket = await login(current.apiUrl);
    let t0 = performance.now();
    await a.ok('invoice-run-issue', { siteId, date: calibrate });
    const issueMs = performance.now() - t0;
    a.close();
    expectNoGap(numbersOf(dataDir), 'after the calibration run');

    const outcomes: string[] = [];
    let interrupted = 0;
    try {
      for (const [round, month] of rest.entries()) {
        const factor = [0.3, 0.7, 1.2, 3][round] ?? 1;
        a = await login(current.apiUrl);
        let answered = false;
        const issuing = a.call('invoice-run-issue', { siteId, date: month }).then(
          (r) => (answered = r.ok),
          () => undefined, // the socket closes with the process
        );
        t0 = performance.now();
        await new Promise((r) => setTimeout(r, issueMs * factor));
        await killHard(current);
        await issuing;
        const n = numbersOf(dataDir);
        const at = `kill ${round + 1} at ${Math.round(issueMs * factor)} ms`;
        expectNoGap(n, at);
        const whole = n.runs.includes(month ?? '');
        // An answered issue was committed: its run must be there.
        if (answered) expect(whole, at).toBe(true);
        else interrupted++;
        outcomes.push(
          `${Math.round(issueMs * factor)} ms: ${whole ? 'whole' : 'absent'}${answered ? ' (answered)' : ''}`,
        );
        current = await startService({ dataDir, timeoutMs: 60_000 });
      }
      // The restarted service issues every month not yet issued; the numbers go on.
      a = await login(current.apiUrl);
      for (const month of rest) await a.ok('invoice-run-issue', { siteId, date: month });
      a.close();
    } finally {
      await current.stop();
    }
    const n = numbersOf(dataDir);
    expect(n.runs).toHaveLength(MONTHS);
    expectNoGap(n, 'at the end');
    console.info(
      `[reliability] issue kill -9: one month ${Math.round(issueMs)} ms; kills at ${outcomes.join(', ')}`,
    );
    expect(interrupted).toBeGreaterThan(0);
  });
});
