// Every text and list field of every API method's input has an upper bound. An unbounded one let a
// 5 MB name close the API socket and a 3 MB audit filter reach SQLite as a LIKE pattern
// ("pattern too complex" → internal). This walks the real contract, so a new method cannot forget.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { contract } from '../../../src-shared/api/contract';

type Def = { type: string; checks?: unknown[] } & Record<string, unknown>;
const defOf = (s: unknown): Def => (s as { _zod: { def: Def } })._zod.def;
/** The schema's max_length check, if any (zod fills `_zod.bag` lazily, the checks eagerly). */
const maxLength = (s: unknown): number | undefined =>
  ((defOf(s).checks ?? []) as { _zod: { def: { check: string; maximum?: number } } }[])
    .map((c) => c._zod.def)
    .find((c) => c.check === 'max_length')?.maximum;

/** Paths of unbounded strings/lists (and fields that accept anything) inside a schema. */
export function unbounded(schema: z.ZodType, path = ''): string[] {
  const def = defOf(schema);
  const at = path || '(input)';
  switch (def.type) {
    case 'string':
      return maxLength(schema) === undefined ? [`${at}: text without a maximum length`] : [];
    case 'array':
      return [
        ...(maxLength(schema) === undefined ? [`${at}: list without a maximum length`] : []),
        ...unbounded(def.element as z.ZodType, `${path}[]`),
      ];
    case 'object':
      return Object.entries(def.shape as Record<string, z.ZodType>).flatMap(([k, v]) =>
        unbounded(v, path ? `${path}.${k}` : k),
      );
    // A transform's input is what arrives; its output is derived from a bounded value.
    // (z.preprocess is a pipe from a transform: there the second schema checks what arrives.)
    case 'pipe': {
      const from = def.in as z.ZodType;
      return unbounded(defOf(from).type === 'transform' ? (def.out as z.ZodType) : from, path);
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return unbounded(def.innerType as z.ZodType, path);
    case 'union':
      return (def.options as z.ZodType[]).flatMap((o) => unbounded(o, path));
    // A tuple has a fixed length; a rest element would make it a list of any length.
    case 'tuple':
      return [
        ...(def.rest ? [`${at}: tuple with a rest element has no maximum length`] : []),
        ...(def.items as z.ZodType[]).flatMap((t, i) => unbounded(t, `${path}[${i}]`)),
      ];
    case 'number':
    case 'boolean':
    case 'enum':
    case 'literal':
    case 'null':
    case 'undefined':
    case 'transform':
      return [];
    default:
      return [`${at}: ${def.type} is not checked by this test; bound it or teach the test`];
  }
}

describe('API contract limits', () => {
  it('bounds every text field and list in every method input', () => {
    const problems = Object.entries(contract).flatMap(([name, def]) =>
      unbounded(def.input as z.ZodType).map((p) => `${name} ${p}`),
    );
    expect(problems).toEqual([]);
  });

  it('the walker itself finds an unbounded field', async () => {
    const { z } = await import('zod');
    expect(
      unbounded(z.object({ a: z.string().optional(), b: z.array(z.number()).max(3) }).strict()),
    ).toEqual(['a: text without a maximum length']);
  });
});
