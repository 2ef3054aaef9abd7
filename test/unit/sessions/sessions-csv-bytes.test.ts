// The sessions CSV written by our own writer is byte for byte what papaparse writes for the same
// values, over a real database file with names a spreadsheet user would trip over (commas,
// quotes, line breaks, unicode, formula-like text, empties), several stream chunks long.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { openDatabase } from '../../../src-main/db/open';
import { streamSessionsCsv, SESSION_CSV_COLUMNS } from '../../../src-main/sessions/csv';
import { generateSessions } from '../../../bench/sessions-generate';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function exportText(file: string): Promise<string> {
  const parts: Buffer[] = [];
  const stream = streamSessionsCsv({
    file,
    filter: {},
    scope: { kind: 'all' },
    sort: 'started',
    dir: 'desc',
  });
  for await (const chunk of stream) parts.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(parts).toString('utf8');
}

describe('the sessions CSV’s bytes', () => {
  it('are papaparse’s for the same values, awkward names included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sessions-csv-bytes-'));
    dirs.push(dir);
    const file = join(dir, 'stratacharge.db');
    const db = openDatabase({ file, now: Date.now() });
    const sqlite = db.$client;
    generateSessions(sqlite, { sessions: 3000, sites: 2, stationsPerSite: 3, lotsPerSite: 5 });
    const awkward = {
      site: 'Harbour View, "Tower A"',
      station: ' Basement\nbay 3 ',
      label: '=HYPERLINK("x")',
      first: 'Zoë 😀',
      reason: '-Local',
    };
    sqlite
      .prepare('UPDATE sites SET name = ? WHERE id = (SELECT min(id) FROM sites)')
      .run(awkward.site);
    sqlite.prepare('UPDATE stations SET name = ?').run(awkward.station);
    sqlite.prepare('UPDATE cards SET label = ? WHERE id % 2 = 0').run(awkward.label);
    sqlite.prepare("UPDATE cards SET label = '' WHERE id % 2 = 1").run();
    sqlite.prepare('UPDATE residents SET first_name = ?').run(awkward.first);
    sqlite.prepare('UPDATE transactions SET stop_reason = ? WHERE id % 3 = 0').run(awkward.reason);
    sqlite.close();

    const text = await exportText(file);
    expect(text.startsWith('\ufeff')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const body = text.slice(1, -2);
    const rows = Papa.parse<string[]>(body, { newline: '\r\n' }).data;
    expect(rows[0]).toEqual([...SESSION_CSV_COLUMNS]);
    expect(rows).toHaveLength(3001);
    // papaparse writing the values it read back (the apostrophe of an escaped formula taken
    // off first) with formula escaping gives the same bytes.
    const unescaped = rows.map((r) => r.map((v) => (/^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v)));
    expect(body).toBe(Papa.unparse(unescaped, { escapeFormulae: true }));
    // The awkward values arrive intact; formula-like text with an apostrophe, so a spreadsheet
    // shows it instead of running it.
    const col = (name: (typeof SESSION_CSV_COLUMNS)[number]) =>
      new Set(rows.slice(1).map((r) => r[SESSION_CSV_COLUMNS.indexOf(name)] ?? ''));
    expect(col('Site')).toContain(awkward.site);
    expect(col('Station')).toEqual(new Set([awkward.station]));
    expect(col('Card label')).toEqual(new Set([`'${awkward.label}`, '']));
    expect([...col('Resident')].every((r) => r.startsWith(awkward.first))).toBe(true);
    expect(col('Stop reason')).toContain(`'${awkward.reason}`);
  });
});
