// `npm run bench` (or `npm run bench:residents` alone): importing 10,000 residents with their
// cards from one CSV, through the API as the Import tab does it (`residents-import`: the check
// of every row, then the write in one transaction), into a fresh data folder. Target (issue 10):
// < 3 s. Prints the check (preview) and the import separately; each is the median of 3 runs,
// each run into a new folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROWS = 10_000;

/** 10,000 residents in 5,000 lots (two per lot, each with a card, as a building's file looks). */
function buildCsv(): string {
  const lines = [
    'lot_number,unit_number,owner_names,invoice_emails,first_name,last_name,email,phone,card_number,card_label',
  ];
  for (let i = 0; i < ROWS; i++) {
    const lot = Math.floor(i / 2) + 1;
    const card = (0x10000000 + i * 7919).toString(16).toUpperCase();
    lines.push(
      `${lot},${lot},Owner ${lot},owner${lot}@example.com,Resident,Number ${i},r${i}@example.com,0400 000 ${String(i % 1000).padStart(3, '0')},${card},Card ${i}`,
    );
  }
  return lines.join('\n') + '\n';
}

async function once(csv: string): Promise<{ checkMs: number; importMs: number }> {
  const { createCore } = await import('../src-main/core');
  const { createConsoleLogger } = await import('../src-main/platform/logger');
  const dataDir = mkdtempSync(join(tmpdir(), 'stratacharge-bench-residents-'));
  const core = await createCore({
    dataDir,
    backupTimer: false,
    logger: createConsoleLogger('error'),
  });
  try {
    const conn = core.openConnection('127.0.0.1');
    const ok = async <T>(r: Promise<{ ok: boolean; value?: unknown; error?: unknown }>) => {
      const v = await r;
      if (!v.ok) throw new Error(JSON.stringify(v.error));
      return v.value as T;
    };
    await ok(
      core.call(conn, 'setup-complete', {
        admin: { email: 'admin@example.com', name: 'Ada Admin', password: 'correct horse battery' },
        organisation: { name: 'Bench Strata', abn: '51 824 753 556' },
        site: { name: 'Bench Tower', strataPlan: 'SP 1', timeZone: 'Australia/Sydney' },
      }),
    );
    const [site] = await ok<{ id: number }[]>(core.call(conn, 'site-list', {}));
    const siteId = site?.id ?? 0;
    let t0 = performance.now();
    const preview = await ok<{ problems: unknown[] }>(
      core.call(conn, 'residents-import', { siteId, csv, mode: 'preview' }),
    );
    const checkMs = performance.now() - t0;
    if (preview.problems.length > 0) throw new Error('the bench file has problems');
    t0 = performance.now();
    const done = await ok<{ written: { residents: number; cards: number } }>(
      core.call(conn, 'residents-import', { siteId, csv, mode: 'all' }),
    );
    const importMs = performance.now() - t0;
    if (done.written.residents !== ROWS || done.written.cards !== ROWS)
      throw new Error(`imported ${JSON.stringify(done.written)}`);
    return { checkMs, importMs };
  } finally {
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const csv = buildCsv();
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await once(csv));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1] ?? NaN;
  const check = median(runs.map((r) => r.checkMs));
  const imported = median(runs.map((r) => r.importMs));
  process.stdout.write(
    `Residents import: ${ROWS.toLocaleString('en-AU')} residents and cards (${(csv.length / 1e6).toFixed(1)} MB CSV), median of 3\n` +
      `  check only (preview): ${(check / 1000).toFixed(2)} s\n` +
      `  import (check + write, one transaction): ${(imported / 1000).toFixed(2)} s  (target < 3 s: ${imported < 3000 ? 'met' : 'NOT met'})\n\n`,
  );
}

void main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(1);
});
