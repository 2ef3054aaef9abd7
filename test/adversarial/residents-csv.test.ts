// Adversarial residents CSVs (issue 10 "a CSV with one bad row → its row number and reason,
// nothing written"): a file as Excel on Windows saves it (BOM, CRLF, quoted commas and a line
// break inside an address) with blank lines in it; the problem must be reported on the row the
// spreadsheet shows, and nothing written until the file is clean.
import { describe, expect, it } from 'vitest';
import { ocppCore } from '../ocpp/helpers';

const HEADER =
  'lot_number,unit_number,owner_names,invoice_emails,first_name,last_name,email,phone,card_number,card_label';

describe('residents CSV with blank lines', () => {
  it('names the spreadsheet row of the one bad row, writes nothing, then imports the fixed file', async () => {
    const o = await ocppCore();
    const { t, admin, siteId } = o;
    const rows = [
      HEADER, // row 1
      '1,101,"Citizen, Jane & John",jane@example.com,Jane,Citizen,jane@example.com,0400 000 001,0A0B0C01,Jane’s card', // 2
      '', // 3: a blank line left between blocks of lots
      '2,102,Lee Owner,lee@example.com,Lee,Owner,lee@example.com,,0A0B0C02,', // 4
      ',,,', // 5: an empty row with its commas
      '3,103,Kim Owner,not-an-email,Kim,Owner,,,0A0B0C03,', // 6: the bad row
    ];
    const csv = `\uFEFF${rows.join('\r\n')}\r\n`;
    const preview = await t.ok(admin, 'residents-import', { siteId, csv, mode: 'all' });
    expect(preview.written).toBeNull();
    expect(preview.problems).toEqual([
      { row: 6, column: 'invoice_emails', reason: '“not-an-email” is not an email address' },
    ]);
    expect(preview.rows).toBe(3);
    expect(await t.ok(admin, 'account-list', { siteId })).toEqual([]);

    const fixed = csv.replace('not-an-email', 'kim@example.com');
    const done = await t.ok(admin, 'residents-import', { siteId, csv: fixed, mode: 'all' });
    expect(done.problems).toEqual([]);
    expect(done.written).toEqual({ accounts: 3, residents: 3, cards: 3 });
    const accounts = await t.ok(admin, 'account-list', { siteId });
    expect(accounts.map((a) => a.ownerNames).sort()).toEqual([
      'Citizen, Jane & John',
      'Kim Owner',
      'Lee Owner',
    ]);
  });

  it('refuses a row whose characters were lost reading the file, naming the row', async () => {
    const o = await ocppCore();
    const { t, admin, siteId } = o;
    // A Windows-1252 file read as UTF-8 by a script: "Zoë O’Brien" arrives as "Zo� O�Brien".
    const csv = `lot_number,owner_names\n1,Lee Owner\n2,Zo\uFFFD O\uFFFDBrien\n`;
    const r = await t.ok(admin, 'residents-import', { siteId, csv, mode: 'all' });
    expect(r.written).toBeNull();
    expect(r.problems).toEqual([
      { row: 3, column: null, reason: expect.stringMatching(/lost reading the file.*CSV UTF-8/) },
    ]);
    expect(await t.ok(admin, 'account-list', { siteId })).toEqual([]);
  });
});
