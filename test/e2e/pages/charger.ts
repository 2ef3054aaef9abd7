// The preamble the charger specs share, in one place: a set-up administrator who adds a floor
// and a station through the UI and lands on the station's page; an API session logged in as
// that administrator for seeding (cards, more stations); the charger itself is the `charger`
// fixture (pages/fixtures.ts), closed when the test ends.
import type { Page } from '@playwright/test';
import { expect, type AdminData } from './fixtures';
import { ApiSession } from './api';
import { setUpAndLogIn } from './session';
import { Shell } from './shell';
import { SitePage, pageHeading } from './site-page';
import { FloorPage, StationPage } from './station-page';
import type { RunningServer } from '../support/server';

/** The site every spec's setup creates (pages/fixtures.ts aSite). */
export const FIRST_SITE = 'Harbour View Apartments';

export interface StationInUi {
  admin: AdminData;
  shell: Shell;
  station: StationPage;
}

/**
 * Sets up the service, logs in, adds `floor` to the first site and the station on it, and waits
 * for the station's page (its name as the heading).
 */
export async function stationInUi(
  page: Page,
  service: RunningServer,
  opts: { identity: string; name: string; floor?: string; level?: number },
): Promise<StationInUi> {
  const { identity, name, floor = 'Basement 1', level = -1 } = opts;
  const admin = await setUpAndLogIn(page, service.httpUrl);
  const shell = new Shell(page);
  await shell.treeItem(FIRST_SITE).click();
  await new SitePage(page).createFloor(floor, level);
  await shell.treeItem(floor).click();
  await new FloorPage(page).createStation(identity, name);
  await expect(pageHeading(page)).toContainText(name);
  return { admin, shell, station: new StationPage(page) };
}

/** An API session logged in as the administrator; close it when done seeding. */
export async function adminApi(service: RunningServer, admin: AdminData): Promise<ApiSession> {
  const api = await ApiSession.open(service.apiUrl);
  await api.call('session-login', { email: admin.email, password: admin.password });
  return api;
}

/** The first site's id (for seeding through the API). */
export async function firstSiteId(api: ApiSession): Promise<number> {
  const [site] = await api.call<{ id: number }[]>('site-list', {});
  if (!site) throw new Error('setup created no site');
  return site.id;
}
