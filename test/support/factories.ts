// Small factories for API inputs: valid by default, override what the test is about.
import type { MethodInput } from '../../src-shared/api/contract';
import type { Connection } from '../../src-main/api/context';
import type { Role } from '../../src-shared/roles';
import type { TestCore } from './make-core';

let seq = 0;
const next = () => ++seq;

export const ADMIN_EMAIL = 'admin@example.com';
export const ADMIN_PASSWORD = 'correct horse battery';
export const USER_PASSWORD = 'a long user passphrase';

export function aSetup(
  update: Partial<MethodInput<'setup-complete'>> = {},
): MethodInput<'setup-complete'> {
  return {
    admin: { email: ADMIN_EMAIL, name: 'Ada Admin', password: ADMIN_PASSWORD },
    organisation: { name: 'Harbour Strata Management', abn: '51 824 753 556' },
    site: { name: 'Harbour View', strataPlan: 'SP 12345', timeZone: 'Australia/Sydney' },
    ...update,
  };
}

export function aSite(
  update: Partial<MethodInput<'site-create'>> = {},
): MethodInput<'site-create'> {
  const n = next();
  return { name: `Site ${n}`, timeZone: 'Australia/Sydney', address: `${n} George St`, ...update };
}

export function aFloor(
  siteId: number,
  update: Partial<MethodInput<'floor-create'>> = {},
): MethodInput<'floor-create'> {
  const n = next();
  return { siteId, name: `Level B${n}`, level: -1, ...update };
}

export function aStation(
  siteId: number,
  update: Partial<MethodInput<'station-create'>> = {},
): MethodInput<'station-create'> {
  const n = next();
  return { siteId, identity: `CP-${n}`, name: `Bay ${n}`, connectorCount: 1, ...update };
}

export function aUser(
  update: Partial<MethodInput<'user-create'>> = {},
): MethodInput<'user-create'> {
  const n = next();
  return {
    email: `user${n}@example.com`,
    name: `User ${n}`,
    role: 'support',
    siteIds: [],
    password: USER_PASSWORD,
    ...update,
  };
}

/** Runs first-run setup; returns the logged-in administrator's connection and the first site. */
export async function setupAdmin(t: TestCore, update: Partial<MethodInput<'setup-complete'>> = {}) {
  const admin = t.conn();
  await t.ok(admin, 'setup-complete', aSetup(update));
  const [site] = await t.ok(admin, 'site-list', {});
  if (!site) throw new Error('setup created no site');
  return { admin, site };
}

/** Creates a user with the role (as the administrator) and returns a connection logged in as them. */
export async function loginAs(
  t: TestCore,
  admin: Connection,
  role: Role,
  siteIds: number[] = [],
): Promise<{ conn: Connection; user: { id: number; email: string } }> {
  const input = aUser({ role, siteIds });
  const user = await t.ok(admin, 'user-create', input);
  const conn = t.conn(`10.0.0.${next() % 250}`);
  await t.ok(conn, 'session-login', { email: input.email, password: USER_PASSWORD });
  return { conn, user };
}
