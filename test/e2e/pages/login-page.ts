import type { Locator, Page } from '@playwright/test';

export class LoginPage {
  readonly form: Locator;
  readonly email: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly error: Locator;
  readonly notice: Locator;
  constructor(readonly page: Page) {
    this.form = page.getByRole('form', { name: 'Log in' });
    this.email = this.form.getByRole('textbox', { name: 'Email' });
    this.password = this.form.getByRole('textbox', { name: 'Password' });
    this.submit = this.form.getByRole('button', { name: 'Log in' });
    this.error = page.getByTestId('login-error');
    this.notice = page.getByTestId('login-notice');
  }

  async login(email: string, password: string): Promise<void> {
    await this.email.fill(email);
    await this.password.fill(password);
    await this.submit.click();
  }
}
