// Fuzzed admin API calls: every method of the contract, called as the administrator with inputs
// built from the method's own field names but random and hostile values (huge and negative
// numbers, long, empty and odd strings, wrong types, nulls). Every call must be answered, with a
// result or an error the contract defines other than `internal` (an unexpected throw is a bug:
// the user gets "something went wrong" instead of the field at fault), and the process must live.
import { describe, expect, it } from 'vitest';
import { contract } from '../../src-shared/api/contract';
import { ERROR_CODES } from '../../src-shared/api/result';
import { ADMIN, setupAndLogin } from './support/api';
import { testRng, type Rng } from './support/prng';
import { isAlive, serviceFor } from './support/service';

const CALLS = Number(process.env.API_FUZZ_CALLS ?? 2_000);
/** Methods that end the session, change the admin's own credentials or replace all data. */
const SKIPPED = new Set([
  'session-logout',
  'password-change',
  'backup-restore',
  'user-update',
  'user-delete',
  'user-password-reset',
  'setup-complete',
  'session-login',
  'session-resume',
]);

const STRINGS = [
  '',
  ' ',
  'x',
  'Harbour View',
  'a@example.com',
  "' OR 1=1 --",
  '../../etc/passwd',
  '%E0%A4%A',
  '\u0000',
  '💥'.repeat(50),
  'x'.repeat(300),
  'x'.repeat(100_000),
  'Australia/Sydney',
  'Not/AZone',
  '2026-12-01T00:00:00Z',
  'correct horse battery staple',
];
const NUMBERS = [0, 1, 2, 3, -1, 1.5, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, -1e308, 8.64e15 + 1];

function value(r: Rng, key: string): unknown {
  if (r.chance(0.15)) return r.pick<unknown>([null, true, [], {}, [1, 'x'], { id: 1 }]);
  if (
    /id$|Id$|Ids$|count$|Count$|limit|offset|hour|keep|level|minutes|Seconds|Days|Minutes|Wh$|A$/.test(
      key,
    )
  ) {
    const n = r.pick(NUMBERS);
    return key.endsWith('Ids') ? [n, r.pick(NUMBERS)] : n;
  }
  if (/from|to$|At$|Date|expiry/.test(key)) return r.pick([Date.now(), 0, -1, 1e300, 8.64e15 + 1]);
  return r.chance(0.8) ? r.pick(STRINGS) : r.pick(NUMBERS);
}

function inputFor(r: Rng, schema: unknown): Record<string, unknown> {
  const shape = (schema as { shape?: Record<string, unknown> }).shape ?? {};
  const keys = Object.keys(shape);
  const input: Record<string, unknown> = {};
  for (const key of keys) if (r.chance(0.7)) input[key] = value(r, key);
  if (r.chance(0.05)) input[`unknown${r.int(0, 9)}`] = 'x';
  return input;
}

describe('fuzzed admin API calls', () => {
  it('answers every call with a result or a defined error, never internal, and lives', async () => {
    const rand = testRng('fuzzed admin API calls');
    const svc = await serviceFor();
    const { api, siteId } = await setupAndLogin(svc.apiUrl);
    await api.ok('station-create', { siteId, name: 'Fuzz target', identity: 'API-FUZZ-1' });
    const methods = Object.keys(contract).filter((m) => !SKIPPED.has(m));
    const internal: string[] = [];
    const unknownCodes: string[] = [];
    const unknownMethods = new Set<string>();
    const byCode = new Map<string, number>();
    for (let i = 0; i < CALLS; i++) {
      const method = rand.pick(methods);
      const def = contract[method as keyof typeof contract];
      const input = inputFor(rand, def.input);
      const r = await api.call(method, input, 30_000);
      const code = r.ok ? 'ok' : r.error.code;
      byCode.set(code, (byCode.get(code) ?? 0) + 1);
      const shown = `${method} ${JSON.stringify(input).slice(0, 300)}`;
      if (!r.ok && r.error.code === 'internal') internal.push(shown);
      if (!r.ok && r.error.code === 'unknown-method') unknownMethods.add(method);
      if (!r.ok && !(ERROR_CODES as readonly string[]).includes(r.error.code))
        unknownCodes.push(shown);
      if (!r.ok && r.error.code === 'unauthenticated') {
        // Something ended the session (e.g. the administrator demoted): log in again.
        await api.ok('session-login', { email: ADMIN.email, password: ADMIN.password });
      }
    }
    console.info(
      `[reliability] API fuzz: ${CALLS} calls over ${methods.length} methods: ${JSON.stringify(Object.fromEntries(byCode))} (seed ${rand.seed})`,
    );
    expect(isAlive(svc), `the service died:\n${svc.output().slice(-2_000)}`).toBe(true);
    expect(unknownCodes, 'errors with a code the contract does not define').toEqual([]);
    expect(internal, 'calls answered "internal" (an unexpected throw)').toEqual([]);
    expect([...unknownMethods], 'contract methods the service does not know').toEqual([]);
    api.close();
  });
});
