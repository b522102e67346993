// The src/exact part of `npm run mutation` (docs/testing.md).
import base from './stryker.config.mjs';

export default {
  ...base,
  mutate: ['src/exact/graph.ts', 'src/exact/recurrent.ts', 'src/exact/output-loss.ts', 'src/exact/quadratic.ts', 'src/exact/teacher-student.ts'],
  incrementalFile: 'reports/stryker-incremental-exact.json',
  htmlReporter: { fileName: 'reports/mutation/exact.html' },
  jsonReporter: { fileName: 'reports/mutation/exact.json' },
};
