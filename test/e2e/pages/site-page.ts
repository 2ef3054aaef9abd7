import type { Locator, Page } from '@playwright/test';

export class DashboardPage {
  readonly addSite: Locator;
  constructor(readonly page: Page) {
    this.addSite = page.getByRole('button', { name: 'Add site' });
  }

  async createSite(name: string, strataPlan: string): Promise<void> {
    await this.addSite.click();
    const dialog = this.page.getByRole('dialog', { name: 'Add site' });
    await dialog.getByRole('textbox', { name: 'Site name', exact: true }).fill(name);
    await dialog.getByRole('textbox', { name: 'Strata plan no.', exact: true }).fill(strataPlan);
    await dialog.getByRole('button', { name: 'Add site' }).click();
  }
}

export class SitePage {
  readonly heading: Locator;
  readonly addFloor: Locator;
  readonly floors: Locator;
  readonly emptyState: Locator;
  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 2 });
    this.addFloor = page.getByRole('button', { name: 'Add floor' });
    this.floors = page.getByRole('table', { name: 'Floors' });
    this.emptyState = page.getByTestId('empty-state');
  }

  async createFloor(name: string, level: number): Promise<void> {
    await this.addFloor.click();
    const dialog = this.page.getByRole('dialog', { name: 'Add floor' });
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
    await dialog.getByRole('textbox', { name: 'Level', exact: true }).fill(String(level));
    await dialog.getByRole('button', { name: 'Add floor' }).click();
  }
}
