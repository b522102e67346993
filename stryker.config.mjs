// StrykerJS mutation testing (`npm run mutation`), not part of CI: see docs/testing.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  coverageAnalysis: 'perTest',
  // The shared settings of the two areas, stryker.synapse.config.mjs and stryker.exact.config.mjs
  // (`npm run mutation` runs both; docs/testing.md, "Mutation testing", says how to run them file
  // by file). Run directly, this file mutates both areas at once: hours on a shared 2-core machine.
  mutate: ['src/synapse/**/*.ts', 'src/exact/**/*.ts', '!src/exact/index.ts', '!src/exact/boltzmann/index.ts'],
  concurrency: 2,
  timeoutMS: 20_000,
  dryRunTimeoutMinutes: 30,
  timeoutFactor: 2,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
