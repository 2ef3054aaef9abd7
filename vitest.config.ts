import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src-*/**/*.test.ts'],
    // The reliability suite runs the built service as a process: `npm run test:reliability`.
    exclude: [...configDefaults.exclude, 'test/reliability/**'],
    environment: 'node',
    // Tests start real servers on port 0 and real SQLite files in temp dirs; 2 cores here.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
