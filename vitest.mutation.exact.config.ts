import { defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs against mutants of src/exact (stryker.exact.config.mjs): the oracle
 * tests of test/exact, which exercise it in-process (the CLI tests among them run dist/ and
 * cover no mutant, so Stryker never reruns them). WPSIM_MUTATION=1 lightens the property tests
 * (test/helpers/mutation.ts). docs/testing.md.
 */
export default defineConfig({
  test: {
    include: ['test/exact/*.test.ts'],
    env: { WPSIM_MUTATION: '1' },
    testTimeout: 300_000,
    pool: 'forks',
  },
});
