// `npm run test:property [-- <events>]`: the long run of the load-balancing property tests
// (default 1,000,000 events; `npm test` runs a few thousand). Prints the figures for the docs.
import { spawnSync } from 'node:child_process';

const events = process.argv[2] ?? process.env.PROPERTY_EVENTS ?? '1000000';
const started = Date.now();
const r = spawnSync('npx', ['vitest', 'run', 'test/balancing/property.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, PROPERTY_EVENTS: events, PROPERTY_REPORT: '1' },
  shell: process.platform === 'win32',
});
process.stdout.write(
  `property run: ${events} events requested, ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
);
process.exit(r.status ?? 1);
