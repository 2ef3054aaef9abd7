import type { Locator, Page } from '@playwright/test';
import type { AdminData, OrganisationData, SiteData } from './fixtures';

export class SetupPage {
  readonly form: Locator;
  readonly next: Locator;
  readonly finish: Locator;
  readonly timeZone: Locator;
  constructor(readonly page: Page) {
    this.form = page.getByRole('form', { name: 'First-run setup' });
    this.next = this.form.getByRole('button', { name: 'Next' });
    this.finish = this.form.getByRole('button', { name: 'Finish setup' });
    this.timeZone = this.form
      .getByRole('textbox', { name: 'Time zone' })
      .or(this.form.getByRole('combobox', { name: 'Time zone' }));
  }

  field(label: string | RegExp): Locator {
    return this.form.getByRole('textbox', { name: label, exact: typeof label === 'string' });
  }

  /** The error messages shown under the fields right now, in page order. */
  async fieldErrors(): Promise<string[]> {
    return (await this.form.locator('[id$="-error"]').allTextContents()).map((t) => t.trim());
  }

  /** Which step is showing, by its label ("Administrator", "Organisation", "First site"). */
  currentStep(): Locator {
    return this.form.locator('.mantine-Stepper-step[data-progress]');
  }

  async fillAdmin(a: AdminData): Promise<void> {
    await this.field('Your name').fill(a.name);
    await this.field('Email').fill(a.email);
    await this.field('Password').fill(a.password);
    await this.field('Confirm password').fill(a.password);
    await this.next.click();
  }

  async fillOrganisation(o: OrganisationData): Promise<void> {
    await this.field('Organisation name').fill(o.name);
    await this.field('ABN').fill(o.abn);
    await this.field('Email').fill(o.email);
    await this.field('Phone').fill(o.phone);
    await this.next.click();
  }

  async fillSite(s: SiteData): Promise<void> {
    await this.field('Site name').fill(s.name);
    await this.field('Strata plan no.').fill(s.strataPlan);
    await this.field('Address').fill(s.address);
  }

  /** The whole wizard with valid data. */
  async complete(a: AdminData, o: OrganisationData, s: SiteData): Promise<void> {
    await this.fillAdmin(a);
    await this.fillOrganisation(o);
    await this.fillSite(s);
    await this.finish.click();
  }
}
