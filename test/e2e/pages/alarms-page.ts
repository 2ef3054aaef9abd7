// The alarms page: its tabs (active, history, event log, my notifications, rules), a row by its
// alarm's words, and the offline grace period in the rules.
import { expect, type Locator, type Page } from '@playwright/test';

export class AlarmsPage {
  readonly prefs: Locator;
  constructor(readonly page: Page) {
    this.prefs = page.getByRole('region', { name: 'My notifications' });
  }

  /** Opens the page from the main navigation (the link carries the active count). */
  async open(tab?: string): Promise<void> {
    await this.page
      .locator('.mantine-AppShell-navbar')
      .getByRole('link', { name: /^Alarms/ })
      .click();
    if (tab) await this.tab(tab).click();
  }

  tab(name: string): Locator {
    return this.page.getByRole('tab', { name: new RegExp(`^${name}`) });
  }

  /** The row (of the table shown) whose alarm mentions `text`. */
  row(text: string): Locator {
    return this.page.getByRole('row').filter({ hasText: text }).first();
  }

  /** Sets the charger-offline grace period on the Rules tab (administrators). */
  async setGrace(seconds: number): Promise<void> {
    const rule = this.page.getByTestId('rule-station-offline');
    await rule.getByRole('textbox').fill(String(seconds));
    await rule.getByRole('button', { name: 'Save Charger offline' }).click();
    await expect(this.page.getByText('Charger offline saved')).toBeVisible();
  }
}
