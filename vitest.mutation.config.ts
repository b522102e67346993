import { defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs against mutants of src/synapse and src/exact (stryker.config.mjs):
 * those that exercise them in-process. The CLI tests run the built dist/ and cannot see a
 * mutant of src/; the simulator tests are left out while src/sim is being rebuilt
 * (docs/testing.md). WPSIM_MUTATION=1 lightens the property tests (test/helpers/mutation.ts).
 */
export default defineConfig({
  test: {
    include: [
      'test/exact/gradient-vs-loss.test.ts',
      'test/exact/recurrent.test.ts',
      'test/synapse/error-bars.test.ts',
      'test/synapse/populations.test.ts',
      'test/synapse/locality.test.ts',
    ],
    env: { WPSIM_MUTATION: '1' },
    testTimeout: 300_000,
    pool: 'forks',
  },
});
