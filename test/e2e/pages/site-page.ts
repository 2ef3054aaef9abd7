import { expect, type Locator, type Page } from '@playwright/test';

/** The page's own title: the level-2 heading inside the main content (not a dialog's title). */
export function pageHeading(page: Page): Locator {
  return page.getByRole('main').getByRole('heading', { level: 2 });
}

export class DashboardPage {
  readonly addSite: Locator;
  constructor(readonly page: Page) {
    this.addSite = page.getByRole('main').getByRole('button', { name: 'Add site' });
  }

  async createSite(name: string, strataPlan: string): Promise<void> {
    await this.addSite.click();
    const dialog = this.page.getByRole('dialog', { name: 'Add site' });
    await dialog.getByRole('textbox', { name: 'Site name', exact: true }).fill(name);
    await dialog.getByRole('textbox', { name: 'Strata plan no.', exact: true }).fill(strataPlan);
    await dialog.getByRole('button', { name: 'Add site' }).click();
    // A successful save closes the dialog.
    await expect(dialog).toBeHidden();
  }
}

export class SitePage {
  readonly heading: Locator;
  readonly addFloor: Locator;
  readonly floors: Locator;
  readonly emptyState: Locator;
  constructor(readonly page: Page) {
    this.heading = pageHeading(page);
    this.addFloor = page.getByRole('main').getByRole('button', { name: 'Add floor' }).first();
    this.floors = page.getByRole('table', { name: 'Floors' });
    this.emptyState = page.getByRole('main').getByTestId('empty-state');
  }

  /** Opens the "Add floor" dialog and returns it. */
  async openAddFloor(): Promise<Locator> {
    await this.addFloor.click();
    const dialog = this.page.getByRole('dialog', { name: 'Add floor' });
    await expect(dialog).toBeVisible();
    return dialog;
  }

  async createFloor(name: string, level: number): Promise<void> {
    const dialog = await this.openAddFloor();
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
    await dialog.getByRole('textbox', { name: 'Level', exact: true }).fill(String(level));
    await dialog.getByRole('button', { name: 'Add floor' }).click();
    await expect(dialog).toBeHidden();
  }
}
