import { expect, type Locator, type Page } from '@playwright/test';

export class FloorPage {
  readonly addStation: Locator;
  constructor(readonly page: Page) {
    this.addStation = page.getByRole('main').getByRole('button', { name: 'Add station' }).first();
  }

  async createStation(identity: string, name: string): Promise<void> {
    await this.addStation.click();
    const dialog = this.page.getByRole('dialog', { name: 'Add station' });
    await dialog.getByRole('textbox', { name: 'Charge box id', exact: true }).fill(identity);
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
    await dialog.getByRole('button', { name: 'Add station' }).click();
    await expect(dialog).toBeHidden();
  }
}

export class StationPage {
  readonly connection: Locator;
  readonly outlets: Locator;
  constructor(readonly page: Page) {
    this.connection = page.getByTestId('connection-state');
    this.outlets = page.getByRole('table', { name: 'Outlets' });
  }

  outletStatus(n: number): Locator {
    return this.page.getByTestId(`connector-${n}`).getByTestId('connector-status');
  }

  tab(name: 'General' | 'Control' | 'OCPP configuration' | 'Transactions' | 'OCPP log'): Locator {
    return this.page.getByRole('tab', { name });
  }

  card(title: string): Locator {
    return this.page.getByRole('region', { name: title });
  }

  async reset(type: 'Soft' | 'Hard'): Promise<Locator> {
    const card = this.card('Reset');
    await card.getByText(type, { exact: true }).click();
    await card.getByRole('button', { name: 'Reset charger' }).click();
    await this.page
      .getByRole('dialog')
      .getByRole('button', { name: `${type} reset` })
      .click();
    return card.getByTestId('outcome');
  }

  configRow(key: string): Locator {
    return this.page.getByTestId(`config-${key}`);
  }

  configSave(row: Locator): Locator {
    return row.getByRole('button', { name: 'Save', exact: true });
  }

  /** The row's button once the charger stored the value. */
  configSaved(row: Locator): Locator {
    return row.getByRole('button', { name: 'Saved', exact: true });
  }

  /** "Reset the charger for the change to take effect" after a RebootRequired answer. */
  get rebootNotice(): Locator {
    return this.page.getByTestId('reboot-required');
  }
}
