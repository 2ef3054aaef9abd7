// Generates the SQL migrations from src-main/db/schema with drizzle-kit.
//
// Until the first public release (0.x, no installed databases to upgrade) the project keeps ONE
// initial migration and regenerates it from scratch, so that parallel schema work never
// produces clashing migration numbers. Pass --append once a release has shipped: migrations
// become append-only and every data migration gets an N-1 → N test (docs/ARCHITECTURE.md).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const append = process.argv.includes('--append');
if (!append) rmSync(`${root}/src-main/db/migrations`, { recursive: true, force: true });
execFileSync('npx', ['drizzle-kit', 'generate', ...(append ? [] : ['--name', 'initial'])], {
  cwd: root,
  stdio: 'inherit',
});
