// The layer rules of eslint.config.js, run by ESLint with the repository's own config on a file
// that breaks them: `npm run lint` must fail on an import circle inside src-main and on a domain
// folder importing the API layer or the composition root (docs/ARCHITECTURE.md, "Layers").
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: root });

async function problems(file: string, text: string) {
  const [result] = await eslint.lintText(text, { filePath: resolve(root, file) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

const source = (file: string) => readFileSync(resolve(root, file), 'utf8');

describe('lint: layers', () => {
  it('accepts the files as they are', async () => {
    expect(
      await problems('src-main/audit/service.ts', source('src-main/audit/service.ts')),
    ).toEqual([]);
  });

  it('rejects a domain importing the API layer', async () => {
    const text = `import type { CallContext } from '../api/context';\nexport type X = CallContext;\n`;
    const found = await problems('src-main/audit/fixture.ts', text);
    expect(found.join('\n')).toMatch(/no-restricted-imports: .*API layer/);
  });

  it('rejects a domain importing the composition root, at any depth', async () => {
    const services = `import type { Services } from '../services';\nexport type X = Services;\n`;
    expect((await problems('src-main/mail/fixture.ts', services)).join('\n')).toMatch(
      /composition root/,
    );
    const core = `import type { Core } from '../../core';\nexport type X = Core;\n`;
    expect((await problems('src-main/db/schema/fixture.ts', core)).join('\n')).toMatch(
      /composition root/,
    );
  });

  it('lets the outer layers import the composition root', async () => {
    const text = `import type { Core } from '../core';\nexport type X = Core;\n`;
    expect(await problems('src-main/http/fixture.ts', text)).toEqual([]);
  });

  it('keeps the two transports apart: the desktop app and the headless service import neither', async () => {
    const fromElectron = `import { parseServiceArgs } from '../http/service';\nexport const p = parseServiceArgs;\n`;
    expect((await problems('src-main/electron/fixture.ts', fromElectron)).join('\n')).toMatch(
      /no-restricted-imports: .*never imports the headless service/,
    );
    const fromHttp = `import type { Settings } from '../electron/settings';\nexport type S = Settings;\n`;
    expect((await problems('src-main/http/fixture.ts', fromHttp)).join('\n')).toMatch(
      /no-restricted-imports: .*never imports the desktop app/,
    );
    // What they share lives below both.
    const shared = `import { parseServiceArgs } from '../platform/service-options';\nexport const p = parseServiceArgs;\n`;
    expect(await problems('src-main/electron/fixture.ts', shared)).toEqual([]);
  });

  it('rejects an import that closes a circle', async () => {
    // platform/clock.ts is imported (through core.ts) by the composition root: importing the
    // root back from it closes a circle, whatever the layer rules say.
    const text = `${source('src-main/platform/clock.ts')}\nimport type { Core } from '../core';\nexport type Later = Core;\n`;
    const found = await problems('src-main/platform/clock.ts', text);
    expect(found.join('\n')).toMatch(
      /local\/no-import-cycle: Import circle: src-main\/platform\/clock\.ts → src-main\/core\.ts → .*src-main\/platform\/clock\.ts/,
    );
  });

  it('rejects an OCPP file over 450 lines of code, not counting blank lines and comments', async () => {
    const code = (n: number) =>
      Array.from({ length: n }, (_, i) => `export const v${i} = ${i};`).join('\n') + '\n';
    const padded = `${code(450)}\n// why\n\n/** more why */\n`;
    expect(await problems('src-main/ocpp/fixture.ts', padded)).toEqual([]);
    expect((await problems('src-main/ocpp/fixture.ts', code(451))).join('\n')).toMatch(
      /max-lines: File has too many lines \(451\)/,
    );
    // Elsewhere the rule does not apply (yet).
    expect(await problems('src-main/audit/fixture.ts', code(451))).toEqual([]);
  });
});
