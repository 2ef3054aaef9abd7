// Page model for Billing (#/billing): the tabs, the settings form with the livery and its live
// preview, the tariff form, the run preview, emailing a run, the accounting exports with their
// profile editor, the reports with their CSV export, and the invoices table.
import type { Download, Page } from '@playwright/test';

export class BillingPage {
  constructor(private readonly page: Page) {}

  async open(httpUrl: string) {
    await this.page.goto(`${httpUrl}#/billing`);
  }
  tab(name: 'Invoice runs' | 'Invoices' | 'Exports' | 'Reports' | 'Tariffs' | 'Settings') {
    return this.page.getByRole('tab', { name });
  }
  field(label: RegExp | string) {
    return this.page.getByRole('textbox', { name: label });
  }

  async saveIssuer(
    issuer: { name: string; abn: string; address: string },
    cycle: 'Monthly' | 'Quarterly' = 'Monthly',
  ) {
    await this.fillIssuer(issuer, cycle);
    await this.page.getByRole('button', { name: 'Save settings' }).click();
  }
  async fillIssuer(
    issuer: { name: string; abn: string; address: string },
    cycle: 'Monthly' | 'Quarterly',
  ) {
    await this.tab('Settings').click();
    await this.page.getByRole('combobox', { name: 'Cycle' }).click();
    await this.page.getByRole('option', { name: cycle }).click();
    await this.field(/^Name \(strata company/).fill(issuer.name);
    await this.field(/^ABN/).fill(issuer.abn);
    await this.field(/^Address/).fill(issuer.address);
  }

  /** The sample invoice drawn live from the form (not yet saved). */
  get liveryPreview() {
    return this.page.getByRole('figure', { name: 'Live preview of a sample invoice' });
  }
  async chooseLogo(file: { name: string; mimeType: string; buffer: Buffer }) {
    const chooser = this.page.waitForEvent('filechooser');
    await this.page.getByRole('button', { name: 'Choose logo…' }).click();
    await (await chooser).setFiles(file);
  }

  async createFlatTariff(name: string, centsPerKwh: string) {
    await this.tab('Tariffs').click();
    await this.page.getByRole('button', { name: 'New tariff' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'New tariff' });
    await dialog.getByRole('textbox', { name: /^Name/ }).fill(name);
    const from = dialog.getByRole('textbox', { name: /^In effect from/ });
    await from.fill('01/01/2020');
    await from.press('Enter');
    await dialog.getByRole('textbox', { name: 'Price per kWh (cents)' }).fill(centsPerKwh);
    await dialog.getByRole('button', { name: 'Save tariff' }).click();
  }

  async applyToSite() {
    await this.page.getByRole('button', { name: 'Apply', exact: true }).click();
  }

  get preview() {
    return this.page.getByRole('table', { name: 'Run preview' });
  }
  /** Previews the run of the period holding `ddmmyyyy`, typed as a person does, then Enter. */
  async previewRun(ddmmyyyy: string) {
    await this.tab('Invoice runs').click();
    const date = this.field(/^A date in the billing period/);
    await date.fill(ddmmyyyy);
    // Enter previews (the keyboard path; the button does the same).
    await date.press('Enter');
  }
  async issue() {
    await this.page.getByRole('button', { name: /^Issue \d+ invoices?$/ }).click();
    await this.page.getByRole('dialog').getByRole('button', { name: 'Issue invoices' }).click();
  }

  /** Emails the run of the row holding `period` to the owners, after confirming. */
  async emailRun(period: string) {
    const row = this.page.getByRole('table', { name: 'Issued runs' }).getByRole('row', {
      name: new RegExp(period),
    });
    await row.getByRole('button', { name: 'Email to owners…' }).click();
    await this.page.getByRole('button', { name: /^Email \d+ to owners$/ }).click();
    await this.page.getByRole('dialog').getByRole('button', { name: 'Send' }).click();
  }

  get exportCheck() {
    return this.page.getByRole('region', { name: 'Totals check' });
  }
  get profileEditor() {
    return this.page.getByRole('dialog', { name: /^Edit export profile/ });
  }
  async saveExport(): Promise<Download> {
    const wait = this.page.waitForEvent('download');
    await this.page.getByRole('button', { name: /^Save .*\.csv$/ }).click();
    return wait;
  }

  get reportTable() {
    return this.page.getByRole('table', { name: 'Billing report by period' });
  }
  /** Types a date (dd/mm/yyyy) into one of the report's date boxes. */
  async reportDate(box: 'From' | 'To', ddmmyyyy: string) {
    const input = this.page.getByRole('textbox', { name: box, exact: true });
    await input.fill(ddmmyyyy);
    await input.press('Enter');
  }
  async exportReport(): Promise<Download> {
    const wait = this.page.waitForEvent('download');
    await this.page.getByRole('button', { name: 'Export CSV' }).click();
    return wait;
  }

  get invoices() {
    return this.page.getByRole('table', { name: 'Invoices' });
  }
  async downloadPdf(number: string): Promise<Download> {
    const row = this.invoices.getByRole('row').filter({ hasText: number });
    const wait = this.page.waitForEvent('download');
    await row.getByRole('button', { name: 'PDF' }).click();
    return wait;
  }
}
