import { defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs against mutants of src/synapse (stryker.synapse.config.mjs): the unit
 * tests of test/synapse, which drive the populations, codes and rules in-process. Left out: the
 * end-to-end simulator runs (convergence, systems: seconds per mutant on a shared 2-core machine)
 * and the CLI tests (they run dist/, which cannot contain a mutant of src/). The score is
 * therefore a lower bound. WPSIM_MUTATION=1 lightens the property tests (test/helpers/mutation.ts).
 * docs/testing.md.
 */
export default defineConfig({
  test: {
    include: [
      'test/synapse/*.test.ts',
      'test/random/bulk-draws.test.ts',
    ],
    exclude: ['test/synapse/convergence.test.ts', 'test/synapse/systems.test.ts'],
    env: { WPSIM_MUTATION: '1' },
    testTimeout: 300_000,
    pool: 'forks',
  },
});
