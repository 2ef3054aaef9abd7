// The station's Transactions tab: server-paged (PagedTable + pager) and the CSV export holds
// every session matching the tab's filters, not only the page shown (the sessions CSV, streamed
// by the core, filtered to this station and the tab's filters: the card matched exactly).
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import Papa from 'papaparse';
import { test, expect } from './pages/fixtures';
import { adminApi, stationInUi } from './pages/charger';

/** The tab's rows as [transaction id, card]. */
async function tableRows(page: Page): Promise<string[][]> {
  const rows = page.getByRole('table', { name: 'Transactions' }).locator('tbody tr');
  const out: string[][] = [];
  for (const row of await rows.all()) {
    const cells = row.locator('td');
    out.push([(await cells.nth(0).innerText()).trim(), (await cells.nth(2).innerText()).trim()]);
  }
  return out.sort();
}

/** Exports, reads the downloaded file back: its header and rows as [transaction id, card]. */
async function exportedRows(page: Page): Promise<{ header: string; rows: string[][] }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  const csv = (await readFile(await download.path(), 'utf8')).replace(/^\ufeff/, '');
  const records = Papa.parse<Record<string, string>>(csv.trim(), { header: true }).data;
  return {
    header: csv.split(/\r?\n/)[0] ?? '',
    rows: records.map((r) => [r['Transaction id'] ?? '', r.Card ?? '']).sort(),
  };
}

test('the Transactions tab pages its sessions and exports exactly its filtered view', async ({
  page,
  service,
  charger,
}) => {
  const { admin, station } = await stationInUi(page, service, {
    identity: 'SIM-TX-1',
    name: 'Bay 7',
  });
  const api = await adminApi(service, admin);
  for (const idTag of ['04A2', '04A23B1C']) {
    await api.call('id-tag-upsert', { idTag, status: 'Accepted' });
  }
  api.close();
  const sim = charger('SIM-TX-1');
  expect(await sim.start()).toBe('Accepted');
  // Card 04A2 twice (the second still charging), card 04A23B1C once in between.
  await sim.startTransaction(1, '04A2');
  sim.advanceMeter(1, 600);
  await sim.stopTransaction(1);
  await sim.startTransaction(1, '04A23B1C');
  sim.advanceMeter(1, 600);
  await sim.stopTransaction(1);
  await sim.startTransaction(1, '04A2');

  await station.tab('Transactions').click();
  await expect(page.getByTestId('pager-status')).toHaveText('Showing 1–3 of 3 sessions');
  const all = await tableRows(page);
  expect(all.map(([, card]) => card).sort()).toEqual(['04A2', '04A23B1C', '04A2'].sort());
  const unfiltered = await exportedRows(page);
  expect(unfiltered.header).toContain('Transaction id,Site,Station,Charge box id,Connector,Card');
  expect(unfiltered.rows).toEqual(all);

  // Card 04A2 exactly: 04A23B1C contains it but is not it, in the tab and in the file.
  await page.getByRole('textbox', { name: 'Card' }).fill('04A2');
  await expect(page.getByTestId('pager-status')).toHaveText('Showing 1–2 of 2 sessions');
  const filtered = await tableRows(page);
  expect(filtered.map(([, card]) => card)).toEqual(['04A2', '04A2']);
  expect((await exportedRows(page)).rows).toEqual(filtered);

  // And the status on top of it.
  await page.getByRole('combobox', { name: 'Status' }).click();
  await page.getByRole('option', { name: 'completed', exact: true }).click();
  await expect(page.getByTestId('pager-status')).toHaveText('Showing 1–1 of 1 sessions');
  const completed = await tableRows(page);
  expect(completed).toHaveLength(1);
  expect((await exportedRows(page)).rows).toEqual(completed);
  await sim.close();
});
