// The app frame: header (theme, user menu), main navigation and the navigator tree.
import type { Locator, Page } from '@playwright/test';

export class Shell {
  readonly userMenu: Locator;
  readonly themeToggle: Locator;
  /** The header badge shown while the API socket is down ("Reconnecting…"). */
  readonly linkState: Locator;
  readonly navigator: Locator;
  readonly mainNav: Locator;
  readonly siteContext: Locator;
  constructor(readonly page: Page) {
    this.userMenu = page.getByTestId('user-menu');
    this.themeToggle = page.getByTestId('theme-toggle');
    this.linkState = page.getByTestId('link-state');
    this.navigator = page.getByRole('navigation', { name: 'Navigator' });
    this.mainNav = page.locator('.mantine-AppShell-navbar');
    this.siteContext = page.getByTestId('site-context');
  }

  navLink(label: string): Locator {
    return this.mainNav.getByRole('link', { name: label, exact: true });
  }

  treeItem(label: string): Locator {
    return this.navigator.getByRole('link', { name: new RegExp(`^${escape(label)}`) });
  }

  async logout(): Promise<void> {
    await this.userMenu.click();
    await this.page.getByRole('menuitem', { name: 'Log out' }).click();
  }

  async open(label: string): Promise<void> {
    await this.navLink(label).click();
  }

  /** The html element's colour scheme ('light' | 'dark'). */
  colorScheme(): Promise<string | null> {
    return this.page.locator('html').getAttribute('data-mantine-color-scheme');
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
