import { expect, type Download, type Locator, type Page } from '@playwright/test';

/** "Showing 1–50 of 1,234" with previous/next, under a paged table. */
export class Pager {
  readonly status: Locator;
  readonly next: Locator;
  readonly previous: Locator;
  constructor(scope: Locator) {
    this.status = scope.getByTestId('pager-status');
    this.next = scope.getByRole('button', { name: 'Next' });
    this.previous = scope.getByRole('button', { name: 'Previous' });
  }
}

export class AuditPage {
  readonly table: Locator;
  readonly rows: Locator;
  readonly search: Locator;
  readonly action: Locator;
  readonly exportCsv: Locator;
  readonly pager: Pager;
  constructor(readonly page: Page) {
    const main = page.getByRole('main');
    this.table = main.getByRole('table', { name: 'Audit entries' });
    this.rows = this.table.locator('tbody tr[aria-expanded]');
    this.search = main.getByRole('textbox', { name: 'Search' });
    this.action = main.getByRole('textbox', { name: 'Action' });
    this.exportCsv = main.getByRole('button', { name: 'Export CSV' });
    this.pager = new Pager(main);
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
