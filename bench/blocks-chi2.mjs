/**
 * χ²/dof of the moment estimator's ĝ and ẑ against the exact oracle, mean ± its standard error
 * over many seeds, for a run in 100 blocks of 100 trials and for the same run as one block
 * (docs/formats.md, "Estimate runs in blocks"): merging blocks must keep the estimates unbiased
 * and their standard errors honest (both ≈ 1).
 *
 *   node bench/blocks-chi2.mjs [seeds]      (default 120; a few minutes)
 */
import { simulate } from '../dist/sim/simulate.js';
import { buildSimulationSpec } from '../dist/scenario/problems.js';
import { scenarioSchema } from '../dist/scenario/schema.js';

const seeds = Number(process.argv[2] ?? 120);
const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
const se = (a) => Math.sqrt(a.reduce((x, y) => x + (y - mean(a)) ** 2, 0) / (a.length - 1) / a.length);
for (const blockSize of [100, 100_000]) {
  const g = [];
  const z = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const s = scenarioSchema.parse({
      name: 'chi2', problem: { kind: 'quadratic', size: 50, spectrum: { min: 0.5, max: 2 } },
      perturbation: { distribution: 'gaussian', sigma: 0.05, antithetic: true }, estimator: { name: 'moment' },
      trials: 10_000, probeEvery: 10_000, blockSize, seed,
    });
    const r = await simulate(buildSimulationSpec(s, '.'), { chunkMs: 1e9 });
    g.push(r.lastRow[r.header.indexOf('g_chi2_dof')]);
    z.push(r.lastRow[r.header.indexOf('z_chi2_dof')]);
  }
  const blocks = Math.ceil(10_000 / blockSize);
  console.log(`${blocks} block(s) of ${Math.min(blockSize, 10_000)}: g_chi2_dof ${mean(g).toFixed(3)} ± ${se(g).toFixed(3)}, z_chi2_dof ${mean(z).toFixed(3)} ± ${se(z).toFixed(3)} (${seeds} seeds)`);
}
