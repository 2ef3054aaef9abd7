// Playwright fixtures for the UI specs: every test gets its own built service (temp data dir,
// port 0) and a page opened on it. Screenshots for layout review go to /tmp/shots when
// SHOTS=1 (development aid; not part of the assertions).
import { test as base, expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { startService, type RunningServer } from '../support/server';
import { SimCharger, type SimOptions } from '../../../src-main/sim/charger';

/** A simulated charger for the test's service (not started: configure it, then `start()`). */
export type MakeCharger = (
  identity: string,
  opts?: Omit<SimOptions, 'url' | 'identity'>,
) => SimCharger;

export const test = base.extend<{ service: RunningServer; charger: MakeCharger }>({
  // Playwright reads the fixture's dependencies from the destructuring pattern: none here.
  // eslint-disable-next-line no-empty-pattern
  service: async ({}, use, testInfo) => {
    const svc = await startService();
    await use(svc);
    const code = await svc.stop({ removeData: true });
    if (testInfo.status !== testInfo.expectedStatus) console.log(svc.output());
    void code;
  },
  // Every charger made here is closed when the test ends, passed or failed.
  charger: async ({ service }, use) => {
    const made: SimCharger[] = [];
    await use((identity, opts = {}) => {
      const sim = new SimCharger({
        ...opts,
        url: service.ocppBaseUrl.replace(/\/$/, ''),
        identity,
      });
      made.push(sim);
      return sim;
    });
    await Promise.all(made.map((sim) => sim.close()));
  },
});

export { expect };

export async function shot(page: Page, name: string): Promise<void> {
  if (!process.env.SHOTS) return;
  mkdirSync('/tmp/shots', { recursive: true });
  await page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: true });
}

/** Test data factories. */
let counter = 0;
export function anAdmin(update: Partial<AdminData> = {}): AdminData {
  counter += 1;
  return {
    name: 'Alex Manager',
    email: `alex${counter}@harbourview.example`,
    password: 'correct horse battery staple',
    ...update,
  };
}
export interface AdminData {
  name: string;
  email: string;
  password: string;
}

export function anOrganisation(update: Partial<OrganisationData> = {}): OrganisationData {
  return {
    name: 'Harbour View Strata Management',
    // A valid ABN (ATO example): passes the checksum.
    abn: '51 824 753 556',
    email: 'office@harbourview.example',
    phone: '02 9123 4567',
    ...update,
  };
}
export interface OrganisationData {
  name: string;
  abn: string;
  email: string;
  phone: string;
}

export function aSite(update: Partial<SiteData> = {}): SiteData {
  return {
    name: 'Harbour View Apartments',
    strataPlan: '12345',
    address: '1 Harbour St, Sydney NSW 2000',
    ...update,
  };
}
export interface SiteData {
  name: string;
  strataPlan: string;
  address: string;
}
