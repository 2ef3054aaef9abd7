// The load-balancing page: the model editor (supply, circuits, station wiring) and the live view.
import type { Locator, Page } from '@playwright/test';

export class LoadBalancingPage {
  readonly errors: Locator;
  readonly liveChargers: Locator;
  constructor(readonly page: Page) {
    this.errors = page.getByTestId('model-errors');
    this.liveChargers = page.getByTestId('live-charger');
  }

  async tab(name: 'Live' | 'Model' | 'Log'): Promise<void> {
    await this.page.getByRole('tab', { name }).click();
  }

  async fill(label: string, value: string): Promise<void> {
    const input = this.page.getByLabel(label, { exact: true });
    await input.fill(value);
    await input.blur();
  }

  async choose(label: string, option: string): Promise<void> {
    await this.page
      .getByRole('textbox', { name: label, exact: true })
      .or(this.page.getByRole('combobox', { name: label, exact: true }))
      .first()
      .click();
    await this.page.getByRole('option', { name: option, exact: true }).click();
  }

  async addCircuit(): Promise<void> {
    await this.page.getByRole('button', { name: 'Add circuit' }).click();
  }

  async enable(): Promise<void> {
    await this.page.getByLabel('Balance the chargers of this site (send them limits)').check();
  }

  async saveAndApply(): Promise<void> {
    await this.page.getByRole('button', { name: 'Save', exact: true }).click();
    await this.page.getByRole('button', { name: 'Save and apply' }).click();
  }

  /** The live row of a charger. */
  charger(name: string): Locator {
    return this.liveChargers.filter({ hasText: name });
  }
}
