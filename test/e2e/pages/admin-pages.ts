import { expect, type Download, type Locator, type Page } from '@playwright/test';

export class AuditPage {
  readonly table: Locator;
  readonly search: Locator;
  readonly exportCsv: Locator;
  constructor(readonly page: Page) {
    this.table = page.getByRole('table', { name: 'Audit entries' });
    this.search = page.getByRole('textbox', { name: 'Search' });
    this.exportCsv = page.getByRole('button', { name: 'Export CSV' });
  }

  async download(): Promise<Download> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.exportCsv.click(),
    ]);
    return download;
  }
}

export class UsersPage {
  readonly table: Locator;
  readonly addUser: Locator;
  constructor(readonly page: Page) {
    this.table = page.getByRole('table', { name: 'Users' });
    this.addUser = page.getByRole('main').getByRole('button', { name: 'Add user' });
  }

  async create(u: { name: string; email: string; role: string; password: string }): Promise<void> {
    await this.addUser.click();
    const dialog = this.page.getByRole('dialog', { name: 'Add user' });
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(u.name);
    await dialog.getByRole('textbox', { name: 'Email', exact: true }).fill(u.email);
    await dialog
      .getByRole('textbox', { name: 'Role' })
      .or(dialog.getByRole('combobox', { name: 'Role' }))
      .click();
    await this.page.getByRole('option', { name: u.role, exact: true }).click();
    await dialog.getByRole('textbox', { name: 'Initial password' }).fill(u.password);
    await dialog.getByRole('button', { name: 'Add user' }).click();
    await expect(dialog).toBeHidden();
  }
}
