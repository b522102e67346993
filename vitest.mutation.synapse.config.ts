import { defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs against mutants of src/synapse (stryker.synapse.config.mjs): those
 * that exercise it in-process. The CLI tests run the built dist/ and cannot see a mutant of
 * src/. WPSIM_MUTATION=1 lightens the property tests (test/helpers/mutation.ts). docs/testing.md.
 */
export default defineConfig({
  test: {
    include: [
      'test/synapse/*.test.ts',
      'test/random/bulk-draws.test.ts',
    ],
    env: { WPSIM_MUTATION: '1' },
    testTimeout: 300_000,
    pool: 'forks',
  },
});
