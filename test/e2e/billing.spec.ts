// Billing in the browser, the manager's walkthrough (issue 13): set the livery (colours and footer
// drawn live in the sample invoice before saving, a logo uploaded and drawn again after a reload), a quarterly cycle and a
// tariff; preview last quarter's run over sessions a simulated charger delivered, issue it, email
// it to the owners through a real SMTP server (the PDF attached; an owner without email listed to
// print), export it for StrataMax with the totals check shown before the file is saved (after
// editing the profile, its validation in words), and open the invoice PDF, which reads back as a
// tax invoice. Then the owner logs in as an EV user, sees their invoice and downloads its PDF.
// With SCREENSHOTS=1 (`npm run screenshots`) it refreshes docs/screenshots/billing-livery.png and
// billing-export.png.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import Papa from 'papaparse';
import { test, expect, shot } from './pages/fixtures';
import { setUpAndLogIn } from './pages/session';
import { adminApi, firstSiteId } from './pages/charger';
import { BillingPage } from './pages/billing-page';
import { Shell } from './pages/shell';
import { LoginPage } from './pages/login-page';
import { mailSettingsFor, startSmtpServer } from './support/smtp';
import { pdfText } from '../support/pdf-text';
import { billedLastMonth } from './pages/billing-setup';

const MIN = 60_000;
/** The strata company's logo: plain shapes in its brand colour (an SVG an invoice can draw). */
const LOGO_SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60" viewBox="0 0 120 60">' +
    '<rect x="0" y="0" width="60" height="60" rx="10" fill="#6a1b9a"/>' +
    '<polygon points="12,46 30,12 48,46" fill="#ffffff"/>' +
    '<rect x="66" y="14" width="50" height="8" fill="#6a1b9a"/>' +
    '<rect x="66" y="30" width="36" height="8" fill="#e65100"/>' +
    '</svg>',
);
const p2 = (n: number) => String(n).padStart(2, '0');
const iso = (d: Date) => `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`;
const dmy = (d: Date) => `${p2(d.getUTCDate())}/${p2(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;

/** The last whole calendar quarter (quarters end Mar, Jun, Sep, Dec): its first and last day,
 *  and a 10:00 UTC moment on the 10th of its first and its last month. */
function lastQuarter() {
  const now = new Date();
  const first = Math.floor(now.getUTCMonth() / 3) * 3 - 3;
  const start = new Date(Date.UTC(now.getUTCFullYear(), first, 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), first + 3, 0));
  return {
    start,
    end,
    early: Date.UTC(now.getUTCFullYear(), first, 10, 0),
    late: Date.UTC(now.getUTCFullYear(), first + 2, 10, 0),
  };
}

/** The invoice PDF a received email carries, decoded. */
function attachedPdf(raw: string): Buffer {
  const m = /Content-Type: application\/pdf[^]*?\r\n\r\n([A-Za-z0-9+/=\r\n]+)/.exec(raw);
  return Buffer.from(m?.[1] ?? '', 'base64');
}

test('a manager sets the livery, runs, issues, emails and exports a quarter; the owner sees their invoice', async ({
  page,
  service,
  charger,
}) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1400, height: 1000 });
  const admin = await setUpAndLogIn(page, service.httpUrl);
  const smtp = await startSmtpServer();
  try {
    await walkthrough(smtp);
  } finally {
    await smtp.stop();
  }

  async function walkthrough(smtp: Awaited<ReturnType<typeof startSmtpServer>>) {
    const api = await adminApi(service, admin);
    const siteId = await firstSiteId(api);
    await api.call('mail-settings-update', mailSettingsFor(smtp, 'accounts@harbourstrata.example'));
    await api.call('station-create', {
      siteId,
      identity: 'SIM-BILL',
      name: 'Bay 3',
      connectorCount: 1,
    });
    const ravi = await api.call<{ id: number }>('account-create', {
      siteId,
      lotNumber: '7',
      unitNumber: '702',
      ownerNames: 'Ravi Patel',
      postalAddress: '702/1 Harbour St, Sydney NSW 2000',
      invoiceEmails: ['ravi@example.com'],
      openedAt: Date.UTC(2020, 0, 1),
    });
    const mei = await api.call<{ id: number }>('account-create', {
      siteId,
      lotNumber: '9',
      unitNumber: '901',
      ownerNames: 'Mei Chen',
      openedAt: Date.UTC(2020, 0, 1),
    });
    await api.call('card-issue', { siteId, accountId: ravi.id, number: 'C0FFEE07' });
    await api.call('card-issue', { siteId, accountId: mei.id, number: 'C0FFEE09' });
    // Ravi's EV-user login, linked to him as the lot's resident (the EV-user spec does this in the UI).
    const owner = { email: 'ravi@example.com', password: 'a long enough passphrase' };
    const user = await api.call<{ id: number }>('user-create', {
      ...owner,
      name: 'Ravi Patel',
      role: 'ev_user',
      siteIds: [siteId],
    });
    const resident = await api.call<{ id: number }>('resident-create', {
      accountId: ravi.id,
      firstName: 'Ravi',
      lastName: 'Patel',
    });
    await api.call('resident-login-set', { id: resident.id, userId: user.id });

    // Last quarter: Ravi charges in its first and its last month, Mei once. Each session is two
    // hours at 7.36 kW: 12 samples of 1.2267 kWh = 14.720 kWh (the simulator's register keeps
    // the fractions of a Wh between samples).
    const q = lastQuarter();
    let clock = q.early;
    const sim = charger('SIM-BILL', { phases: 1, now: () => clock });
    expect(await sim.start()).toBe('Accepted');
    for (const [tag, at] of [
      ['C0FFEE07', q.early],
      ['C0FFEE09', q.early + 3 * 3600_000],
      ['C0FFEE07', q.late],
    ] as const) {
      clock = at;
      await sim.startTransaction(1, tag);
      for (let i = 0; i < 12; i++) {
        clock += 10 * MIN;
        sim.advanceMeter(1, 600);
        await sim.meterValues(1);
      }
      await sim.stopTransaction(1);
    }

    // The livery: the sample invoice follows the form as the manager types, before saving.
    const billing = new BillingPage(page);
    await billing.open(service.httpUrl);
    const issuer = {
      name: 'Harbour Strata Management',
      abn: '51 824 753 556',
      address: 'Level 3, 1 George St, Sydney NSW 2000',
    };
    await billing.fillIssuer(issuer, 'Quarterly');
    const preview = billing.liveryPreview;
    await expect(preview.getByTestId('preview-issuer')).toHaveText(issuer.name);
    await expect(preview).toContainText('Tax invoice');
    await expect(preview).toContainText('ABN 51 824 753 556');
    await page.getByRole('textbox', { name: 'Brand colour' }).fill('#6a1b9a');
    await page.getByRole('textbox', { name: 'Accent colour' }).fill('#e65100');
    await billing.field('Footer text').fill('Harbour Strata Management · strata@harbour.example');
    await expect(preview.getByTestId('preview-issuer')).toHaveCSS('color', 'rgb(106, 27, 154)');
    await expect(preview.getByTestId('preview-table-header')).toHaveCSS(
      'background-color',
      'rgb(106, 27, 154)',
    );
    await expect(preview.getByTestId('preview-payment')).toHaveCSS(
      'border-top-color',
      'rgb(230, 81, 0)',
    );
    await expect(preview).toContainText('strata@harbour.example');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Billing settings saved')).toBeVisible();
    await billing.chooseLogo({ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: LOGO_SVG });
    await expect(page.getByText('Logo saved')).toBeVisible();
    await expect(preview.getByRole('img', { name: 'Logo' })).toBeVisible();
    await expect(page.getByText(/Current logo: image\/svg\+xml/)).toBeVisible();
    // Another day (a reload): the preview draws the stored logo, fetched from the core.
    await page.reload();
    await billing.tab('Settings').click();
    const savedLogo = preview.getByRole('img', { name: 'Logo' });
    await expect(savedLogo).toBeVisible();
    await expect
      .poll(() => savedLogo.evaluate((img: { naturalWidth: number }) => img.naturalWidth))
      .toBe(120);
    await shot(page, 'billing-livery');
    if (process.env.SCREENSHOTS) {
      // Once the notifications have gone (they close themselves), so they hide nothing.
      await expect(page.getByText('Logo saved')).toBeHidden();
      await expect(page.getByText('Billing settings saved')).toBeHidden();
      await preview.scrollIntoViewIfNeeded();
      await page.screenshot({ path: 'docs/screenshots/billing-livery.png' });
    }

    await billing.createFlatTariff('Residents', '35');
    await expect(page.getByText('Tariff saved')).toBeVisible();
    await billing.applyToSite();
    await expect(page.getByRole('table', { name: 'Tariff assignments' })).toContainText(
      'The whole site',
    );

    // The quarter's run. 35 c/kWh inc GST = 35 × 10/11 ex GST: each 14.720 kWh session → $4.683…
    // → $4.68 ex GST (each line rounded half up); GST 10 % of the invoice's ex GST, rounded once.
    // Ravi: 2 × $4.68 = $9.36, GST $0.94, $10.30. Mei: $4.68, GST $0.47, $5.15. Run: $15.45.
    await billing.previewRun(dmy(q.end));
    await expect(page.getByTestId('run-preview')).toContainText(`${dmy(q.start)} – ${dmy(q.end)}`);
    const raviRow = billing.preview.getByRole('row').filter({ hasText: 'Ravi Patel' });
    // Two sessions of 14.720 kWh.
    await expect(raviRow).toContainText('29.440 kWh');
    await expect(raviRow).toContainText('$9.36');
    await expect(raviRow).toContainText('$0.94');
    await expect(raviRow).toContainText('$10.30');
    const meiRow = billing.preview.getByRole('row').filter({ hasText: 'Mei Chen' });
    await expect(meiRow).toContainText('$5.15');
    await expect(meiRow).toContainText('No invoice email: print and post this invoice.');
    await shot(page, 'billing-preview');
    await billing.issue();
    await expect(page.getByText('Issued 2 invoices')).toBeVisible();
    // The issued run moves to "Issued runs"; its preview, empty now, goes away.
    await expect(page.getByTestId('run-preview')).toBeHidden();
    const runs = page.getByRole('table', { name: 'Issued runs' });
    await expect(runs).toContainText('$15.45');

    // Email: Ravi's invoice goes out with its PDF; Mei has no email, so hers is listed to print.
    await billing.emailRun(dmy(q.start));
    await expect(page.getByText('1 of 1 sent')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText('1 to print: no invoice email on the account')).toBeVisible();
    await expect(page.getByText(/Lot 9, Mei Chen/)).toBeVisible();
    // Mei's invoice, to print and post, is a click away.
    const toPrint = page.getByRole('table', { name: 'Invoices to print' });
    const printWait = page.waitForEvent('download');
    await toPrint.getByRole('button', { name: /^PDF of EV-\d{5}$/ }).click();
    const printed = await printWait;
    const printedText = (await pdfText(readFileSync(await printed.path()))).text;
    expect(printedText.replace(/\s+/g, ' ')).toContain('Mei Chen');
    expect(smtp.received.map((m) => m.to)).toEqual([['ravi@example.com']]);
    const mailed = await pdfText(attachedPdf(smtp.received[0]?.raw ?? ''));
    expect(mailed.text.replace(/\s+/g, ' ')).toContain('Total inc GST $10.30');
    await shot(page, 'billing-email');

    // Export for StrataMax: the check is on screen before anything is saved. The manager edits the
    // profile (an empty header is refused in words), then saves the file, which adds up.
    await billing.tab('Exports').click();
    await expect(billing.exportCheck).toContainText('The 2 rows add up to the run');
    await expect(billing.exportCheck).toContainText('Rows total $15.45 = run total $15.45 ✓');
    await shot(page, 'billing-export');
    if (process.env.SCREENSHOTS) {
      // After the emailing's notification has closed itself, so it hides nothing.
      await expect(page.getByText(/^Sending \d+ emails?$/)).toBeHidden({ timeout: 15_000 });
      await page.screenshot({ path: 'docs/screenshots/billing-export.png' });
    }
    await page.getByRole('button', { name: 'Edit profile…' }).click();
    const editor = billing.profileEditor;
    const header1 = editor.getByRole('textbox', { name: 'Header of column 1', exact: true });
    await header1.fill('');
    await expect(editor).toContainText('Column 1 has no header; every column needs one.');
    await expect(editor.getByRole('button', { name: 'Save profile' })).toBeDisabled();
    await header1.fill('Plan No');
    await editor.getByRole('combobox', { name: 'Date format' }).click();
    await page.getByRole('option', { name: /^yyyy-MM-dd/ }).click();
    await shot(page, 'billing-export-profile');
    await editor.getByRole('button', { name: 'Save profile' }).click();
    await expect(page.getByText('Export profile saved')).toBeVisible();
    await expect(page.getByText('Edited for this site')).toBeVisible();
    await expect(page.getByText(/dates yyyy-MM-dd/)).toBeVisible();
    await expect(billing.exportCheck).toContainText('Rows total $15.45 = run total $15.45 ✓');
    const file = await billing.saveExport();
    expect(file.suggestedFilename()).toBe(`stratamax-${iso(q.start)}-to-${iso(q.end)}.csv`);
    const csv = Papa.parse<Record<string, string>>(readFileSync(await file.path(), 'utf8'), {
      header: true,
      skipEmptyLines: true,
    });
    expect(csv.errors).toEqual([]);
    expect(csv.meta.fields?.[0]).toBe('Plan No');
    expect(csv.data.map((r) => r['Owner Name']).sort()).toEqual(['Mei Chen', 'Ravi Patel']);
    const cents = csv.data.reduce((s, r) => s + Math.round(Number(r['Amount Inc GST']) * 100), 0);
    expect(cents).toBe(1545);
    expect(csv.data.every((r) => /^\d{4}-\d\d-\d\d$/.test(r['Transaction Date'] ?? ''))).toBe(true);

    // The meter readings kind is checked in kWh; the edited profile goes back to its default.
    await page.getByText('Meter readings', { exact: true }).click();
    await expect(billing.exportCheck).toContainText(
      /Rows total 44\.\d{3} kWh = run total 44\.\d{3} kWh ✓/,
    );
    await page.getByText('Invoice lines', { exact: true }).click();
    await page.getByRole('button', { name: 'Back to default…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Use the default' }).click();
    await expect(page.getByText('Shipped default (inferred columns)')).toBeVisible();
    await expect(page.getByText(/dates dd\/MM\/yyyy/)).toBeVisible();

    await billing.tab('Invoices').click();
    const raviInvoice = billing.invoices.getByRole('row').filter({ hasText: 'Ravi Patel' });
    const number = (await raviInvoice.innerText()).match(/EV-\d{5}/)?.[0] ?? '';
    expect(number).toMatch(/^EV-\d{5}$/);
    await shot(page, 'billing-invoices');
    const download = await billing.downloadPdf(number);
    expect(download.suggestedFilename()).toBe(`invoice-${number}.pdf`);
    const text = (await pdfText(readFileSync(await download.path()))).text.replace(/\s+/g, ' ');
    for (const field of [
      'Tax invoice',
      'ABN 51 824 753 556',
      number,
      'Lot 7, Unit 702',
      'Ravi Patel',
      'Strata plan SP 12345',
      'Billing period: ' + `${dmy(q.start)} to ${dmy(q.end)}`,
      'Charging sessions (2,',
      'kWh × 35 c/kWh inc GST $4.68',
      'Total ex GST $9.36',
      'GST (10 %) $0.94',
      'Total inc GST $10.30',
      // The livery's footer.
      'Harbour Strata Management · strata@harbour.example',
    ])
      expect(text).toContain(field);

    // The owner, as an EV user: their invoice (sent) and its PDF, and nobody else's.
    api.close();
    const shell = new Shell(page);
    await shell.logout();
    await new LoginPage(page).login(owner.email, owner.password);
    const mine = page.getByRole('table', { name: 'Your invoices' });
    await expect(mine).toContainText(number);
    await expect(mine).toContainText('$10.30');
    await expect(mine).toContainText('sent');
    await expect(mine.getByRole('row')).toHaveCount(1);
    await shot(page, 'billing-ev-user-invoices');
    const wait = page.waitForEvent('download');
    await mine.getByRole('button', { name: 'PDF' }).click();
    const own = await wait;
    const ownText = (await pdfText(readFileSync(await own.path()))).text.replace(/\s+/g, ' ');
    expect(ownText).toContain(number);
    expect(ownText).toContain('Ravi Patel');
  }
});

test('the export screen refuses, in words, a file whose rows would not add up to the run', async ({
  page,
  service,
  charger,
}) => {
  // Last month's run issued: one invoice (pages/billing-setup.ts).
  const { api } = await billedLastMonth(page, service, charger, { samples: 6 });
  api.close();
  // A stored invoice amount that disagrees with its document (a damaged database file).
  const db = new Database(join(service.dataDir, 'stratacharge.db'));
  db.prepare(
    'UPDATE invoices SET gst_cents = gst_cents + 1, inc_gst_cents = inc_gst_cents + 1',
  ).run();
  db.close();

  const billing = new BillingPage(page);
  await billing.open(service.httpUrl);
  await billing.tab('Exports').click();
  await expect(page.getByRole('combobox', { name: 'Invoice run' })).toHaveValue(/ · 1 invoice · /);
  const check = page.getByRole('region', { name: 'Totals check' });
  await expect(check).toContainText('The rows do not add up to the run: the file is not saved');
  await expect(check).toContainText(/but the run's invoices total \$[\d.]+ .*please report this/);
  await expect(page.getByRole('button', { name: /^Save .*\.csv$/ })).toBeDisabled();
  await expect(
    page.getByText('The file cannot be saved until the rows add up to the run.'),
  ).toBeVisible();
  await shot(page, 'billing-export-mismatch');
});
