// The src/exact part of `npm run mutation` (docs/testing.md): every TypeScript file but the
// re-exports (the wasm kernels are .wat text assembled by scripts/build-wasm.mjs: not
// TypeScript, not Stryker's to mutate). WPSIM_MUTATE=graph,layered/oracle,… restricts a run to
// those files (src/exact/<name>.ts), with its own incremental file and report, so that the
// measurement can be made file by file and keeps what it has measured.
import base from './stryker.config.mjs';

const only = process.env.WPSIM_MUTATE;
const label = only ? `exact-${only.replaceAll('/', '_').replaceAll(',', '-')}` : 'exact';

export default {
  ...base,
  mutate: only
    ? only.split(',').map((f) => `src/exact/${f}.ts`)
    : ['src/exact/**/*.ts', '!src/exact/index.ts', '!src/exact/boltzmann/index.ts'],
  vitest: { configFile: 'vitest.mutation.exact.config.ts' },
  // Its own sandbox directory, so that it can run beside the synapse part.
  tempDirName: '.stryker-tmp-exact',
  incrementalFile: `reports/stryker-incremental-${label}.json`,
  htmlReporter: { fileName: `reports/mutation/${label}.html` },
  jsonReporter: { fileName: `reports/mutation/${label}.json` },
};
