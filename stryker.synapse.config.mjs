// The src/synapse part of `npm run mutation` (docs/testing.md).
import base from './stryker.config.mjs';

export default {
  ...base,
  mutate: ['src/synapse/moment.ts', 'src/synapse/wp.ts', 'src/synapse/broadcast.ts', 'src/synapse/perturbation.ts'],
  incrementalFile: 'reports/stryker-incremental-synapse.json',
  htmlReporter: { fileName: 'reports/mutation/synapse.html' },
  jsonReporter: { fileName: 'reports/mutation/synapse.json' },
};
