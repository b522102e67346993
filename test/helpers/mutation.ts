/**
 * Mutation testing (`npm run mutation`, vitest.mutation.config.ts) sets WPSIM_MUTATION=1. Under
 * it the fast-check properties run a tenth of their cases (each mutant reruns them, instrumented)
 * and tests that spawn the built CLI are skipped (they run dist/, which cannot contain a mutant
 * of src/). The score is therefore measured with lighter tests than `npm test` runs: a lower
 * bound. docs/testing.md.
 */
export const UNDER_MUTATION = process.env.WPSIM_MUTATION === '1';

export function propertyRuns(n: number): number {
  return UNDER_MUTATION ? Math.max(10, Math.ceil(n / 10)) : n;
}
