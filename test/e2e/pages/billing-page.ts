// Page model for Billing (#/billing): the tabs, the settings form, the tariff form, the run
// preview and the invoices table.
import type { Download, Page } from '@playwright/test';

export class BillingPage {
  constructor(private readonly page: Page) {}

  async open(httpUrl: string) {
    await this.page.goto(`${httpUrl}#/billing`);
  }
  tab(name: 'Invoice runs' | 'Invoices' | 'Tariffs' | 'Settings') {
    return this.page.getByRole('tab', { name });
  }
  field(label: RegExp | string) {
    return this.page.getByRole('textbox', { name: label });
  }

  async saveIssuer(issuer: { name: string; abn: string; address: string }) {
    await this.tab('Settings').click();
    await this.page.getByRole('combobox', { name: 'Cycle' }).click();
    await this.page.getByRole('option', { name: 'Monthly' }).click();
    await this.field(/^Name \(strata company/).fill(issuer.name);
    await this.field(/^ABN/).fill(issuer.abn);
    await this.field(/^Address/).fill(issuer.address);
    await this.page.getByRole('button', { name: 'Save settings' }).click();
  }

  async createFlatTariff(name: string, centsPerKwh: string) {
    await this.tab('Tariffs').click();
    await this.page.getByRole('button', { name: 'New tariff' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'New tariff' });
    await dialog.getByRole('textbox', { name: /^Name/ }).fill(name);
    await dialog.getByRole('textbox', { name: /^In effect from/ }).fill('2020-01-01');
    await dialog.getByRole('textbox', { name: 'Price per kWh (cents)' }).fill(centsPerKwh);
    await dialog.getByRole('button', { name: 'Save tariff' }).click();
  }

  async applyToSite() {
    await this.page.getByRole('button', { name: 'Apply', exact: true }).click();
  }

  get preview() {
    return this.page.getByRole('table', { name: 'Run preview' });
  }
  async previewRun(date: string) {
    await this.tab('Invoice runs').click();
    await this.field(/^A date in the billing period/).fill(date);
    await this.page.getByRole('button', { name: 'Preview run' }).click();
  }
  async issue() {
    await this.page.getByRole('button', { name: /^Issue \d+ invoices?$/ }).click();
    await this.page.getByRole('dialog').getByRole('button', { name: 'Issue invoices' }).click();
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
