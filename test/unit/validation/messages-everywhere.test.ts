// Issue 8 #14 across the whole contract: every method, given wrong types, out-of-range numbers and
// over-long text in every field, answers through the real dispatcher with messages in words: one
// sentence per field, naming it, and none of zod's own wording ("Too big: expected number to be
// <=90").
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { contract, type MethodName } from '../../../src-shared/api/contract';
import { checkInput } from '../../../src-shared/api/check-input';
import { makeCore } from '../../support/make-core';
import { setupAdmin } from '../../support/factories';

const RAW = /expected|received|Too (big|small)|Invalid input|<=|>=|nonoptional|Unrecognized|NaN/;

type Def = { type: string; shape?: Record<string, z.ZodType> };
const shapeOf = (schema: unknown): Record<string, z.ZodType> | null => {
  let s = schema as { _zod: { def: Def & Record<string, unknown> } };
  // Unwrap refinements' pipes and the like down to the object.
  for (let i = 0; i < 5 && s._zod.def.type !== 'object'; i++) {
    const d = s._zod.def;
    const next = (d.in ?? d.innerType) as typeof s | undefined;
    if (!next) return null;
    s = next;
  }
  return s._zod.def.shape ?? null;
};

/** Bad values of every kind, for every top-level field. */
const BAD: unknown[] = [{}, 'x'.repeat(5_000), -1e12, 1e12, 1.55, true, [1, 2], ''];

describe('validation messages across the contract', () => {
  it('are sentences naming the field for every method and every kind of bad value', async () => {
    const t = await makeCore();
    const { admin } = await setupAdmin(t);
    const seen: string[] = [];
    for (const method of Object.keys(contract) as MethodName[]) {
      const shape = shapeOf(contract[method].input);
      if (!shape) continue;
      for (const key of Object.keys(shape)) {
        for (const bad of BAD) {
          const input = { [key]: bad };
          // Only inputs the contract refuses reach the dispatcher (nothing is run).
          if (checkInput(method, input) === null) continue;
          const r = await t.call(admin, method, input as never);
          if (r.ok) throw new Error(`${method} accepted ${JSON.stringify(input).slice(0, 80)}`);
          expect(r.error.code, method).toBe('validation');
          for (const f of r.error.fields ?? []) {
            const where = `${method} ${f.field} ← ${JSON.stringify(bad).slice(0, 20)}`;
            expect.soft(f.message, where).not.toMatch(RAW);
            expect.soft(f.message, where).toMatch(/^[A-Z].*[.)]$/);
            seen.push(f.message);
          }
        }
      }
    }
    // The sweep reached a meaningful share of the contract.
    if (process.env.SHOW_MESSAGES) console.log([...new Set(seen)].sort().join('\n'));
    expect(new Set(seen).size).toBeGreaterThan(100);
  });
});
