// Billing → Reports in the browser (issue 13): a manager opens the tab over last month's issued
// run (a simulated charger's session), narrows the range to last month, enters an electricity
// cost, sees revenue, cost and margin in the table, and exports it: the CSV holds the table's
// rows (the same periods and amounts) and a total. A range the wrong way round is refused in
// words, the previous range's figures are taken away and the export is not offered for it.
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { test, expect, shot } from './pages/fixtures';
import { BillingPage } from './pages/billing-page';
import { billedLastMonth, isoDate } from './pages/billing-setup';

const p2 = (n: number) => String(n).padStart(2, '0');
const dmy = (d: Date) => `${p2(d.getUTCDate())}/${p2(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;

test('a manager filters the billing report, enters a cost and exports what the table shows', async ({
  page,
  service,
  charger,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1400, height: 1000 });
  const { api, endedAt } = await billedLastMonth(page, service, charger, { samples: 6 });
  api.close();
  const ended = new Date(endedAt);
  const first = new Date(Date.UTC(ended.getUTCFullYear(), ended.getUTCMonth(), 1));
  const last = new Date(Date.UTC(ended.getUTCFullYear(), ended.getUTCMonth() + 1, 0));
  const label = first.toLocaleString('en-AU', { month: 'long', year: 'numeric', timeZone: 'UTC' });

  const billing = new BillingPage(page);
  await billing.open(service.httpUrl);
  await billing.tab('Reports').click();
  const table = billing.reportTable;
  await expect(table).toBeVisible();

  // Last month only, at 25 c/kWh.
  await billing.reportDate('From', dmy(first));
  await billing.reportDate('To', dmy(last));
  await page.getByText('Per kWh', { exact: true }).click();
  await page.getByRole('textbox', { name: 'Cost (c/kWh ex GST)' }).fill('25');
  await expect(table.getByRole('columnheader', { name: 'Margin' })).toBeVisible();
  const rows = table.getByRole('row');
  // Header, last month, the total.
  await expect(rows).toHaveCount(3);
  const month = rows.filter({ hasText: label });
  await expect(month).toContainText(/\$\d+\.\d\d/);
  const cells = async (row: typeof month) =>
    (await row.getByRole('cell').allInnerTexts()).map((c) => c.trim());
  const shown = await cells(month);
  const shownTotal = await cells(rows.filter({ hasText: 'Total' }));
  await shot(page, 'billing-reports');

  const file = await billing.exportReport();
  expect(file.suggestedFilename()).toBe(`billing-report-${isoDate(first)}-to-${isoDate(last)}.csv`);
  const csv = Papa.parse<Record<string, string>>(
    readFileSync(await file.path(), 'utf8').replace(/^\ufeff/, ''),
    { header: true, skipEmptyLines: true },
  );
  expect(csv.errors).toEqual([]);
  expect(csv.data.map((r) => r.Period)).toEqual([label, 'Total']);
  // The file's figures are the table's: $ amounts and counts as shown, kWh to the table's 0.1.
  const money = (v: string | undefined) => `$${Number(v).toFixed(2)}`;
  const [row, total] = csv.data;
  for (const [r, s] of [
    [row, shown],
    [total, shownTotal],
  ] as const) {
    expect(s[1]).toBe(r?.Invoices);
    expect(s[2]).toBe(money(r?.['Revenue ex GST ($)']));
    expect(s[3]).toBe(money(r?.['GST ($)']));
    expect(s[4]).toBe(money(r?.['Inc GST ($)']));
    expect(s[5]).toBe(Number(r?.['Delivered kWh']).toFixed(1));
    expect(s[8]).toBe(money(r?.['Electricity cost ex GST ($)']));
    expect(s[9]).toBe(money(r?.['Margin ex GST ($)']));
  }
  expect(row?.['Run issued']).toBe('yes');
  expect(row?.From).toBe(dmy(first));
  expect(Number(row?.['Inc GST ($)'])).toBeGreaterThan(0);
  // Margin = revenue ex GST − cost, to the cent.
  const cents = (v: string | undefined) => Math.round(Number(v) * 100);
  expect(cents(row?.['Margin ex GST ($)'])).toBe(
    cents(row?.['Revenue ex GST ($)']) - cents(row?.['Electricity cost ex GST ($)']),
  );

  // The range the wrong way round: said in words, and no export of it.
  await billing.reportDate('From', dmy(new Date(last.getTime() + 86_400_000)));
  await billing.reportDate('To', dmy(first));
  await expect(page.getByText('The report’s end date is before its start date.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Export CSV' })).toBeDisabled();
  // Last month's figures are not left on screen under the refusal.
  await expect(table).toBeHidden();
  await shot(page, 'billing-reports-backwards');
});
