// The src/synapse part of `npm run mutation` (docs/testing.md): every file (index.ts builds the populations).
// WPSIM_MUTATE=moment,wp,… restricts a run to those files (src/synapse/<name>.ts), with its own
// incremental file and report (reports/mutation/synapse-<names>.json), so that a long
// measurement can be made file by file and keeps what it has measured.
import base from './stryker.config.mjs';

const only = process.env.WPSIM_MUTATE;
const label = only ? `synapse-${only.replaceAll(',', '-')}` : 'synapse';

export default {
  ...base,
  mutate: only ? only.split(',').map((f) => `src/synapse/${f}.ts`) : ['src/synapse/**/*.ts'],
  vitest: { configFile: 'vitest.mutation.synapse.config.ts' },
  incrementalFile: `reports/stryker-incremental-${label}.json`,
  htmlReporter: { fileName: `reports/mutation/${label}.html` },
  jsonReporter: { fileName: `reports/mutation/${label}.json` },
};
