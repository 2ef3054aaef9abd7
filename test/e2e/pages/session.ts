// Shortcuts for specs that start from a set-up, logged-in administrator.
import type { Page } from '@playwright/test';
import { expect, anAdmin, anOrganisation, aSite, type AdminData } from './fixtures';
import { SetupPage } from './setup-page';
import { Shell } from './shell';

export async function setUpAndLogIn(
  page: Page,
  url: string,
  admin: AdminData = anAdmin(),
): Promise<AdminData> {
  await page.goto(url);
  await new SetupPage(page).complete(admin, anOrganisation(), aSite());
  await expect(new Shell(page).userMenu).toContainText(admin.name);
  return admin;
}
