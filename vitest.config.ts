import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    // The default report, then the name (and so the reason) of every skipped test.
    reporters: ['default', './test/reporters/skipped.ts'],
  },
});
