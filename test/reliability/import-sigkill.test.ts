// kill -9 during a residents import: the built service imports a CSV of 10,000 residents with
// their cards (5,000 lots) over the API socket, as the Import tab does, and is killed at a
// moment spread over the import (the check of every row, then the write in one transaction).
// After each kill, before the restart, the file must hold either none of the import or all of it
// (accounts, residents, cards: never a part), SQLite's integrity_check must say ok, and the
// restarted service must import a clean file whole.
import { rmSync } from 'node:fs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openApi, setupAndLogin, ADMIN, type ApiSocket } from './support/api';
import { killHard, openDatabase, serviceFor, startService } from './support/service';

const ROWS = 10_000;

/** 10,000 residents in 5,000 lots, two per lot, each with a card; card numbers unique per file. */
function residentsCsv(file: number): string {
  const lines = [
    'lot_number,unit_number,owner_names,invoice_emails,first_name,last_name,email,phone,card_number,card_label',
  ];
  for (let i = 0; i < ROWS; i++) {
    const lot = Math.floor(i / 2) + 1;
    const card = (0x10000000 + file * 0x1000000 + i * 7).toString(16).toUpperCase();
    lines.push(
      `${lot},${lot},Owner ${lot},owner${lot}@example.com,Resident,Number ${i},r${i}@example.com,0400 000 ${String(i % 1000).padStart(3, '0')},${card},Card ${i}`,
    );
  }
  return lines.join('\n') + '\n';
}

interface Counts {
  accounts: number;
  residents: number;
  cards: number;
}
const NOTHING: Counts = { accounts: 0, residents: 0, cards: 0 };
const EVERYTHING: Counts = { accounts: ROWS / 2, residents: ROWS, cards: ROWS };

function countsOf(dataDir: string, siteId: number): Counts & { integrity: unknown } {
  const db = openDatabase(dataDir);
  try {
    const n = (sql: string) => db.prepare(sql).pluck().get(siteId) as number;
    return {
      integrity: db.pragma('integrity_check', { simple: true }),
      accounts: n('SELECT count(*) FROM accounts WHERE site_id = ?'),
      residents: n(
        'SELECT count(*) FROM residents WHERE account_id IN (SELECT id FROM accounts WHERE site_id = ?)',
      ),
      cards: n('SELECT count(*) FROM cards WHERE site_id = ?'),
    };
  } finally {
    db.close();
  }
}

async function login(apiUrl: string): Promise<ApiSocket> {
  const api = await openApi(apiUrl);
  await api.ok('session-login', { email: ADMIN.email, password: ADMIN.password });
  return api;
}

const newSite = (api: ApiSocket, round: number) =>
  api.ok<{ id: number }>('site-create', {
    name: `Tower ${round}`,
    timeZone: 'Australia/Sydney',
  });

describe('kill -9 during a residents import', () => {
  it('leaves nothing or everything of a 10,000-row import, never a part', async () => {
    const first = await serviceFor({ keepData: true });
    const dataDir = first.dataDir;
    onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
    let current = first;
    const { api: setupApi } = await setupAndLogin(first.apiUrl);
    // How long the check of every row takes on this machine now: the kills are spread from
    // just after it (the write has begun) to well past the import's usual end.
    const calibration = await newSite(setupApi, 0);
    let t0 = performance.now();
    const preview = await setupApi.ok<{ problems: unknown[] }>('residents-import', {
      siteId: calibration.id,
      csv: residentsCsv(0),
      mode: 'preview',
    });
    const checkMs = performance.now() - t0;
    expect(preview.problems).toEqual([]);
    setupApi.close();

    const outcomes: string[] = [];
    let interrupted = 0;
    try {
      for (const [round, factor] of [1.1, 1.4, 1.7, 2.0, 2.5, 3.5].entries()) {
        const api = await login(current.apiUrl);
        const site = await newSite(api, round + 1);
        let answered = false;
        const importing = api
          .call('residents-import', { siteId: site.id, csv: residentsCsv(round + 1), mode: 'all' })
          .then(
            () => (answered = true),
            () => undefined, // the socket closes with the process
          );
        t0 = performance.now();
        await new Promise((r) => setTimeout(r, checkMs * factor));
        await killHard(current);
        await importing;
        const after = countsOf(dataDir, site.id);
        const { integrity, ...counts } = after;
        expect(integrity, `integrity after kill ${round + 1}`).toBe('ok');
        const whole = JSON.stringify(counts) === JSON.stringify(EVERYTHING);
        expect(
          whole || JSON.stringify(counts) === JSON.stringify(NOTHING),
          `kill ${round + 1} at ${Math.round(performance.now() - t0)} ms left ${JSON.stringify(counts)}`,
        ).toBe(true);
        // An answered import was committed: all of it must be there.
        if (answered) expect(counts).toEqual(EVERYTHING);
        else interrupted++;
        outcomes.push(
          `${Math.round(checkMs * factor)} ms: ${whole ? 'everything' : 'nothing'}${answered ? ' (answered)' : ''}`,
        );
        current = await startService({ dataDir, timeoutMs: 60_000 });
      }
      // The restarted service imports a clean file whole.
      const api = await login(current.apiUrl);
      const site = await newSite(api, 99);
      const done = await api.ok<{ written: Counts }>('residents-import', {
        siteId: site.id,
        csv: residentsCsv(99),
        mode: 'all',
      });
      expect(done.written).toEqual(EVERYTHING);
      api.close();
    } finally {
      await current.stop();
    }
    console.info(
      `[reliability] import kill -9: check ${Math.round(checkMs)} ms; kills at ${outcomes.join(', ')}`,
    );
    // At least one kill really interrupted an import (no answer came).
    expect(interrupted).toBeGreaterThan(0);
  });
});
