// A residents CSV saved by Excel on Windows as plain "CSV (Comma delimited)" is Windows-1252, not
// UTF-8: é and ’ are single bytes. Imported through the Import tab, the names arrive as written
// (they used to arrive as "Zo�" and "O�Brien"), and a file whose characters were already lost
// is refused on its row, nothing written.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';

/** Windows-1252 bytes of a text whose only non-ASCII characters are é, ë and ’. */
function cp1252(text: string): Buffer {
  const map: Record<string, number> = { é: 0xe9, ë: 0xeb, '’': 0x92 };
  return Buffer.from([...text].map((ch) => map[ch] ?? ch.charCodeAt(0)));
}

test('a Windows-1252 residents CSV imports with its accents and apostrophes intact', async ({
  page,
  service,
}) => {
  await setUpAndLogIn(page, service.httpUrl);
  const dir = mkdtempSync(join(tmpdir(), 'residents-cp1252-'));
  const file = join(dir, 'residents.csv');
  writeFileSync(
    file,
    cp1252(
      'lot_number,owner_names,first_name,last_name\r\n' +
        '1,Zoë O’Brien,Zoë,O’Brien\r\n' +
        '2,Renée Smith,Renée,Smith\r\n',
    ),
  );
  await page.getByRole('link', { name: 'Residents & cards' }).click();
  await page.getByRole('tab', { name: 'Import' }).click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Choose CSV file…' }).click();
  await (await chooser).setFiles(file);
  await page.getByRole('button', { name: 'Import 2 rows' }).click();
  await expect(page.getByText('2 account(s), 2 resident(s) and 0 card(s) added.')).toBeVisible();
  await page.getByRole('tab', { name: 'Accounts' }).click();
  await expect(page.getByRole('row', { name: /Zoë O’Brien/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /Renée Smith/ })).toBeVisible();
  await expect(page.getByText('�')).toHaveCount(0);
});
