// Builds a TypeScript script of the test tree into one runnable ES module (vite, SSR mode, as
// the service itself is built: import.meta.glob and JSON imports work, packages stay external),
// so a test can run it in a child process and kill that process for real (SIGKILL). The output
// goes to a temp folder inside the repository (git-ignored /tmp/) so the packages resolve.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { onTestFinished } from 'vitest';
import { build } from 'vite';

const root = resolve(import.meta.dirname, '../..');

/** Returns the path of the built `.mjs` (removed when the test finishes). */
export async function buildChildScript(entry: string): Promise<string> {
  mkdirSync(join(root, 'tmp'), { recursive: true });
  const outDir = mkdtempSync(join(root, 'tmp', 'child-'));
  onTestFinished(() => rmSync(outDir, { recursive: true, force: true }));
  await build({
    configFile: false,
    logLevel: 'warn',
    root,
    build: {
      ssr: entry,
      outDir,
      target: 'node20',
      rollupOptions: { output: { format: 'es', entryFileNames: '[name].mjs' } },
    },
  });
  return join(outDir, `${basename(entry, '.ts')}.mjs`);
}
