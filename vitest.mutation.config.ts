import { defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs when stryker.config.mjs is run directly (both areas): the union of
 * vitest.mutation.synapse.config.ts and vitest.mutation.exact.config.ts. docs/testing.md.
 */
export default defineConfig({
  test: {
    include: ['test/synapse/*.test.ts', 'test/random/bulk-draws.test.ts', 'test/exact/*.test.ts'],
    exclude: ['test/synapse/convergence.test.ts', 'test/synapse/systems.test.ts'],
    env: { WPSIM_MUTATION: '1' },
    testTimeout: 300_000,
    pool: 'forks',
  },
});
