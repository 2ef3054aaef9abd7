import { defineConfig } from 'vitest/config';

// `npm run test:reliability`: process-level tests against the BUILT service (out/main/server.js)
// — kill -9 under load, restore with chargers connected, login burst, LAN flood, fuzzed frames.
// One file at a time: they measure and load the machine, and must not disturb each other.
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
});
